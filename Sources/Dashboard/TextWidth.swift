#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Terminal column widths, per grapheme cluster (what the user sees as one
/// character). CJK and emoji take 2 columns, combining marks 0, and emoji
/// sequences (ZWJ, VS16, flags) count as one 2-column picture.
public enum TextWidth {
    /// glibc's wcwidth answers -1 for everything non-ASCII in the C locale.
    private static let localeReady: Bool = {
        let current = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
        if !current.uppercased().contains("UTF-8"), !current.uppercased().contains("UTF8") {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "en_US.UTF-8") }
        }
        return true
    }()

    public static func scalarWidth(_ u: Unicode.Scalar) -> Int {
        _ = localeReady
        return Int(c_wcwidth(Int32(bitPattern: u.value)))
    }

    /// The columns one grapheme cluster takes: 0, 1 or 2.
    public static func width(_ c: Character) -> Int {
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) { return 0 }
        if first.value < 0x7F { return 1 }
        if scalars.count > 1 {
            let picture = scalars.contains { $0.value == 0x200D || $0.value == 0xFE0F }
                || (0x1F1E6...0x1F1FF).contains(first.value)
            if picture && (first.properties.isEmoji || (0x1F1E6...0x1F1FF).contains(first.value)) { return 2 }
        }
        let w = scalarWidth(first)
        if w < 0 { return first.properties.generalCategory == .format ? 0 : 1 }
        return min(w, 2)
    }

    public static func width(_ s: String) -> Int {
        var total = 0
        for c in s { total += width(c) }
        return total
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

// <wchar.h>'s wcwidth is not exported by the Glibc module (it needs _XOPEN_SOURCE).
@_silgen_name("wcwidth")
private func c_wcwidth(_ c: Int32) -> Int32
