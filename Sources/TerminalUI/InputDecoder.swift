import Dashboard

/// Turns what ncurses reads into terminal events: xterm SGR mouse reports
/// (`ESC [ < b ; x ; y M|m`, mode 1006) into `.mouse`, bracketed paste
/// (`ESC [ 200 ~` text `ESC [ 201 ~`, mode 2004) into one `.paste`, Esc and a
/// character into `.alt`, and, in a locale that is not UTF-8, the terminal's
/// UTF-8 bytes into characters. ncurses knows none of these (coclick asks it
/// for no mouse), so they arrive as the characters they are made of and are
/// put back together here. Pure, so it is tested without a terminal.
struct InputDecoder {
    /// One unit of what ncurses returned.
    enum Raw: Sendable, Hashable {
        /// A character code (`get_wch` returned `OK`).
        case char(UInt32)
        /// One byte of input, read with `wgetch` where the locale is not UTF-8:
        /// the terminal's UTF-8 is decoded here so `é` is not lost.
        case byte(UInt8)
        /// A function key ncurses decoded (`KEY_CODE_YES`).
        case key(Key)
        /// ncurses matched the terminal's `kmous` (`ESC [ <` or `ESC [ M`) itself.
        case mouseIntro
        /// ncurses matched the paste markers (defined with `define_key`).
        case pasteStart, pasteEnd
        /// ncurses saw the terminal change size (`KEY_RESIZE`).
        case resize
    }

    /// The start of an escape sequence the last read ended in the middle of.
    private(set) var pending: [UInt32] = []
    /// Longer is not a mouse report (three numbers of up to 5 digits).
    static let maxReport = 24
    /// A paste is being read (its start marker came, its end has not).
    private(set) var pasting = false
    private var pasted: [Unicode.Scalar] = []
    /// What a paste may hold; past it the rest is dropped (and said, by the cut).
    static let maxPaste = 1 << 20
    /// The bytes of a UTF-8 character not complete yet.
    private var utf8: [UInt8] = []

    static let pasteStartSequence: [UInt32] = [27, 91, 50, 48, 48, 126]
    static let pasteEndSequence: [UInt32] = [27, 91, 50, 48, 49, 126]
    static let mouseIntroSequence: [UInt32] = [27, 91, 60]
    static let pasteStartText = "\u{1b}[200~"
    static let pasteEndText = "\u{1b}[201~"

    mutating func decode(_ input: [Raw]) -> [TerminalEvent] {
        var out: [TerminalEvent] = []
        for raw in input {
            if case .byte(let b) = raw {
                for v in decodeUTF8(b) { feed(v, into: &out) }
                continue
            }
            if !utf8.isEmpty { for v in flushUTF8() { feed(v, into: &out) } }
            switch raw {
            case .byte: break
            case .pasteStart:
                flush(into: &out)
                startPaste()
            case .pasteEnd:
                flush(into: &out)
                if pasting { endPaste(into: &out) }
            case .mouseIntro:
                if pasting { pasteFeed(Self.mouseIntroSequence, into: &out); continue }
                flush(into: &out)
                pending = Self.mouseIntroSequence
            case .key(let k):
                // A function key inside a paste is an escape sequence in the text: not a key.
                if pasting { continue }
                flush(into: &out)
                out.append(.key(k))
            case .resize:
                flush(into: &out)
                out.append(.resize)
            case .char(let v):
                feed(v, into: &out)
            }
        }
        // A lone Esc (or Esc [) at the end of a read is a key; a mouse report
        // or paste marker cut after its third byte waits for the rest.
        if pending.count < 3 { flush(into: &out) }
        return out
    }

    private mutating func feed(_ v: UInt32, into out: inout [TerminalEvent]) {
        if pasting { pasteFeed([v], into: &out); return }
        if pending.isEmpty {
            if v == 27 { pending = [27] } else { out += Self.plain(v).map(TerminalEvent.key) }
            return
        }
        if pending.starts(with: Self.mouseIntroSequence) { mouseFeed(v, into: &out); return }
        pending.append(v)
        if pending == Self.pasteStartSequence {
            pending = []
            startPaste()
            return
        }
        if Self.pasteStartSequence.starts(with: pending) || Self.pasteEndSequence.starts(with: pending) || pending == Self.mouseIntroSequence {
            return
        }
        pending.removeLast()
        // Esc and a character in the same read: the terminal's Alt (Meta) + that key.
        // Esc [ and Esc O begin what arrows and function keys send: never Alt.
        if pending == [27], v >= 0x20, v != 0x7F, v != 91, v != 79, let u = Unicode.Scalar(v), !(0x80...0x9F).contains(v) {
            pending = []
            out.append(.key(.alt(Character(u))))
            return
        }
        flush(into: &out)
        feed(v, into: &out)
    }

