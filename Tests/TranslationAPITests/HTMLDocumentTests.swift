import Testing

@testable import TranslationAPI

@Suite struct HTMLDocumentTests {
    /// Renders `html` with each text replaced by its upper-cased self.
    func shout(_ html: String) -> (texts: [String], rendered: String) {
        let document = HTMLDocument(html)
        return (document.texts, document.rendered(with: document.texts.map { $0.uppercased() }))
    }

    @Test func markupIsKeptByteForByteAndTextBetweenTagsIsTranslated() {
        let html = #"<p class="x>y" id='a'>Hello <b>world</b>!</p>"#
        let (texts, rendered) = shout(html)
        #expect(texts == ["Hello", "world", "!"])
        #expect(rendered == #"<p class="x>y" id='a'>HELLO <b>WORLD</b>!</p>"#)
    }

    @Test func commentsScriptsStylesAndDeclarationsAreMarkup() {
        let html = "<!DOCTYPE html>\n<!-- a <b>comment</b> --><script>var a = '<p>x</p>';</script><STYLE>p { }</STYLE><br/>Go.<?php x ?>"
        let (texts, rendered) = shout(html)
        #expect(texts == ["Go."])
        #expect(rendered == html.replacingOccurrences(of: "Go.", with: "GO."))
    }

    @Test func whitespaceAroundTextIsKeptAndBlankTextIsNotSent() {
        let (texts, rendered) = shout("<ul>\n  <li> one </li>\n  <li>\ttwo\n</li>\n</ul>")
        #expect(texts == ["one", "two"])
        #expect(rendered == "<ul>\n  <li> ONE </li>\n  <li>\tTWO\n</li>\n</ul>")
    }

    @Test func characterReferencesAreDecodedForTranslationAndTheResultEscaped() {
        let document = HTMLDocument("<p>Tom &amp; Jerry &#233;t&#xE9; &bogus; a < b</p>")
        #expect(document.texts == ["Tom & Jerry été &bogus; a < b"])
        #expect(document.rendered(with: ["Tom & Jerry <3"]) == "<p>Tom &amp; Jerry &lt;3</p>")
    }

    @Test func textWithoutMarkupAndUnclosedTags() {
        #expect(shout("Hello.").rendered == "HELLO.")
        #expect(shout("a <b").texts == ["a"])
        #expect(shout("a <b").rendered == "A <b")
        #expect(shout("").texts.isEmpty)
        #expect(shout("<p></p>").rendered == "<p></p>")
    }
}
