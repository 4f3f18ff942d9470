import Pipeline

/// What the API needs of the pipeline: the records of a batch of texts, in order.
public protocol Translating: Sendable {
    func translate(_ texts: [String], timeout: Duration) async throws -> [OutputRecord]
}

extension Requester: Translating {}
