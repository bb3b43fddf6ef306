#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// glibc declares wcwidth only under _XOPEN_SOURCE, which the Glibc module
// does not set; bind the C symbol directly (int wcwidth(wchar_t)).
@_silgen_name("wcwidth")
private func c_wcwidth(_ c: Int32) -> Int32

/// Terminal column widths, per grapheme cluster: CJK and emoji take two
/// cells, combining marks none, and a ZWJ sequence or a character with a
/// variation selector counts as one cluster (at most two cells).
public enum TextWidth {
    /// glibc's `wcwidth` answers -1 for anything non-ASCII in the "C" locale,
    /// so make sure character classification is UTF-8 before the first call.
    private static let localeReady: Bool = {
        if let current = setlocale(LC_CTYPE, nil), String(cString: current).lowercased().contains("utf") { return true }
        if setlocale(LC_CTYPE, "") != nil, let now = setlocale(LC_CTYPE, nil), String(cString: now).lowercased().contains("utf") { return true }
        return setlocale(LC_CTYPE, "C.UTF-8") != nil
    }()

    public static func of(_ s: String) -> Int {
        var total = 0
        for ch in s { total += of(ch) }
        return total
    }

    public static func of(_ ch: Character) -> Int {
        let scalars = ch.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.isASCII {
            return first.value < 0x20 || first.value == 0x7F ? 0 : 1
        }
        _ = localeReady
        // Emoji presentation (VS16, ZWJ sequences, emoji modifiers) is two cells wide.
        if scalars.count > 1, scalars.contains(where: { $0.value == 0xFE0F || $0.value == 0x200D || (0x1F3FB...0x1F3FF).contains($0.value) }) {
            return 2
        }
        if first.properties.isEmojiPresentation { return 2 }
        let w = Int(c_wcwidth(Int32(bitPattern: first.value)))
        if w < 0 {
            // Unknown to the C library: combining marks take none, anything else one.
            return first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark ? 0 : 1
        }
        return min(w, 2)
    }
}
