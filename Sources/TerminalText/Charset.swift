/// What the terminal can show: UTF-8, or only ASCII (a `C`/POSIX or other
/// non-UTF-8 locale). Decided from the environment as the C library would
/// (`LC_ALL`, then `LC_CTYPE`, then `LANG`), without calling `setlocale`:
/// reading it must not change the process's locale.
public enum TerminalCharset: Sendable, Hashable {
    case utf8
    case ascii

    /// The charset the environment asks for. An unset locale is the C locale: ASCII.
    public static func from(environment env: [String: String]) -> TerminalCharset {
        let name = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { env[$0] }.first { !$0.isEmpty } ?? "C"
        let lower = name.lowercased()
        return lower.contains("utf-8") || lower.contains("utf8") ? .utf8 : .ascii
    }

    /// The charset of this process's environment, read once.
    public static let current: TerminalCharset = {
        var env: [String: String] = [:]
        for key in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let v = getenvString(key) { env[key] = v }
        }
        return from(environment: env)
    }()

    public var isASCII: Bool { self == .ascii }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func getenvString(_ key: String) -> String? {
    guard let p = getenv(key) else { return nil }
    return String(cString: p)
}

/// The few non-ASCII characters coclick draws itself, each with the ASCII
/// stand-in used when the terminal is not UTF-8.
public enum Glyph: String, CaseIterable, Sendable {
    case ellipsis = "…"
    case dot = "·"
    case dash = "—"
    case cross = "✗"
    case arrowRight = "→"
    case arrowLeft = "←"
    case arrowUp = "↑"
    case arrowDown = "↓"
    case boxTopLeft = "┌"
    case boxTopRight = "┐"
    case boxBottomLeft = "└"
    case boxBottomRight = "┘"
    case boxHorizontal = "─"
    case boxVertical = "│"
    case bullet = "•"
    case check = "✓"
    case warning = "⚠"

    public var ascii: String {
        switch self {
        case .ellipsis: return "..."
        case .dot: return "-"
        case .dash: return "-"
        case .cross: return "x"
        case .arrowRight: return "->"
        case .arrowLeft: return "<-"
        case .arrowUp: return "Up"
        case .arrowDown: return "Down"
        case .boxTopLeft, .boxTopRight, .boxBottomLeft, .boxBottomRight: return "+"
        case .boxHorizontal: return "-"
        case .boxVertical: return "|"
        case .bullet: return "*"
        case .check: return "ok"
        case .warning: return "!"
        }
    }

    public func text(_ charset: TerminalCharset) -> String { charset.isASCII ? ascii : rawValue }

    static let byScalar: [Unicode.Scalar: Glyph] = {
        var out: [Unicode.Scalar: Glyph] = [:]
        for g in Glyph.allCases { out[g.rawValue.unicodeScalars.first!] = g }
        return out
    }()
}

extension TerminalCharset {
    /// Text fit for this terminal. UTF-8: unchanged. ASCII: coclick's own
    /// glyphs become their stand-ins, and any other non-ASCII character is
    /// written as a readable escape (`\u00e9`), never as raw UTF-8 bytes.
    public func fit(_ s: String) -> String {
        guard isASCII, !s.utf8.allSatisfy({ $0 < 0x80 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            if scalar.isASCII {
                out.unicodeScalars.append(scalar)
            } else if let g = Glyph.byScalar[scalar] {
                out += g.ascii
            } else {
                out += SafeText.visible(scalar)
            }
        }
        return out
    }
}
