import Foundation
import Pipeline
import Testing
import Text

/// `translate` and the pipeline on an OPUS-MT Transformer directory (the `separate` fixture:
/// separate SentencePiece models, unequal encoder and decoder depths).
@Suite struct TransformerCommandTests {
    let model = Binary.fixtures.appendingPathComponent("marian/separate/model").path

    /// English sentences of the fixture data, with the awkward ones a user sends.
    var lines: [String] {
        let pairs = try! String(contentsOf: Binary.fixtures.appendingPathComponent("fra-eng-600.tsv"), encoding: .utf8)
        let english = pairs.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        return Array(english.prefix(280)) + [
            "Tom said, \"Hello!\"  Mary   smiled.", "ﬁne ＡＢＣ ①", "I ❤️ Paris 🇫🇷", "e\u{301}té", "\tTabs\tinside", "日本語です",
        ]
    }

    @Test func translatePrintsPiecesTextAndBeamResults() throws {
        let pieces = try Binary.run(["translate", "--model", model, "--tokens"], input: Data("Go.\nI lost.\n".utf8))
        #expect(pieces.status == 0, "\(pieces.stderr)")
        let rows = pieces.text.split(separator: "\n")
        #expect(rows.count == 2 && rows.allSatisfy { $0.contains("▁") }, "\(pieces.text)")
        let greedy = try Binary.run(["translate", "--model", model, "--beam", "1"], input: Data("Go.\n\nI lost.\n".utf8))
        let beam = try Binary.run(["translate", "--model", model, "--beam", "4"], input: Data("Go.\n\nI lost.\n".utf8))
        #expect(greedy.text.split(separator: "\n", omittingEmptySubsequences: false).count == 4)
        #expect(beam.text.split(separator: "\n", omittingEmptySubsequences: false).count == 4)
        #expect(greedy.stderr.contains("line 2: input is empty"))
    }

