import Text

/// The tokenizer's reading of one ingest message: the client id it answers to, the source
/// text, and the source ids (of each sentence, for a document of several) or the reason it
/// cannot be translated.
///
/// A one-frame message is the text, answered under the decimal sequence number; a two-frame
/// message is [client id, text]. Every message is admitted: those that cannot be translated
/// carry an error to the output, in their place in the sequence.
struct Admission: Equatable {
    /// Most bytes in a client id.
    static let maxClientIDBytes = 256

    var clientID: [UInt8]
    var source: String
    var payload: PipelineItem.Payload
    /// The `kind` dimension of `seq2seq_errors_total` for an error payload.
    var errorKind: String?

    /// Reads `frames`, the message given sequence number `sequence`. Text that is one
    /// sentence with nothing around it gets a `tokens` payload; any other text is split and
    /// gets a `sentences` payload.
    init(frames: [[UInt8]], sequence: UInt64, codec: any TextCodec, limits: DocumentLimits) {
        clientID = Array(String(sequence).utf8)
        source = ""
        payload = .tokens([])
        let text: [UInt8]
        switch frames.count {
        case 1:
            text = frames[0]
        case 2 where frames[0].count <= Self.maxClientIDBytes:
            clientID = frames[0]
            text = frames[1]
        case 2:
            source = String(decoding: frames[1], as: UTF8.self)
            reject("client id has \(frames[0].count) bytes, more than \(Self.maxClientIDBytes)", kind: "id_too_long")
            return
        default:
            reject("message has \(frames.count) frames; expected 1 (text) or 2 (client id, text)", kind: "frame_count")
            return
        }
        guard let valid = String(validating: text, as: UTF8.self) else {
            source = String(decoding: text, as: UTF8.self)
            reject(SegmentError.invalidUTF8.description, kind: "invalid_utf8")
            return
        }
        source = valid
        do {
            let document = try codec.encodeDocument(valid, splitter: Self.splitter, limits: limits)
            let whole = document.ids.count == 1 && document.text.leading.isEmpty && document.text.sentences[0].separator.isEmpty
            payload = whole ? .tokens(document.ids[0]) : .sentences(document.ids)
        } catch {
            reject(error.description, kind: error.kind)
        }
    }

    static let splitter = SentenceSplitter()

    private mutating func reject(_ message: String, kind: String) {
        payload = .error(message)
        errorKind = kind
    }
}
