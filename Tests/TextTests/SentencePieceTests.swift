import Foundation
import Synchronization
import Testing

@testable import Text

/// The OPUS-MT model directories of `Tests/Fixtures/marian` (made by its `make_fixtures.py`
/// with transformers and the Python `sentencepiece` package) and what transformers gives for them.
enum MarianFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    /// `shared`: one joint `.spm` for both sides; `separate`: an English `source.spm` and a
    /// French `target.spm` with one `vocab.json`; `separate-vocabs`: the same with
    /// `target_vocab.json`.
    static let names = ["shared", "separate", "separate-vocabs"]

    static func modelPath(_ name: String) -> String {
        root.appendingPathComponent("marian/\(name)/model").path
    }

    static func codec(_ name: String) throws -> SentencePieceCodec {
        try SentencePieceCodec.load(directory: modelPath(name))
    }

    /// The `cases` of `<name>/golden.json`: transformers' ids for a source and its decoded outputs.
    static func cases(_ name: String) throws -> [GoldenCase] {
        let url = root.appendingPathComponent("marian/\(name)/golden.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url)).cases
    }

    struct Golden: Decodable { let cases: [GoldenCase] }

    struct GoldenCase: Decodable {
        let source: String
        let source_ids: [Int]
        let greedy_ids: [Int]
        let beam_ids: [Int]
        let greedy_text: String
        let beam_text: String
    }

    /// The English and French sentences of `fra-eng-600.tsv`.
    static let sentences: [String] = {
        let text = try! String(contentsOf: root.appendingPathComponent("fra-eng-600.tsv"), encoding: .utf8)
        return text.split(separator: "\n").flatMap { $0.split(separator: "\t").prefix(2).map(String.init) }
    }()

    /// A copy of the text files of fixture `name` (not its weights) in a new temporary directory,
    /// changed by `change`, removed afterwards.
    static func withBrokenCopy<Result>(
        of name: String, _ change: (URL) throws -> Void, _ body: (String) throws -> Result
    ) throws -> Result {
        let fm = FileManager.default
        let copy = fm.temporaryDirectory.appendingPathComponent("spm-tests-\(UUID().uuidString)")
        try fm.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: copy) }
        for file in try fm.contentsOfDirectory(atPath: modelPath(name)) where file != "model.safetensors" {
            try fm.copyItem(
                at: URL(fileURLWithPath: modelPath(name)).appendingPathComponent(file), to: copy.appendingPathComponent(file))
        }
        try change(copy)
        return try body(copy.path)
    }

    /// The pieces of a `vocab.json` in id order.
    static func pieces(ofVocabulary url: URL) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Int]
        return object.sorted { $0.value < $1.value }.map(\.key)
    }

    /// Writes `pieces` as a `vocab.json` whose ids are their indices.
    static func write(pieces: [String], to url: URL) throws {
        let object = Dictionary(uniqueKeysWithValues: pieces.enumerated().map { ($1, $0) })
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }
}

