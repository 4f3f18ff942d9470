import Text

extension TranslationModel {
    /// Translates documents together: the sentences of every valid document are decoded in
    /// one batch, and each document's translation is its sentences' ids, rendered by
    /// `render`, joined with the text that was between the sentences. Failures keep their
    /// places.
    public func translate(
        _ documents: [Result<EncodedDocument, DocumentError>], options: DecodingOptions, render: ([Int]) -> String
    ) -> [Result<String, DocumentError>] {
        let sentences = documents.flatMap { (try? $0.get())?.ids ?? [] }
        var decoded = decode(sentences, options: options).makeIterator()
        return documents.map { result in result.map { document in document.text.joined { _ in render(decoded.next()!.ids) } } }
    }
}
