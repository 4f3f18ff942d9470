import CSentencePiece
import Foundation

/// Learns SentencePiece models with libsentencepiece's trainer (`SentencePieceTrainer::Train`),
/// from sentences in memory, as OPUS-MT's models are made.
public enum SentencePieceTrainer {
    /// The options of an OPUS-MT model: `</s>` = 0, `<unk>` = 1, no `<s>`, no `<pad>` (the
    /// vocabulary appends `<pad>`), every character kept, `nmt_nfkc` normalisation.
    public static func opusOptions(vocabularySize: Int, modelType: String = "unigram", threads: Int = 2) -> [String: String] {
        [
            "vocab_size": "\(vocabularySize)", "model_type": modelType, "character_coverage": "1.0",
            "normalization_rule_name": "nmt_nfkc", "eos_id": "0", "unk_id": "1", "bos_id": "-1", "pad_id": "-1",
            "num_threads": "\(threads)", "minloglevel": "2",
        ]
    }

    /// A model learnt from `sentences` with `options` (trainer option names as on the command
    /// line; see ``opusOptions(vocabularySize:modelType:threads:)``), the library's random
    /// generator seeded with `seed`.
    ///
    /// - Returns: the serialized model, the bytes of a `.spm` / `.model` file.
    /// - Throws: ``SentencePieceError`` (file `"<training>"`) with the library's message: a
    ///   vocabulary larger than the text allows, an unknown option, no sentences.
    public static func train(sentences: [String], options: [String: String], seed: UInt32 = 0) throws(SentencePieceError) -> [UInt8] {
        guard !sentences.isEmpty && !options.isEmpty else {
            throw SentencePieceError(file: "<training>", problem: "SentencePiece training needs sentences and options")
        }
        let keys = options.keys.sorted()
        var cKeys = keys.map { strdup($0) }
        var cValues = keys.map { strdup(options[$0]!) }
        defer { (cKeys + cValues).forEach { free($0) } }
        var lengths = sentences.map { $0.utf8.count }
        var cSentences = sentences.map { s -> UnsafeMutablePointer<CChar>? in
            var copy = Array(s.utf8CString)
            return copy.withUnsafeMutableBufferPointer { b in
                let p = UnsafeMutablePointer<CChar>.allocate(capacity: b.count)
                p.initialize(from: b.baseAddress!, count: b.count)
                return p
            }
        }
        defer { cSentences.forEach { $0?.deallocate() } }
        var length = 0
        var error: UnsafeMutablePointer<CChar>?
        let model = cKeys.withUnsafeMutableBufferPointer { k in
            cValues.withUnsafeMutableBufferPointer { v in
                cSentences.withUnsafeMutableBufferPointer { s in
                    lengths.withUnsafeMutableBufferPointer { l in
                        k.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: k.count) { kp in
                            v.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: v.count) { vp in
                                s.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: s.count) { sp in
                                    spm_shim_train(kp, vp, keys.count, sp, l.baseAddress, sentences.count, seed, &length, &error)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard let model else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            spm_shim_string_free(error)
            throw SentencePieceError(file: "<training>", problem: "SentencePiece training failed: \(message)")
        }
        defer { spm_shim_string_free(model) }
        return Array(UnsafeRawBufferPointer(start: model, count: length).bindMemory(to: UInt8.self))
    }
}
