import Foundation
import Testing

/// `seq2seq train` and `seq2seq eval`, run as real processes.
@Suite struct TrainCommandTests {
    let pairs = Binary.fixtures.appendingPathComponent("fra-eng-600.tsv").path

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func trainThenEvalAndTranslateWithTheResult() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("model").path
        let train = try Binary.run(["train", "--data", pairs, "--out", model, "--max-pairs", "100", "--epochs", "2", "--val-fraction", "0.1"])
        #expect(train.status == 0, "\(train.stderr)")
        for file in ["config.json", "model.safetensors", "src_vocab.json", "tgt_vocab.json", "training.csv", "training.svg"] {
            #expect(FileManager.default.fileExists(atPath: "\(model)/\(file)"), "\(file)")
        }
        let csv = try String(contentsOfFile: "\(model)/training.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 3, "\(csv)")  // header and two epochs

        let eval = try Binary.run(["eval", "--model", model, "--data", pairs, "--examples"])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.text.contains("BLEU = "), "\(eval.text)")
        #expect(eval.text.contains("go . => "), "\(eval.text)")

        let translate = try Binary.run(["translate", "--model", model], input: Data("go .\n".utf8))
        #expect(translate.status == 0)
        #expect(translate.text.hasSuffix("\n") && translate.text.split(separator: "\n").count == 1)
    }

    /// `--architecture transformer`: an OPUS-MT directory that `translate` serves; resuming keeps
    /// the run's settings and its architecture; options of the other architecture are refused.
    @Test func trainATransformerResumeAndTranslate() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("model").path
        let train = try Binary.run([
            "train", "--architecture", "transformer", "--data", pairs, "--out", model, "--max-pairs", "200", "--epochs", "1",
            "--d-model", "16", "--encoder-layers", "1", "--decoder-layers", "1", "--heads", "2", "--ffn-dim", "32", "--vocab-size", "100",
            "--batch-tokens", "400", "--val-fraction", "0.1",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        for file in ["config.json", "generation_config.json", "model.safetensors", "source.spm", "target.spm", "vocab.json",
            "tokenizer_config.json", "optimizer.safetensors", "training.json", "training.csv", "training.svg"] {
            #expect(FileManager.default.fileExists(atPath: "\(model)/\(file)"), "\(file)")
        }
        // Naming the run's own architecture is allowed; another is refused.
        let other = try Binary.run(["train", "--architecture", "gru", "--resume", model, "--data", pairs, "--epochs", "2"])
        #expect(other.status != 0 && other.stderr.contains("--architecture cannot change when resuming"), "\(other.stderr)")
        let resume = try Binary.run(["train", "--architecture", "transformer", "--resume", model, "--data", pairs, "--epochs", "2"])
        #expect(resume.status == 0, "\(resume.stderr)")
        let csv = try String(contentsOfFile: "\(model)/training.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 3, "\(csv)")

        let changed = try Binary.run(["train", "--resume", model, "--data", pairs, "--d-model", "32"])
        #expect(changed.status != 0 && changed.stderr.contains("--d-model cannot change when resuming"), "\(changed.stderr)")
        let mixed = try Binary.run(["train", "--architecture", "transformer", "--data", pairs, "--out", model, "--num-hiddens", "8"])
        #expect(mixed.status != 0 && mixed.stderr.contains("--num-hiddens is a gru option"), "\(mixed.stderr)")

        let translate = try Binary.run(["translate", "--model", model], input: Data("Go.\nI lost.\n".utf8))
        #expect(translate.status == 0, "\(translate.stderr)")
        #expect(translate.text.split(separator: "\n", omittingEmptySubsequences: false).count == 3)
    }

    @Test func aFileWithNoUsablePairIsAClearErrorAndANonZeroExit() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken = directory.appendingPathComponent("broken.tsv")
        var bytes = Data("no tab here\n\tempty source\nempty target\t\n".utf8)
        bytes.append(contentsOf: [0xFF, 0x09, 0x41, 0x0A])  // invalid UTF-8
        try bytes.write(to: broken)
        let out = try Binary.run(["train", "--data", broken.path, "--out", directory.appendingPathComponent("m").path, "--epochs", "1"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("holds no usable sentence pair"), "\(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("m").path))

        let missing = try Binary.run(["train", "--data", directory.appendingPathComponent("absent.tsv").path, "--out", "x"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("absent.tsv"), "\(missing.stderr)")

        let noFlag = try Binary.run(["train"])
        #expect(noFlag.status != 0)
        #expect(noFlag.stderr.contains("--data"), "\(noFlag.stderr)")
    }
}
