import TerminalText

/// OSC 8 hyperlinks: what a server URL may become as a link target.
public enum Hyperlink {
    /// http(s) only; every byte outside printable ASCII percent-encoded, so
    /// nothing in it can end or bend the escape sequence.
    public static func target(_ raw: String) -> String? {
        let lower = raw.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        var out = ""
        for b in raw.utf8 {
            if b > 0x20, b < 0x7F { out.unicodeScalars.append(Unicode.Scalar(b)) }
            else { out += "%" + b.zeroPadded(2, radix: 16, uppercase: true) }
        }
        return out
    }
}
