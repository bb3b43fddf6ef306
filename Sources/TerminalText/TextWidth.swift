#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
/// The C library's `int wcwidth(wchar_t)`. glibc declares it only under
/// _XOPEN_SOURCE, which the Glibc module does not set, so it is looked up
/// once by name (dlsym) and called as the C function it is.
private struct CWidthFunction: @unchecked Sendable {
    typealias Function = @convention(c) (Int32) -> Int32
    let function: Function?

    static let shared = CWidthFunction(function: {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "wcwidth") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }())
}

/// nil: no C library width to ask.
private func c_wcwidth(_ c: Int32) -> Int32? { CWidthFunction.shared.function?(c) }
#else
private func c_wcwidth(_ c: Int32) -> Int32? { Int32(wcwidth(wchar_t(c))) }
#endif

/// A UTF-8 character-classification locale of our own, used only around
/// calls to `wcwidth` on the calling thread (`uselocale`), so measuring text
/// never changes the process's locale (`setlocale`) behind anyone's back.
private struct WidthLocale: @unchecked Sendable {
    let handle: locale_t?

    static let shared = WidthLocale(handle: {
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] {
            if let l = newlocale(LC_CTYPE_MASK, name, nil) { return l }
        }
        return nil
    }())
}

/// Terminal column widths, per grapheme cluster: CJK and emoji take two
/// cells, combining marks none, and a ZWJ sequence, a character with a
/// variation selector or a flag counts as one cluster (at most two cells).
public enum TextWidth {
    /// The C library's width of one scalar in a UTF-8 locale (-1 when unknown).
    public static func scalarWidth(_ u: Unicode.Scalar) -> Int {
        if u.isASCII { return u.value < 0x20 || u.value == 0x7F ? -1 : 1 }
        guard let l = WidthLocale.shared.handle else { return fallbackWidth(u) }
        let previous = uselocale(l)
        defer { uselocale(previous) }
        guard let width = c_wcwidth(Int32(bitPattern: u.value)) else { return fallbackWidth(u) }
        return Int(width)
    }

    /// Without a UTF-8 locale on the machine: the East Asian wide ranges.
    static func fallbackWidth(_ u: Unicode.Scalar) -> Int {
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        case .control: return -1
        default: break
        }
        switch u.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
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
    public static func fit(_ s: String, _ columns: Int, charset: TerminalCharset = .utf8) -> String {
        let w = width(s)
        if w <= columns { return s + String(repeating: " ", count: columns - w) }
        let cut = clip(s, columns, charset: charset)
        return cut + String(repeating: " ", count: max(0, columns - width(cut)))
    }

    /// Cuts to at most `columns`, ending with `…` (ASCII: `~`) when something was cut.
    public static func clip(_ s: String, _ columns: Int, charset: TerminalCharset = .utf8) -> String {
        guard columns > 0 else { return "" }
        if width(s) <= columns { return s }
        // One column, so a cut never moves what follows it.
        let mark = charset.isASCII ? "~" : Glyph.ellipsis.rawValue
        var out = ""
        var used = 0
        for c in s {
            let w = width(c)
            if used + w > columns - 1 { break }
            out.append(c)
            used += w
        }
        return out + mark
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