    /// The part after `ESC [ <`: digits and `;`, then `M` or `m`.
    private mutating func mouseFeed(_ v: UInt32, into out: inout [TerminalEvent]) {
        if (48...57).contains(v) || v == 59 {
            pending.append(v)
            if pending.count > Self.maxReport { flush(into: &out) }
        } else if v == 77 || v == 109 {
            let fields = String(decoding: pending.dropFirst(3).map { UInt8($0) }, as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false)
            pending = []
            if fields.count == 3, let b = Int(fields[0]), let x = Int(fields[1]), let y = Int(fields[2]),
               let e = MouseEvent.sgr(button: b, column: x, row: y, final: v == 77 ? "M" : "m") {
                out.append(.mouse(e))
            }
            // A malformed report is dropped whole: its digits are not keys the user typed.
        } else {
            flush(into: &out)
            feed(v, into: &out)
        }
    }

    private mutating func startPaste() {
        pasting = true
        pasted = []
    }

    /// Collects pasted text until the end marker, which is not part of it.
    private mutating func pasteFeed(_ values: [UInt32], into out: inout [TerminalEvent]) {
        for v in values {
            guard let u = Unicode.Scalar(v) else { continue }
            if pasted.count < Self.maxPaste + Self.pasteEndSequence.count { pasted.append(u) }
            if pasted.count >= Self.pasteEndSequence.count,
               pasted.suffix(Self.pasteEndSequence.count).map(\.value) == Self.pasteEndSequence {
                pasted.removeLast(Self.pasteEndSequence.count)
                endPaste(into: &out)
            }
        }
    }

    private mutating func endPaste(into out: inout [TerminalEvent]) {
        var text = ""
        text.unicodeScalars.append(contentsOf: pasted.prefix(Self.maxPaste))
        pasting = false
        pasted = []
        if !text.isEmpty { out.append(.paste(text)) }
    }

    /// Scalars for the bytes so far: ASCII at once, a UTF-8 sequence once
    /// complete. A byte that is not UTF-8 is taken as Latin-1 (what a
    /// terminal in such a locale sends), so nothing typed is dropped.
    private mutating func decodeUTF8(_ b: UInt8) -> [UInt32] {
        if utf8.isEmpty {
            switch b {
            case 0x00..<0x80: return [UInt32(b)]
            case 0xC2...0xF4: utf8 = [b]; return []
            default: return [UInt32(b)]
            }
        }
        guard b & 0xC0 == 0x80 else {
            return flushUTF8() + decodeUTF8(b)
        }
        utf8.append(b)
        let need = utf8[0] >= 0xF0 ? 4 : utf8[0] >= 0xE0 ? 3 : 2
        guard utf8.count == need else { return [] }
        var it = utf8.makeIterator()
        var codec = UTF8()
        if case .scalarValue(let s) = codec.decode(&it) {
            utf8 = []
            return [s.value]
        }
        return flushUTF8()
    }

    /// An incomplete UTF-8 sequence, as the Latin-1 characters its bytes are.
    private mutating func flushUTF8() -> [UInt32] {
        let held = utf8
        utf8 = []
        return held.map(UInt32.init)
    }

    /// What was held back, as the keys it is.
    private mutating func flush(into out: inout [TerminalEvent]) {
        let held = pending
        pending = []
        for v in held { out += Self.plain(v).map(TerminalEvent.key) }
    }

    static func plain(_ v: UInt32) -> [Key] {
        switch v {
        case 10, 13: return [.enter]
        case 9: return [.tab]
        case 27: return [.escape]
        case 8, 127: return [.backspace]
        case 1...26: return [.ctrl(Character(Unicode.Scalar(v + 96)!))]
        case 0, 28...31: return []
        default:
            guard let u = Unicode.Scalar(v) else { return [] }
            return [.char(Character(u))]
        }
    }
}
