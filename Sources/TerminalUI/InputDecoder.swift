import Dashboard

/// Turns what ncurses reads into keys, and xterm SGR mouse reports
/// (`ESC [ < b ; x ; y M|m`, mode 1006) into `.mouse` keys. ncurses knows no
/// SGR report (and coclick asks it for no mouse), so a report arrives as the
/// characters it is made of; they are put back together here. Pure, so it
/// is tested without a terminal.
struct InputDecoder {
    /// One unit of what `get_wch` returned.
    enum Raw: Sendable, Hashable {
        /// A character code (`OK`).
        case char(UInt32)
        /// A function key ncurses decoded (`KEY_CODE_YES`).
        case key(Key)
        /// ncurses matched the terminal's `kmous` (`ESC [ <` or `ESC [ M`) itself.
        case mouseIntro
    }

    /// The start of a mouse report the last read ended in the middle of.
    private(set) var pending: [UInt32] = []
    /// Longer is not a mouse report (three numbers of up to 5 digits).
    static let maxReport = 24

    mutating func decode(_ input: [Raw]) -> [Key] {
        var out: [Key] = []
        for raw in input {
            switch raw {
            case .mouseIntro:
                flush(into: &out)
                pending = [27, 91, 60]
            case .key(let k):
                flush(into: &out)
                out.append(k)
            case .char(let v):
                feed(v, into: &out)
            }
        }
        // A lone Esc (or Esc [) at the end of a read is a key; a report cut
        // after its "<" waits for the rest in the next read.
        if pending.count < 3 { flush(into: &out) }
        return out
    }

    private mutating func feed(_ v: UInt32, into out: inout [Key]) {
        switch pending.count {
        case 0:
            if v == 27 { pending = [27] } else { out += Self.plain(v) }
        case 1:
            if v == 91 { pending.append(v) } else { flush(into: &out); feed(v, into: &out) }
        case 2:
            if v == 60 { pending.append(v) } else { flush(into: &out); feed(v, into: &out) }
        default:
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
    }

    /// What was held back, as the keys it is.
    private mutating func flush(into out: inout [Key]) {
        let held = pending
        pending = []
        for v in held { out += Self.plain(v) }
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
