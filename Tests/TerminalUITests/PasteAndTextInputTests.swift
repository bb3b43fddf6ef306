import Dashboard
import Testing
@testable import TerminalUI

/// Bracketed paste, Alt keys and non-UTF-8 locales, as the decoder sees them.
@Suite("Paste and text input decoding")
struct PasteAndTextInputTests {
    func raw(_ s: String) -> [InputDecoder.Raw] { s.unicodeScalars.map { .char($0.value) } }
    func bytes(_ s: String) -> [InputDecoder.Raw] { s.utf8.map { .byte($0) } }

    @Test func aPasteIsOneEventAndNeverKeys() {
        var d = InputDecoder()
        let keys = d.decode(raw("a\u{1b}[200~q\r{\n  \"x\": 1\n}\u{1b}\u{13}\u{1b}[201~b"))
        #expect(keys == [.key(.char("a")), .paste("q\r{\n  \"x\": 1\n}\u{1b}\u{13}"), .key(.char("b"))])
    }

    @Test func aPasteSplitAcrossReadsIsPutTogether() {
        var d = InputDecoder()
        #expect(d.decode(raw("\u{1b}[20")) == [])
        #expect(d.decode(raw("0~hello\nwor")) == [])
        #expect(d.decode(raw("ld\u{1b}[2")) == [])
        #expect(d.decode(raw("01~")) == [.paste("hello\nworld")])
        // ncurses may match the markers itself (define_key).
        #expect(d.decode([.pasteStart] + raw("x\ty") + [.key(.up), .pasteEnd]) == [.paste("x\ty")])
        #expect(d.decode(raw("k")) == [.key(.char("k"))])
    }

    @Test func altKeys() {
        var d = InputDecoder()
        #expect(d.decode(raw("\u{1b}b\u{1b}f\u{1b}d")) == [.key(.alt("b")), .key(.alt("f")), .key(.alt("d"))])
        // Esc [ and Esc O start other keys; Esc Esc is two Escs.
        #expect(d.decode(raw("\u{1b}O")) == [.key(.escape), .key(.char("O"))])
        #expect(d.decode(raw("\u{1b}\u{1b}")) == [.key(.escape), .key(.escape)])
    }

    @Test func bytesAreDecodedAsUTF8() {
        var d = InputDecoder()
        #expect(d.decode(bytes("renée.dupont@example.fr")) == "renée.dupont@example.fr".map { .key(.char($0)) })
        // A character split between two reads.
        let e = Array("é".utf8)
        #expect(d.decode([.byte(e[0])]) == [])
        #expect(d.decode([.byte(e[1])]) == [.key(.char("é"))])
        #expect(d.decode(bytes("日🙂")) == [.key(.char("日")), .key(.char("🙂"))])
        // A byte that is not UTF-8 is Latin-1, not lost.
        #expect(d.decode([.byte(0xE9), .byte(0x41)]) == [.key(.char("é")), .key(.char("A"))])
        // A paste in bytes.
        #expect(d.decode(bytes("\u{1b}[200~çà\n\u{1b}[201~")) == [.paste("çà\n")])
    }
}