/// Reading `Fixtures/sentencepiece`'s files.
enum SentencePieceCorpus {
    /// The lines of a UTF-8 file split on "\n" only (not on "\r" or other line breaks), the
    /// text after the last "\n" dropped.
    static func lines(of url: URL) throws -> [String] {
        let data = try Data(contentsOf: url)
        return Array(data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast())
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// `expected.tsv`'s escapes undone: `\\`, `\t`, `\n`, `\r`.
    static func unescape(_ text: Substring) -> String {
        var result = ""
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                switch scalar {
                case "t": result.unicodeScalars.append("\t")
                case "n": result.unicodeScalars.append("\n")
                case "r": result.unicodeScalars.append("\r")
                default: result.unicodeScalars.append(scalar)
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// The outcome of loading a codec: the error's file name and problem, or nil.
private func loadError(_ directory: String) -> (file: String, problem: String)? {
    do {
        _ = try SentencePieceCodec.load(directory: directory)
        return nil
    } catch {
        return ((error.file as NSString).lastPathComponent, error.problem)
    }
}

/// `SentencePieceModel`, `PieceVocabulary` and `SentencePieceCodec` against transformers'
/// `MarianTokenizer` and the Python `sentencepiece` package.
@Suite struct SentencePieceTests {
    // MARK: Against the Python package

    /// Every line of `Fixtures/sentencepiece/corpus.txt` (hand-written awkward cases and the
    /// Tatoeba test sentences), through the `separate` fixture's `source.spm` and `target.spm`:
    /// the pieces, the ids (`vocab.json`, `</s>` appended) and `decode_pieces` that the Python
    /// `sentencepiece` package gives (`expected.tsv`, made by `make_corpus.py`).
    @Test func corpusMatchesPythonSentencePiece() throws {
        let codec = try MarianFixture.codec("separate")
        let directory = MarianFixture.root.appendingPathComponent("sentencepiece")
        let lines = try SentencePieceCorpus.lines(of: directory.appendingPathComponent("corpus.txt"))
        let rows = try SentencePieceCorpus.lines(of: directory.appendingPathComponent("expected.tsv"))
        #expect(lines.count > 4000)
        #expect(rows.count == 2 * lines.count)
        var compared = ["source.spm": 0, "target.spm": 0]
        for row in rows {
            let fields = row.utf8.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            try #require(fields.count == 5, "\(row)")
            let (file, number) = (fields[0], try #require(Int(fields[1])))
            let line = lines[number - 1]
            // Split on U+0020 itself: a space and a combining mark after it are one Character.
            let pieces = fields[2].unicodeScalars.split(separator: " ").map { SentencePieceCorpus.unescape(Substring($0)) }
            let ids = fields[3].split(separator: " ").map { Int($0)! }
            let decoded = SentencePieceCorpus.unescape(Substring(fields[4]))
            let model = file == "source.spm" ? codec.sourceModel : codec.targetModel
            #expect(model.encode(line) == pieces, "\(file) line \(number): \(line.debugDescription)")
            #expect(model.decodePieces(pieces) == decoded, "\(file) line \(number): \(line.debugDescription)")
            if file == "source.spm" {
                do {
                    #expect(try codec.encode(line, maxTokens: .max) == ids, "line \(number): \(line.debugDescription)")
                } catch {
                    // The one departure: no pieces is an empty segment, not a lone </s>.
                    #expect(error == .empty && pieces.isEmpty && ids == [codec.eosID], "line \(number)")
                }
            } else {
                let targetIDs = pieces.map { codec.targetVocabulary.id(of: $0) ?? codec.targetUnkID } + [codec.targetEOSID]
                #expect(targetIDs == ids, "target.spm line \(number): \(line.debugDescription)")
            }
            compared[file, default: 0] += 1
        }
        #expect(compared == ["source.spm": lines.count, "target.spm": lines.count])
    }

    // MARK: Against transformers

    /// transformers' `tokenizer(source).input_ids` and `tokenizer.decode(ids,
    /// skip_special_tokens=True)` for the golden cases of each fixture model.
    @Test(arguments: MarianFixture.names)
    func matchesTransformersGoldens(name: String) throws {
        let codec = try MarianFixture.codec(name)
        let cases = try MarianFixture.cases(name)
        #expect(cases.count >= 60)
        for golden in cases {
            #expect(try codec.encode(golden.source, maxTokens: 512) == golden.source_ids, "\(golden.source)")
            #expect(codec.decode(golden.greedy_ids) == golden.greedy_text, "\(golden.greedy_ids)")
            #expect(codec.decode(golden.beam_ids) == golden.beam_text, "\(golden.beam_ids)")
        }
    }

    @Test func specialTokensAndSizes() throws {
        let shared = try MarianFixture.codec("shared")
        #expect(!shared.separateVocabularies)
        #expect((shared.eosID, shared.unkID, shared.padID) == (0, 1, 400))
        #expect((shared.targetEOSID, shared.targetUnkID, shared.targetPadID) == (0, 1, 400))
        #expect(shared.sourceVocabularySize == 401 && shared.targetVocabularySize == 401)
        #expect(shared.sourceVocabulary.id(of: "▁Tom") == 26)
        #expect(shared.sourceVocabulary.id(of: "no such piece") == nil)

        let separate = try MarianFixture.codec("separate-vocabs")
        #expect(separate.separateVocabularies)
        #expect(separate.sourceVocabularySize == 281 && separate.targetVocabularySize == 281)
        #expect((separate.eosID, separate.padID, separate.targetEOSID, separate.targetPadID) == (0, 280, 0, 280))
        #expect(separate.sourceVocabulary.file.hasSuffix("/vocab.json"))
        #expect(separate.targetVocabulary.file.hasSuffix("/target_vocab.json"))
    }

    /// `</s>` and `<pad>` are left out of the tokens, `<unk>` is kept; decode leaves all three out.
    @Test func targetTokensAndDecodeLeaveOutSpecialTokens() throws {
        let codec = try MarianFixture.codec("shared")
        let tom = try #require(codec.targetVocabulary.id(of: "▁Tom"))
        let dot = try #require(codec.targetVocabulary.id(of: "."))
        let ids = [codec.targetPadID, tom, codec.targetUnkID, dot, codec.targetEOSID, codec.targetPadID]
        #expect(codec.targetTokens(ids) == ["▁Tom", "<unk>", "."])
        #expect(codec.decode(ids) == "Tom.")
        #expect(codec.decode([]) == "")
        #expect(codec.targetTokens([codec.targetVocabularySize]) == ["<unk>"])
    }

    // MARK: Round trip

    /// For ordinary sentences without unknown pieces, decoding the source ids gives the text as
    /// SentencePiece's `nmt_nfkc` normalises it: NFKC, runs of whitespace made one space, trimmed.
    /// (Only where source and target ids agree: one vocabulary.)
    @Test(arguments: ["shared", "separate"])
    func decodeOfEncodeGivesNormalisedText(name: String) throws {
        let codec = try MarianFixture.codec(name)
        var compared = 0
        for sentence in MarianFixture.sentences + ["  Tom  is\there. ", "I\u{00A0}lost!"] {
            let ids = try codec.encode(sentence, maxTokens: 512)
            guard !ids.contains(codec.unkID) else { continue }
            let normalised = sentence.precomposedStringWithCompatibilityMapping
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(codec.decode(Array(ids.dropLast())) == normalised, "\(sentence.debugDescription)")
            #expect(codec.sourceModel.decodePieces(codec.sourcePieces(sentence)) == normalised)
            compared += 1
        }
        #expect(compared > 1000)
    }

    // MARK: Segment errors

    @Test func emptyWhitespaceAndTooLongInputs() throws {
        let codec = try MarianFixture.codec("shared")
        for text in ["", " ", "\t\n  \r\n", "\u{3000}\u{00A0}"] {
            #expect(throws: SegmentError.empty, "\(text.debugDescription)") { try codec.encode(text, maxTokens: 10) }
        }
        let text = "Tom is here. I lost!"
        let pieces = codec.sourcePieces(text).count
        #expect(pieces > 3)
        #expect(try codec.encode(text, maxTokens: pieces).count == pieces + 1)
        #expect(try codec.encode(text, maxTokens: pieces).last == codec.eosID)
        #expect(throws: SegmentError.tooLong(tokens: pieces, limit: pieces - 1)) {
            try codec.encode(text, maxTokens: pieces - 1)
        }
    }

    /// A character neither model knows becomes `<unk>` (after the surface piece is looked up).
    @Test func unknownCharactersGiveUnk() throws {
        let codec = try MarianFixture.codec("shared")
        let ids = try codec.encode("Tom 漢 .", maxTokens: 10)
        #expect(ids.contains(codec.unkID))
        #expect(codec.sourcePieces("漢").joined().contains("漢"))
        #expect(ids.allSatisfy { (0..<codec.sourceVocabularySize).contains($0) })
    }

    // MARK: Broken directories

    @Test func missingSourceModel() throws {
        let error = try MarianFixture.withBrokenCopy(of: "shared", {
            try FileManager.default.removeItem(at: $0.appendingPathComponent("source.spm"))
        }, loadError)
        #expect(error?.file == "source.spm")
        #expect(error?.problem == "missing file")
    }

    @Test func garbageModel() throws {
        let error = try MarianFixture.withBrokenCopy(of: "separate", {
            try Data("this is not a SentencePiece model\n".utf8).write(to: $0.appendingPathComponent("target.spm"))
        }, loadError)
        #expect(error?.file == "target.spm")
        #expect(error?.problem.hasPrefix("not a SentencePiece model: ") == true, "\(String(describing: error))")
    }

    @Test func vocabularyNotJSON() throws {
        let error = try MarianFixture.withBrokenCopy(of: "shared", {
            try Data("{\"</s>\": 0,".utf8).write(to: $0.appendingPathComponent("vocab.json"))
        }, loadError)
        #expect(error?.file == "vocab.json")
        #expect(error?.problem.hasPrefix("not a JSON object of piece to id") == true, "\(String(describing: error))")
    }

    @Test func vocabularyWithoutEndOfSentence() throws {
        let error = try MarianFixture.withBrokenCopy(of: "shared", { directory in
            let url = directory.appendingPathComponent("vocab.json")
            try MarianFixture.write(pieces: try MarianFixture.pieces(ofVocabulary: url).filter { $0 != "</s>" }, to: url)
        }, loadError)
        #expect(error?.file == "vocab.json")
        #expect(error?.problem == "no special token </s>")
    }

    @Test func targetVocabularyWithoutPad() throws {
        let error = try MarianFixture.withBrokenCopy(of: "separate-vocabs", { directory in
            let url = directory.appendingPathComponent("target_vocab.json")
            try MarianFixture.write(pieces: try MarianFixture.pieces(ofVocabulary: url).filter { $0 != "<pad>" }, to: url)
        }, loadError)
        #expect(error?.file == "target_vocab.json")
        #expect(error?.problem == "no special token <pad>")
    }

    @Test func vocabularyWithoutAPieceOfTheSourceModel() throws {
        let error = try MarianFixture.withBrokenCopy(of: "separate", { directory in
            let url = directory.appendingPathComponent("vocab.json")
            try MarianFixture.write(pieces: try MarianFixture.pieces(ofVocabulary: url).filter { $0 != "▁Tom" }, to: url)
        }, loadError)
        #expect(error?.file == "vocab.json")
        let problem = try #require(error?.problem)
        #expect(problem.contains("\"▁Tom\"") && problem.contains("source.spm"), "\(problem)")
    }

    @Test func vocabularyWithoutAPieceOfTheTargetModel() throws {
        let error = try MarianFixture.withBrokenCopy(of: "separate-vocabs", { directory in
            let url = directory.appendingPathComponent("target_vocab.json")
            let pieces = try MarianFixture.pieces(ofVocabulary: url)
            try MarianFixture.write(pieces: pieces.filter { $0 != pieces[10] }, to: url)
        }, loadError)
        #expect(error?.file == "target_vocab.json")
        #expect(error?.problem.contains("target.spm") == true, "\(String(describing: error))")
    }

    @Test func vocabularyIDsWithAGap() throws {
        let error = try MarianFixture.withBrokenCopy(of: "shared", { directory in
            let url = directory.appendingPathComponent("vocab.json")
            let pieces = try MarianFixture.pieces(ofVocabulary: url)
            var object = Dictionary(uniqueKeysWithValues: pieces.enumerated().map { ($1, $0) })
            object["▁Tom"] = pieces.count + 5
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        }, loadError)
        #expect(error?.file == "vocab.json")
        #expect(error?.problem == "ids are not 0..<401 without gaps: no piece has id 26, piece \"▁Tom\" has id 406")
    }

    @Test func separateVocabulariesWithoutTargetVocabulary() throws {
        let error = try MarianFixture.withBrokenCopy(of: "separate-vocabs", {
            try FileManager.default.removeItem(at: $0.appendingPathComponent("target_vocab.json"))
        }, loadError)
        #expect(error?.file == "target_vocab.json")
        #expect(error?.problem == "missing file")
    }

    @Test func badTokenizerConfig() throws {
        let error = try MarianFixture.withBrokenCopy(of: "shared", {
            try Data("{\"separate_vocabs\": 1}".utf8).write(to: $0.appendingPathComponent("tokenizer_config.json"))
        }, loadError)
        #expect(error?.file == "tokenizer_config.json")
        #expect(error?.problem == "bad JSON: separate_vocabs is not true, false or null")
    }

    @Test func withoutTokenizerConfigTheVocabularyIsShared() throws {
        let codec = try MarianFixture.withBrokenCopy(of: "shared", {
            try FileManager.default.removeItem(at: $0.appendingPathComponent("tokenizer_config.json"))
        }) { try SentencePieceCodec.load(directory: $0) }
        #expect(!codec.separateVocabularies)
    }

    // MARK: Vocabulary JSON

    private func vocabularyError(_ json: String) -> String? {
        do {
            _ = try PieceVocabulary(json: Array(json.utf8), file: "v.json")
            return nil
        } catch {
            return error.problem
        }
    }

    @Test func vocabularyJSONIsParsedStrictly() throws {
        let vocabulary = try PieceVocabulary(
            json: Array(#" { "a\"b" : 1, "\u00e9\/" :0 ,"\ud83d\ude00\n":2}"#.utf8), file: "v.json")
        #expect(vocabulary.pieces == ["é/", "a\"b", "😀\n"])
        // Pieces are bytes: "e" + U+0301 is not "é" (U+00E9), as in Python.
        let decomposed = try PieceVocabulary(json: Array(#"{"\u00e9": 0, "e\u0301": 1}"#.utf8), file: "v.json")
        #expect(decomposed.id(of: "\u{E9}") == 0 && decomposed.id(of: "e\u{301}") == 1)

        #expect(vocabularyError("[]")?.hasPrefix("not a JSON object of piece to id: expected '{' at byte 0") == true)
        #expect(vocabularyError(#"{"a": -1}"#)?.contains("is not a non-negative integer") == true)
        #expect(vocabularyError(#"{"a": 0.0}"#)?.contains("is not a non-negative integer") == true)
        #expect(vocabularyError(#"{"a": "0"}"#)?.contains("is not a non-negative integer") == true)
        #expect(vocabularyError(#"{"a": 00}"#)?.contains("leading zero") == true)
        #expect(vocabularyError(#"{"a": 0} x"#)?.contains("data after the object") == true)
        #expect(vocabularyError(#"{"\ud800": 0}"#)?.contains("lone surrogate") == true)
        #expect(vocabularyError(#"{"a": 0, "a": 1}"#) == "piece \"a\" appears twice")
        #expect(vocabularyError(#"{"a": 0, "b": 0}"#) == "pieces \"a\" and \"b\" both have id 0")
        #expect(vocabularyError(#"{"a": 0, "b": 2}"#) == "ids are not 0..<2 without gaps: no piece has id 1, piece \"b\" has id 2")
        #expect(vocabularyError("{\"\u{1}\": 0}")?.contains("control character") == true)
        #expect(try PieceVocabulary(json: Array("{}".utf8), file: "v.json").count == 0)
    }

    // MARK: Threads

    /// One codec used from several threads at once gives what it gives on one.
    @Test func sharedBetweenThreads() throws {
        let codec = try MarianFixture.codec("separate")
        let sentences = Array(MarianFixture.sentences.prefix(400))
        let expected = try sentences.map { try codec.encode($0, maxTokens: 512) }
        let decoded = expected.map { codec.decode($0) }
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for (i, sentence) in sentences.enumerated() where i % 2 == worker % 2 {
                let ids = try? codec.encode(sentence, maxTokens: 512)
                if ids != expected[i] || codec.decode(expected[i]) != decoded[i] { mismatches.withLock { $0 += 1 } }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}

/// Learning SentencePiece models with libsentencepiece's trainer.
@Suite struct SentencePieceTrainerTests {
    static let lines: [String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/fra-eng-600.tsv")
        return try! String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
    }()

    /// A unigram model of 200 pieces with OPUS-MT's special ids, the same bytes for the same
    /// seed, and a model that libsentencepiece loads and that splits and restores text.
    @Test func trainsAnOpusModelDeterministically() throws {
        let options = SentencePieceTrainer.opusOptions(vocabularySize: 200, threads: 1)
        let bytes = try SentencePieceTrainer.train(sentences: Self.lines, options: options, seed: 1)
        #expect(try SentencePieceTrainer.train(sentences: Self.lines, options: options, seed: 1) == bytes)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spm-\(UUID().uuidString).model").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let model = try SentencePieceModel(contentsOf: path)
        #expect(model.pieceCount == 200)
        #expect(model.piece(0) == "</s>" && model.piece(1) == "<unk>")
        let pieces = model.encode("I'm home.")
        #expect(model.decodePieces(pieces) == "I'm home.")
    }

    @Test func reportsTheLibrarysError() {
        #expect(throws: SentencePieceError.self) {
            try SentencePieceTrainer.train(sentences: ["a b"], options: SentencePieceTrainer.opusOptions(vocabularySize: 5000), seed: 0)
        }
    }
}

/// Target-side encoding (the labels a model learns) against transformers' `MarianTokenizer`.
@Suite struct TargetEncodingTests {
    struct Golden: Decodable {
        let source_ids: [[Int]]
        let labels: [[Int]]
    }

    /// `training-golden.json` holds, per fixture, `tokenizer(en)` and `tokenizer(text_target: fr)`
    /// of lines 0, 150, 420 and 599 of `fra-eng-600.tsv` (see `make_training_golden.py`).
    @Test(arguments: MarianFixture.names)
    func pieceIDsEqualMarianTokenizer(name: String) throws {
        let data = try Data(contentsOf: MarianFixture.root.appendingPathComponent("marian/training-golden.json"))
        let all = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let golden = try JSONDecoder().decode(Golden.self, from: JSONSerialization.data(withJSONObject: all[name]!))
        let lines = try String(contentsOf: MarianFixture.root.appendingPathComponent("fra-eng-600.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let codec = try MarianFixture.codec(name)
        for (k, line) in [0, 150, 420, 599].enumerated() {
            #expect(codec.sourcePieceIDs(lines[line][0]) + [codec.eosID] == golden.source_ids[k])
            #expect(codec.targetPieceIDs(lines[line][1]) + [codec.targetEOSID] == golden.labels[k])
        }
    }
}
