/// Makes text from the server safe to put on a terminal: control characters,
/// escape sequences and bidi overrides are shown as visible escapes
/// (`\x1b`, `\u202e`) instead of being sent raw. Used for every server string
/// on screen and in the commands' human output.
public enum SafeText {
    public static func escape(_ s: String) -> String {
        // Fast path: most strings need nothing.
        if !s.unicodeScalars.contains(where: needsEscape) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for scalar in s.unicodeScalars {
            if needsEscape(scalar) {
                out += visible(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators.
    public static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        case 0x2028, 0x2029: return true
        default: return false
        }
    }

    static func visible(_ u: Unicode.Scalar) -> String {
        switch u.value {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x00...0x7F: return "\\x" + u.value.zeroPadded(2, radix: 16)
        default: return "\\u" + u.value.zeroPadded(4, radix: 16)
        }
    }
}
