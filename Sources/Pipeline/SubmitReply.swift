/// The tokenizer's answers on the submit endpoint (after the submitter's routing id):
/// `["accepted", client id, client id, …]` once the inputs are durable (or at once for an id
/// already pending or recently done), `["rejected", client id, reason]` at once for input
/// that cannot be translated. See docs/PROTOCOL.md.
public enum SubmitReply {
    public static let acceptedStatus = Array("accepted".utf8)
    public static let rejectedStatus = Array("rejected".utf8)

    static func accepted(clientIDs: [[UInt8]]) -> [[UInt8]] {
        [acceptedStatus] + clientIDs
    }

    static func rejected(clientID: [UInt8], reason: String) -> [[UInt8]] {
        [rejectedStatus, clientID, Array(reason.utf8)]
    }
}
