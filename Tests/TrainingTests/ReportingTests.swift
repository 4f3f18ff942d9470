import Foundation
import Seq2Seq
import Testing
import Text

@testable import Training

/// Progress, the CSV and the loss plot, and evaluation.
@Suite struct ReportingTests {
    let history = [
        EpochRecord(epoch: 1, trainLoss: 4.5, validationLoss: 4.0, bleu: 1.5, tokensPerSecond: 5000.4),
        EpochRecord(epoch: 2, trainLoss: 3.25, validationLoss: 3.5, bleu: 7.25, tokensPerSecond: 5100),
        EpochRecord(epoch: 3, trainLoss: 2.0, validationLoss: 3.0, bleu: 10, tokensPerSecond: 4900),
    ]

    @Test func csvHasOneRowPerEpoch() {
        #expect(
            trainingCSV(history).split(separator: "\n")[1] == "1,4.500000,4.000000,1.50,5000")
        let noValidation = EpochRecord(epoch: 1, trainLoss: 1, validationLoss: nil, bleu: nil, tokensPerSecond: 10)
        #expect(trainingCSV([noValidation]) == "epoch,train_loss,val_loss,bleu,tokens_per_s\n1,1.000000,,,10\n")
    }

    @Test func plotDrawsBothCurvesWithinTheCanvas() {
        let svg = lossPlotSVG(history)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        let polylines = svg.components(separatedBy: "<polyline").dropFirst()
        #expect(polylines.count == 2)
        for line in polylines {
            let points = line.components(separatedBy: "points=\"")[1].components(separatedBy: "\"")[0].split(separator: " ")
            #expect(points.count == 3)
            for point in points {
                let xy = point.split(separator: ",").map { Double($0)! }
                #expect((0...640).contains(xy[0]) && (0...400).contains(xy[1]))
            }
        }
        #expect(niceCeiling(4.5) == 5 && niceCeiling(0.3) == 0.5 && niceCeiling(12) == 20)
        #expect(lossPlotSVG([]).contains("</svg>"))
    }

    @Test func progressBarShowsBatchesLossSpeedAndETA() {
        let p = EpochProgress(epoch: 2, epochs: 10, batchesDone: 25, batches: 100, loss: 2.3456, tokensPerSecond: 4512.4, elapsed: 30)
        #expect(p.remaining == 90)
        #expect(p.bar(width: 8) == "epoch 2/10 [##------] 25/100 loss 2.346 4512 tok/s ETA 1:30")
        #expect(clock(3725) == "1:02:05")
    }

    @Test func goldenModelTranslatesTheD2LExamples() throws {
        let model = try GRUDirectory.load(Fixtures.goldenModel, logger: quietLogger)
        let pairs = d2lExamples.map { (source: $0.english, target: $0.french) }
        let result = evaluate(model, codec: model.codec, on: pairs, options: DecodingOptions(maxLength: 10), batchSize: 3)
        #expect(result.hypotheses[0] == "Va !")
        #expect(result.references == d2lExamples.map(\.french))
        #expect(result.bleu == corpusBLEU(hypotheses: result.hypotheses, references: result.references))
        #expect(result.chrF == corpusCHRF(hypotheses: result.hypotheses, references: result.references))
        #expect(result.failures.isEmpty)
        let d2l = D2LScores(hypotheses: result.hypotheses, references: result.references)
        #expect(d2l.hypotheses[0] == "va !" && d2l.references == d2lExamples.map(\.french))
        let mean = zip(d2l.hypotheses, d2l.references).map { d2lBLEU(prediction: $0, label: $1, k: 2) }.reduce(0, +) / 4
        #expect(abs(d2l.mean - mean) < 1e-12 && d2l.mean > 0)
    }

    /// A source that cannot be translated is scored as an empty translation, in its place.
    @Test func untranslatableSourcesScoreAsEmptyInTheirPlace() throws {
        let model = try GRUDirectory.load(Fixtures.goldenModel, logger: quietLogger)
        let pairs = [(source: "go .", target: "va !"), (source: "  ", target: "rien ."), (source: "i lost .", target: "j'ai perdu .")]
        let result = evaluate(model, codec: model.codec, on: pairs, options: DecodingOptions(maxLength: 10))
        #expect(result.hypotheses[1] == "" && result.hypotheses[0] == "Va !")
        #expect(result.failures.map(\.index) == [1] && result.failures[0].error == .input(.empty))
    }
}
