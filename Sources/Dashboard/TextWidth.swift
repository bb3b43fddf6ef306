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
/// cells, combining marks none, and a ZWJ sequence, a character with a
/// variation selector or a flag counts as one cluster (at most two cells).
public enum TextWidth {
    /// glibc's `wcwidth` answers -1 for anything non-ASCII in the "C" locale,
    /// so make sure character classification is UTF-8 before the first call.
    private static let localeReady: Bool = {
        if let current = setlocale(LC_CTYPE, nil), String(cString: current).lowercased().contains("utf") { return true }
        if setlocale(LC_CTYPE, "") != nil, let now = setlocale(LC_CTYPE, nil), String(cString: now).lowercased().contains("utf") { return true }
        return setlocale(LC_CTYPE, "C.UTF-8") != nil
    }()

    public static func of(_ s: String) -> Int { width(s) }
    public static func of(_ ch: Character) -> Int { width(ch) }

    /// The C library's width of one scalar (-1 when unknown).
    public static func scalarWidth(_ u: Unicode.Scalar) -> Int {
        _ = localeReady
        return Int(c_wcwidth(Int32(bitPattern: u.value)))
    }

    public static func width(_ s: String) -> Int {
        var total = 0
        for ch in s { total += width(ch) }
        return total
    }

    /// The columns one grapheme cluster takes: 0, 1 or 2.
    public static func width(_ ch: Character) -> Int {
        let scalars = ch.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.isASCII {
            return first.value < 0x20 || first.value == 0x7F ? 0 : 1
        }
        if (0x80..<0xA0).contains(first.value) { return 0 }
        // Emoji presentation (VS16, ZWJ sequences, emoji modifiers, flags) is two cells wide.
        if scalars.count > 1, scalars.contains(where: { $0.value == 0xFE0F || $0.value == 0x200D || (0x1F3FB...0x1F3FF).contains($0.value) }) {
            return 2
        }
        if (0x1F1E6...0x1F1FF).contains(first.value) { return scalars.count > 1 ? 2 : 1 }
        if first.properties.isEmojiPresentation { return 2 }
        let w = scalarWidth(first)
        if w < 0 {
            // Unknown to the C library: combining marks and format characters take none, anything else one.
            switch first.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: return 0
            default: return 1
            }
        }
        return min(w, 2)
    }

    /// Pads with spaces to `columns`, or cuts with `…` when longer.
    public static func fit(_ s: String, _ columns: Int) -> String {
        let w = width(s)
        if w <= columns { return s + String(repeating: " ", count: columns - w) }
        let cut = clip(s, columns)
        return cut + String(repeating: " ", count: max(0, columns - width(cut)))
    }

    /// Cuts to at most `columns`, ending with `…` when something was cut.
    public static func clip(_ s: String, _ columns: Int) -> String {
        guard columns > 0 else { return "" }
        if width(s) <= columns { return s }
        var out = ""
        var used = 0
        for c in s {
            let w = width(c)
            if used + w > columns - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }

    /// Splits into pieces of at most `columns` columns (hard wrap, for URLs and tokens).
    public static func chunks(_ s: String, _ columns: Int) -> [String] {
        guard columns > 0 else { return [s] }
        var out: [String] = []
        var cur = ""
        var used = 0
        for c in s {
            let w = width(c)
            if used + w > columns, !cur.isEmpty {
                out.append(cur)
                cur = ""
                used = 0
            }
            cur.append(c)
            used += w
        }
        if !cur.isEmpty || out.isEmpty { out.append(cur) }
        return out
    }
}
