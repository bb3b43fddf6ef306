import FuzzSupport
import CoClickAPI
import Dashboard
import Foundation
import PropertyBased
import Testing
import TerminalText
@testable import TerminalUI
import CNcurses

/// The input decoder on random input: whatever bytes a terminal (or a
/// paste, or line noise over ssh) delivers, in however many reads, decoding
/// never traps, and the events, reduced on every screen and drawn, never put
/// a raw control character on the screen.
@Suite struct KeyStreamPropertyTests {
    /// What `get_wch` hands the backend for a byte stream: the UTF-8 scalars
    /// (U+FFFD for broken sequences), now and then a key code, and pieces of
    /// what terminals send for a mouse report, a paste and Alt.
    static let keyInput = Generator<[(isFunction: Bool, code: UInt32)], Shrink.None<[(isFunction: Bool, code: UInt32)]>> { rng in
        let bytes = Fuzz.bytes(count: 0...48).run(using: &rng)
        var out: [(isFunction: Bool, code: UInt32)] = String(decoding: bytes, as: UTF8.self).unicodeScalars.map { (false, $0.value) }
        let sequences = ["\u{1b}[<0;5;3M", "\u{1b}[<0;5;3m", "\u{1b}[<65;1;1M", "\u{1b}[200~", "\u{1b}[201~", "\u{1b}x", "\u{1b}[<"]
        let codes: [UInt32] = [UInt32(bitPattern: NcursesBackend.pasteStartCode), UInt32(bitPattern: NcursesBackend.pasteEndCode),
                               UInt32(bitPattern: KEY_MOUSE), UInt32(bitPattern: coclick_key_resize())]
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            let at = out.isEmpty ? 0 : Int.random(in: 0...out.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: out.insert((true, UInt32.random(in: 0o400...0o777, using: &rng)), at: at) // KEY_MIN...KEY_MAX
            case 1: out.insert((false, UInt32.random(in: 0...UInt32.max, using: &rng)), at: at) // wint_t need not be a scalar
            case 2: out.insert(contentsOf: sequences.randomElement(using: &rng)!.unicodeScalars.map { (false, $0.value) }, at: at)
            case 3: out.insert((true, codes.randomElement(using: &rng)!), at: at)
            default: out.insert((false, [0x9B, 0x85, 0x202E, 0x2066, 0x1B, 0x7F, 0x0D].randomElement(using: &rng)!), at: at)
            }
        }
        return out
    }

    /// The input as the backend reads it (`readEvents`), cut into reads at
    /// `cuts`: an Esc at the end of a read is a key, a report cut after its
    /// third byte waits for the rest.
    static func decode(_ input: [(isFunction: Bool, code: UInt32)], cuts: [Int]) -> [TerminalEvent] {
        let raw: [InputDecoder.Raw] = input.compactMap { $0.isFunction ? NcursesBackend.rawKey(Int32(bitPattern: $0.code)) : .char($0.code) }
        var decoder = InputDecoder()
        var out: [TerminalEvent] = []
        var from = 0
        for cut in (cuts.map { min(max($0, from), raw.count) } + [raw.count]) {
            out += decoder.decode(Array(raw[from..<cut]))
            from = cut
        }
        return out
    }

    static func meetings() -> [Meeting] {
        let now = Date()
        var out: [Meeting] = []
        for i in 0..<12 {
            let id = String(repeating: "0", count: 60) + String(format: "%04x", i + 1)
            let user = i % 3 == 0 ? "evil\u{1B}[2J@example.com" : "hugh@example.com"
            let start = APIDate.inZone(now.addingTimeInterval(Double(i - 4) * 3600))
            out.append(Meeting(id: id, user: user, status: MeetingStatus.documented[i % 4], startsAt: start))
        }
        return out
    }

    /// The first raw control on screen, if any: every cell as the backend sends it.
    static func rawControl(_ buf: CellBuffer) -> String? {
        for y in 0..<buf.height {
            for x in 0..<buf.width where !buf[x, y].isContinuation {
                let sent = NcursesBackend.drawable(buf[x, y].text)
                if let bad = sent.first(where: SafeText.needsEscape) {
                    return "raw U+\(String(bad.value, radix: 16)) at \(x),\(y):\n\(buf.text)"
                }
            }
        }
        return nil
    }

    @Test func randomKeyStreamsNeverPutARawControlOnScreen() {
        let list = Self.meetings()
        var base = AppState(settings: DashboardSettings(clipboardMode: .off, apiDescription: "demo", keymap: .standard),
                            themeNames: ["default", "mono"], now: Date(), timeZone: TimeZone(identifier: "UTC")!, width: 80, height: 24)
        base.inFlight.insert(base.query)
        _ = reduce(&base, .listLoaded(query: base.query, page: MeetingPage(meetings: list, page: 1, per: 20), company: "Demo", at: Date()))
        // Start on each screen: the list, the form (where typed text lands), the help.
        var starts = [base]
        var form = base
        _ = reduce(&form, .key(.char("n")))
        starts.append(form)
        var help = base
        _ = reduce(&help, .key(.char("?")))
        starts.append(help)

        forAll(2000, seed: 31, zip(Self.keyInput, Gen.int(in: 0..<starts.count), Gen.int(in: 0...60), Gen.int(in: 0...60))) { input, start, cut1, cut2 in
            var s = starts[start]
            for event in Self.decode(input, cuts: [min(cut1, cut2), max(cut1, cut2)]) {
                switch event {
                case .key(let key):
                    if case .char(let c) = key, c.unicodeScalars.contains(where: { $0.value == 0 }) { return "NUL became a character" }
                    _ = reduce(&s, .key(key))
                case .paste(let text): _ = reduce(&s, .paste(text))
                case .mouse(let e): _ = reduce(&s, .mouse(e, target: Screens.render(s).target(atRow: e.y)))
                case .resize: _ = reduce(&s, .resize(width: 80, height: 24))
                }
            }
            return Self.rawControl(Screens.render(s))
        }
    }

    @Test func everyWideCharacterCodeDecodesWithoutTrapping() {
        forAll(20000, seed: 32, Gen.uint32()) { v in
            var d = InputDecoder()
            _ = d.decode([.char(v)] + (NcursesBackend.rawKey(Int32(bitPattern: v)).map { [$0] } ?? []) + [.byte(UInt8(truncatingIfNeeded: v))])
            return nil
        }
        for v: UInt32 in [0, 0x1F, 0x7F, 0x80, 0x9F, 0xD800, 0xDFFF, 0x10FFFF, 0x110000, .max] {
            var d = InputDecoder()
            _ = d.decode([.char(v)])
        }
    }
}
