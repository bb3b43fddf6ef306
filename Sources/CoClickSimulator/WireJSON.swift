import CoClickAPI
import Foundation

/// JSON as the simulator writes it: objects keep their key order, so
/// responses list fields in the documentation's order, and `null` is written
/// rather than omitted.
enum WireJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([WireJSON])
    case object([(String, WireJSON)])
    /// JSON text written as is: a number literal a Double cannot hold
    /// (`12345678901234567890`), or a value a client sent, kept exactly.
    case raw(String)

    static func == (a: WireJSON, b: WireJSON) -> Bool { a.text == b.text }

    static func string(_ s: String?) -> WireJSON { s.map(WireJSON.string) ?? .null }

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(WireJSON.init))
        // Free-form objects come from a dictionary: sorted keys keep output stable.
        case .object(let o): self = .object(o.keys.sorted().map { ($0, WireJSON(o[$0]!)) })
        }
    }

    var text: String {
        var out = ""
        write(into: &out, indent: nil)
        return out
    }

    var data: Data { Data(text.utf8) }

    private func write(into out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case .raw(let text): out += text
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): WireJSON.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out, indent: indent)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += "," }
                WireJSON.quote(pair.0, into: &out)
                out += ":"
                pair.1.write(into: &out, indent: indent)
            }
            out += "}"
        }
    }

    /// RFC 8259 string escaping. Only what JSON requires is escaped (C0
    /// controls, quote, backslash); DEL, C1 controls and bidi overrides travel
    /// raw, as a real server would send them.
    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