    @Test func upMatchesTranslateLineForLine() throws {
        let lines = self.lines
        let expected = try Corpus.offline(lines, model: model)
        let up = try UpProcess(["--workers", "2"], model: model)
        let client = try up.client()
        for line in lines { try client.send(line) }
        let records = try client.receive(lines.count)
        #expect(records.map(\.source) == lines)
        #expect(records.map { $0.translation ?? "" } == expected)
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0, "\(up.stage.log)")
    }

    /// Multi-paragraph documents through `up --workers 3`: one record each, every sentence
    /// translated as `translate` translates it alone, the text between sentences as it was.
    @Test func documentsComeOutAsOneRecordEachWithTheirSeparators() throws {
        let splitter = SentenceSplitter()
        // Sentences that end where they are joined to the next one.
        let sentences = lines.prefix(280).filter { splitter.split($0 + " Go.").sentences.count == splitter.split($0).sentences.count + 1 }
        let separators = [" ", "  ", "\n", "\n\n", " \n\n", "\t"]
        var documents: [(text: String, sentences: [String], separators: [String])] = []
        var next = 0
        for size in [1, 2, 5, 9, 3, 40, 4, 7, 2, 6] {
            let chosen = (0..<size).map { sentences[(next + $0) % sentences.count] }
            let between = (0..<size).map { $0 == size - 1 ? (size % 2 == 0 ? "\n" : "") : separators[(next + $0) % separators.count] }
            let leading = size % 3 == 0 ? "  " : ""
            documents.append((leading + zip(chosen, between).map { $0 + $1 }.joined(), chosen, [leading] + between))
            next += size
        }
        let alone = try Corpus.offline(documents.flatMap(\.sentences), model: model)
        var translations = alone.makeIterator()
        let expected = documents.map { document in
            document.separators[0] + document.separators.dropFirst().map { translations.next()! + $0 }.joined()
        }
        let up = try UpProcess(["--workers", "3"], model: model)
        let client = try up.client()
        for document in documents { try client.send(document.text) }
        let records = try client.receive(documents.count)
        #expect(records.map(\.source) == documents.map(\.text))
        #expect(records.map { $0.translation ?? $0.error ?? "" } == expected)
        up.stage.send(SIGTERM)
        #expect(up.stage.exitStatus() == 0, "\(up.stage.log)")
    }

    /// `eval` prints sacreBLEU and chrF as sacrebleu does; the golden scores are sacrebleu
    /// 2.6.0's (`sacrebleu REFS -i HYPS -m bleu chrf -w 6`) on the files `eval` wrote for the
    /// `trained` fixture, a model trained by `seq2seq train`, on the first 150 pairs of
    /// `fra-eng-600.tsv`.
    @Test func evalPrintsTheScoresSacrebleuGivesForItsFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (hypotheses, references) = (directory.appendingPathComponent("hyp.txt").path, directory.appendingPathComponent("ref.txt").path)
        let data = directory.appendingPathComponent("pairs.tsv").path
        let pairs = try String(contentsOf: Binary.fixtures.appendingPathComponent("fra-eng-600.tsv"), encoding: .utf8)
        try (pairs.split(separator: "\n").prefix(150).joined(separator: "\n") + "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let trained = Binary.fixtures.appendingPathComponent("marian/trained/model").path
        let eval = try Binary.run(["eval", "--model", trained, "--data", data, "--hypotheses", hypotheses, "--references", references])
        #expect(eval.status == 0, "\(eval.stderr)")
        let printed = eval.text.split(separator: "\n")
        #expect(printed.count == 2, "\(eval.text)")
        let bleu = Double(printed[0].split(separator: " ")[2])!
        let chrF = Double(printed[1].split(separator: " ")[2])!
        #expect(abs(bleu - 3.447199) < 0.05 && abs(chrF - 14.678468) < 0.05, "\(eval.text)")
        let written = try String(contentsOfFile: hypotheses, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let sources = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(Array(written.map(String.init)) == (try Corpus.offline(sources, model: trained)))
        let d2l = try Binary.run(["eval", "--model", trained, "--data", data, "--d2l"])
        #expect(d2l.text.contains("(on d2l tokens)") && d2l.text.contains("d2l BLEU (k=2) mean = "), "\(d2l.text)")
    }

    @Test func aBrokenModelIsReportedOnceByUpBeforeAnyStageStarts() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: model, toPath: copy.path)
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.removeItem(at: copy.appendingPathComponent("target.spm"))
        let out = try Binary.run(["up", "--model", copy.path, "--ingest", freeEndpoint(), "--output", freeEndpoint()])
        #expect(out.status != 0)
        #expect(out.stderr.components(separatedBy: "target.spm").count == 2, "\(out.stderr)")
        #expect(!out.stderr.contains("Usage:"), "\(out.stderr)")
        #expect(!out.stderr.contains("started"), "\(out.stderr)")
    }

    /// The int8 path runs with the kernels of each instruction set this CPU has, down to
    /// baseline x86-64 (how close it stays to float32 is ComputeTypeTests' business).
    @Test(arguments: ["SSE41", "AVX2", "ALL"])
    func int8RunsOnEachInstructionSetAndSaysWhichItTook(isa: String) throws {
        let input = Data((lines.joined(separator: "\n") + "\n").utf8)
        let environment = ["ONEDNN_MAX_CPU_ISA": isa]
        let int8 = try Binary.run(["translate", "--model", model, "--compute-type", "int8"], input: input, environment: environment)
        #expect(int8.status == 0, "\(int8.stderr)")
        let outputs = int8.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(outputs.count == lines.count)
        #expect(outputs.filter(\.isEmpty).count == 0, "\(int8.stderr)")
        // The path taken is logged.
        #expect(int8.stderr.contains("compute_type=int8"), "\(int8.stderr)")
        if isa == "AVX2" { #expect(int8.stderr.contains("isa=avx2") && int8.stderr.contains("kernels=avx2"), "\(int8.stderr)") }
        if isa == "SSE41" { #expect(int8.stderr.contains("kernels=baseline"), "\(int8.stderr)") }
    }

    @Test func bfloat16IsRefusedByNameWhereTheCPUCannotRunIt() throws {
        let out = try Binary.run(
            ["translate", "--model", model, "--compute-type", "bfloat16"], input: Data("Go.\n".utf8),
            environment: ["ONEDNN_MAX_CPU_ISA": "AVX2"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("--compute-type bfloat16: bfloat16 needs AVX-512; this CPU runs avx2"), "\(out.stderr)")
    }
}
