import Text

extension TranslationModel {
    /// Decodes a batch of source id sequences with `options`: greedy search for beam width 1,
    /// beam search otherwise.
    public func decode(_ sources: [[Int]], options: DecodingOptions) -> [Hypothesis] {
        let maxLengths = sources.map { options.maxLength ?? defaultMaxLength(sourceLength: $0.count) }
        guard options.beamWidth > 1 else { return GreedySearch.decode(self, sources, maxLengths: maxLengths) }
        return BeamSearch.decode(
            self, sources, beamWidth: options.beamWidth, maxLengths: maxLengths,
            lengthPenalty: options.lengthPenalty ?? defaultLengthPenalty)
    }

    /// Decodes the valid sources of a batch together; each failure keeps its place.
    public func decode(_ sources: [Result<[Int], SegmentError>], options: DecodingOptions) -> [Result<Hypothesis, SegmentError>] {
        var decoded = decode(sources.compactMap { try? $0.get() }, options: options).makeIterator()
        return sources.map { $0.map { _ in decoded.next()! } }
    }
}
