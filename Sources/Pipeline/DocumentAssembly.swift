/// The sink's store of documents whose sentences come back one by one (each sentence of a
/// document travels as its own item, see ``SentencePart``): a document's results are kept
/// here until every sentence has come, and only then is it an output.
///
/// A sentence that comes again (a redelivery) is dropped. Memory is bounded by the
/// tokenizer's in-flight limit: ``removeAll(below:)`` forgets documents already output.
struct DocumentAssembly {
    /// The sentences of one document received so far, by index.
    private struct Partial {
        var parts: [PipelineItem?]
        var received = 0
    }

    private var partials: [UInt64: Partial] = [:]

    /// Documents waiting for sentences.
    var count: Int { partials.count }

    /// Adds the result of one sentence; returns the results of all the document's sentences,
    /// in order, once this one completes it (and forgets them), nil while some are missing.
    mutating func add(_ item: PipelineItem, part: SentencePart) -> [PipelineItem]? {
        var partial = partials[item.sequence] ?? Partial(parts: Array(repeating: nil, count: part.count))
        guard partial.parts.count == part.count, partial.parts[part.index] == nil else { return nil }
        partial.parts[part.index] = item
        partial.received += 1
        guard partial.received == part.count else {
            partials[item.sequence] = partial
            return nil
        }
        partials[item.sequence] = nil
        return partial.parts.map { $0! }
    }

    /// Forgets the documents numbered below `sequence` (output already).
    mutating func removeAll(below sequence: UInt64) {
        partials = partials.filter { $0.key >= sequence }
    }

    /// Forgets every document (their tokenizer has gone: they will not be completed).
    mutating func removeAll() {
        partials.removeAll()
    }
}
