import CoClickAPI
import Dashboard
import Foundation
import TerminalText
import Testing
@testable import TerminalUI

/// Under a locale that is not UTF-8, every screen is ASCII: stand-ins for
/// coclick's own symbols, escapes for the server's non-ASCII text.
@Suite("Screens in ASCII")
struct AsciiScreenTests {
    func ascii(_ s: AppState) -> AppState {
        var s = s
        s.charset = .ascii
        return s
    }

    @Test(arguments: [(80, 24), (120, 40), (40, 12)])
    func everyScreenIsASCII(_ width: Int, _ height: Int) {
        var help = listState(width: width, height: height)
        _ = reduce(&help, .key(.char("?")))
        let states = [listState(width: width, height: height), detailState(width: width, height: height),
                      formState(width: width, height: height), help]
        for state in states {
            let text = Screens.render(ascii(state)).text
            #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(state.screen) at \(width)x\(height):\n\(text)")
        }
        // The same states in UTF-8 do use non-ASCII (the test would catch a regression).
        #expect(!Screens.render(detailState(width: 120, height: 40)).text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    /// The help's summaries line up in ASCII too: "↑" is drawn "Up", and the
    /// keys are padded as drawn.
    @Test func theHelpsColumnsLineUpInASCII() throws {
        var s = ascii(listState(width: 100, height: 40))
        _ = reduce(&s, .key(.char("?")))
        let lines = Screens.render(s).text.split(separator: "\n").map(String.init)
        let up = try #require(lines.first { $0.contains("move up") })
        let enter = try #require(lines.first { $0.contains("open detail") })
        #expect(up.contains("k Up"))
        #expect(up.range(of: "move up")?.lowerBound.utf16Offset(in: up) == enter.range(of: "open detail")?.lowerBound.utf16Offset(in: enter),
                "\(up) / \(enter)")
    }

    /// Typed non-ASCII is kept whole and drawn as its escape, cell for cell:
    /// the text after it is not drawn over it, focused or not.
    @Test func typedNonASCIIIsDrawnWholeInAFormField() {
        var s = listState(width: 100, height: 30)
        _ = reduce(&s, .key(.char("n")))
        for c in "renée.dupont@example.fr" { _ = reduce(&s, .key(.char(c))) }
        #expect(s.form?.user.text == "renée.dupont@example.fr")
        let focused = Screens.render(ascii(s)).text
        #expect(focused.contains("ren\\u00e9e.dupont@example.fr"), "\(focused)")
        _ = reduce(&s, .key(.tab))
        let unfocused = Screens.render(ascii(s)).text
        #expect(unfocused.contains("ren\\u00e9e.dupont@example.fr"), "\(unfocused)")
    }

    @Test func serverTextIsEscapedReadably() {
        let text = Screens.render(ascii(detailState(width: 120, height: 40))).text
        #expect(text.contains("\\u4f8b\\u3048.jp"), "\(text)")
        #expect(text.contains("CoClick - ") || text.contains("Meeting "), "\(text)")
    }
}
