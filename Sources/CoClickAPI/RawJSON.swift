#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON exactly as it was written: objects keep their keys in order (and
/// keys the models do not know), numbers keep their literal text (a 20-digit
/// integer, `0.1000`, `1E+2`), strings are kept as their values. What
/// `--json` prints and what `--custom-data` sends, so neither is bent by a
/// round trip through `Double` or a dictionary.
///
/// The reader is strict RFC 8259: no trailing commas, comments, single
/// quotes, leading zeros, NaN, or raw control characters in strings. Every
/// input gives a value or a `RawJSON.Failure`; nesting is bounded.
public indirect enum RawJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number's literal text, as sent.
    case number(String)
    case string(String)
    case array([RawJSON])
    case object([Member])

    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: RawJSON
        public init(_ key: String, _ value: RawJSON) {
            self.key = key
            self.value = value
        }
        /// A member named by one of the API's names.
        public init<Key: CodingKey>(_ key: Key, _ value: RawJSON) {
            self.init(key.stringValue, value)
        }
    }

    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        /// Byte offset of the problem in the input.
        public let offset: Int
        public var description: String { "\(message) (at byte \(offset))" }
    }

    /// Arrays and objects nested deeper than this are refused rather than
    /// risking the stack: by this reader and, before decoding, by the client
    /// (`nestsTooDeep`), so the CLI and the dashboard accept the same bodies.
    public static let maxDepth = 256

    // MARK: Reading

    public static func parse(_ text: String) throws(Failure) -> RawJSON {
        try parse(Array(text.utf8))
    }

    public static func parse(_ data: Data) throws(Failure) -> RawJSON {
        try parse([UInt8](data))
    }

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> RawJSON {
        var reader = Reader(bytes: bytes)
        // A UTF-8 byte order mark is tolerated, as most readers do.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.i = 3 }
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.i == bytes.count else { throw reader.fail("unexpected text after the JSON value") }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        var i = 0

        func fail(_ message: String) -> Failure { Failure(message: message, offset: i) }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func literal(_ word: String, _ value: RawJSON) throws(Failure) -> RawJSON {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw fail("not JSON") }
            i += w.count
            return value
        }

        mutating func value(depth: Int) throws(Failure) -> RawJSON {
            guard i < bytes.count else { throw fail("unexpected end of the JSON text") }
            // `depth` arrays and objects hold this value: one more is refused past the limit (as `nestsTooDeep` counts).
            if bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "["), depth >= RawJSON.maxDepth {
                throw fail("nested more than \(RawJSON.maxDepth) levels deep")
            }
            switch bytes[i] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            case UInt8(ascii: "'"): throw fail("strings must use double quotes")
            default: throw fail("not JSON")
            }
        }

        mutating func object(depth: Int) throws(Failure) -> RawJSON {
            i += 1
            var members: [Member] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of the JSON text in an object") }
                if bytes[i] == UInt8(ascii: "}") { throw fail("trailing comma before }") }
                guard bytes[i] == UInt8(ascii: "\"") else { throw fail("object keys must be strings in double quotes") }
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after an object key") }
                i += 1
                skipSpace()
                members.append(Member(key, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of the JSON text in an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw fail("expected ',' or '}' in an object")
            }
        }

        mutating func array(depth: Int) throws(Failure) -> RawJSON {
            i += 1
            var items: [RawJSON] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of the JSON text in an array") }
                if bytes[i] == UInt8(ascii: "]") { throw fail("trailing comma before ]") }
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of the JSON text in an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail("expected ',' or ']' in an array")
            }
        }

        /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as written.
        mutating func number() throws(Failure) -> String {
            let start = i
            func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, digit(bytes[i]) else { throw fail("a number needs digits") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
                if i < bytes.count, digit(bytes[i]) { throw fail("numbers must not start with 0") }
            } else {
                while i < bytes.count, digit(bytes[i]) { i += 1 }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard i < bytes.count, digit(bytes[i]) else { throw fail("a decimal point needs digits after it") }
                while i < bytes.count, digit(bytes[i]) { i += 1 }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard i < bytes.count, digit(bytes[i]) else { throw fail("an exponent needs digits") }
                while i < bytes.count, digit(bytes[i]) { i += 1 }
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard i + 4 <= bytes.count else { throw fail("a \\u escape needs four hex digits") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x41...0x46: d = UInt32(b - 0x41 + 10)
                case 0x61...0x66: d = UInt32(b - 0x61 + 10)
                default: throw fail("a \\u escape needs four hex digits")
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }

        mutating func string() throws(Failure) -> String {
            i += 1
            var out: [UInt8] = []
            var scalars = String.UnicodeScalarView()
            func flush() {
                if !out.isEmpty {
                    scalars.append(contentsOf: String(decoding: out, as: UTF8.self).unicodeScalars)
                    out.removeAll(keepingCapacity: true)
                }
            }
            while true {
                guard i < bytes.count else { throw fail("unterminated string") }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { i += 1; break }
                if b < 0x20 { throw fail("raw control character in a string (escape it)") }
                if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
                i += 1
                guard i < bytes.count else { throw fail("unterminated string") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    flush()
                    var v = try hex4()
                    if (0xD800...0xDBFF).contains(v), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    // A lone surrogate has no character: it reads as U+FFFD.
                    scalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
                default:
                    throw fail("unknown escape in a string")
                }
            }
            flush()
            return String(scalars)
        }
    }

    // MARK: Writing

    /// How strings are escaped on writing.
    public enum Escaping: Sendable, Hashable {
        /// Quote, backslash and C0 controls (what JSON requires), and DEL, C1
        /// and bidi controls too, so a terminal never receives them raw.
        case terminalSafe
        /// Only what JSON requires: DEL, C1 and bidi controls travel raw, as a
        /// server may send them (the simulator's answers).
        case jsonOnly
    }

    /// JSON text: keys in their order, numbers as their literal text.
    /// `indent` > 0 pretty-prints; `asciiOnly` writes non-ASCII as `\u` escapes
    /// (the same values, for a terminal that is not UTF-8). `level` is how
    /// deep the value sits in a document written piece by piece (an item of
    /// a streamed array: 1).
    public func text(indent: Int = 2, asciiOnly: Bool = false, level: Int = 0, escaping: Escaping = .terminalSafe) -> String {
        var out = ""
        let style = Style(indent: indent, asciiOnly: asciiOnly, escaping: escaping)
        write(into: &out, style: style, level: level)
        return out
    }

    private struct Style {
        let indent: Int
        let asciiOnly: Bool
        let escaping: Escaping
    }

    private func write(into out: inout String, style: Style, level: Int) {
        let pretty = style.indent > 0
        func newline(_ l: Int) {
            if pretty { out += "\n" + String(repeating: " ", count: style.indent * l) }
        }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): RawJSON.quote(s, into: &out, style: style)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += "," }
                newline(level + 1)
                item.write(into: &out, style: style, level: level + 1)
            }
            newline(level)
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (k, m) in members.enumerated() {
                if k > 0 { out += "," }
                newline(level + 1)
                RawJSON.quote(m.key, into: &out, style: style)
                out += pretty ? ": " : ":"
                m.value.write(into: &out, style: style, level: level + 1)
            }
            newline(level)
            out += "}"
        }
    }

    /// RFC 8259 escaping: quote, backslash and control characters (with
    /// `.terminalSafe`, DEL, C1 and bidi controls too).
    private static func quote(_ s: String, into out: inout String, style: Style) {
        out += "\""
        func u(_ v: UInt32) {
            let h = String(v, radix: 16)
            out += "\\u" + String(repeating: "0", count: max(0, 4 - h.count)) + h
        }
        let terminalSafe = style.escaping == .terminalSafe
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let v = scalar.value
                if v < 0x20 || terminalSafe && ((0x7F...0x9F).contains(v) || (0x2028...0x2029).contains(v)
                    || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)) {
                    u(v)
                } else if style.asciiOnly, v > 0x7F {
                    if v > 0xFFFF {
                        let x = v - 0x10000
                        u(0xD800 + (x >> 10))
                        u(0xDC00 + (x & 0x3FF))
                    } else {
                        u(v)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    // MARK: Reading values

    public var members: [Member]? {
        if case .object(let m) = self { return m }
        return nil
    }

    public var items: [RawJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The first member named `key`.
    public subscript(key: String) -> RawJSON? {
        members?.first { $0.key == key }?.value
    }

    /// The first member named by `key` (one of the API's names).
    public subscript<Key: CodingKey>(key: Key) -> RawJSON? {
        self[key.stringValue]
    }

    /// The string's value, when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    // MARK: Building values

    /// A string, or `null` for nil.
    public static func nullable(_ s: String?) -> RawJSON { s.map(RawJSON.string) ?? .null }

    public static func int(_ i: Int) -> RawJSON { .number(String(i)) }

    /// A finite number (an integral one without a fraction), else `null`.
    public static func double(_ d: Double) -> RawJSON { RawJSON(JSONValue.double(d)) }

    /// `{"domain": …, "name": …, "value": …}`, in the documented schema's order.
    public init(_ cookie: Cookie) {
        self = .object([.init(CookieField.domain, .string(cookie.domain)), .init(CookieField.name, .string(cookie.name)),
                        .init(CookieField.value, .string(cookie.value))])
    }

    /// Compact JSON text as bytes, for a body.
    public var data: Data { Data(text(indent: 0).utf8) }

    /// A typed value as raw JSON (object keys sorted, so the text is stable).
    public init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(String(i))
        case .double(let d): self = d.isFinite ? .number(d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : .null
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(RawJSON.init))
        case .object(let o): self = .object(o.keys.sorted().map { Member($0, RawJSON(o[$0]!)) })
        }
    }

    /// The first number (as written) that a double cannot hold: what a JSON
    /// reader that reads numbers as doubles (the API's) refuses, like `1e400`.
    public var firstNumberBeyondDouble: String? {
        switch self {
        case .null, .bool, .string: return nil
        case .number(let n): return (Double(n)?.isFinite ?? false) ? nil : n
        case .array(let items): return items.lazy.compactMap(\.firstNumberBeyondDouble).first
        case .object(let members): return members.lazy.compactMap(\.value.firstNumberBeyondDouble).first
        }
    }

    /// Whether `bytes` nest arrays and objects deeper than `maxDepth`: checked
    /// before any other reader sees a server's body, so every reader in
    /// coclick (the models' decoder and this one) accepts the same documents.
    public static func nestsTooDeep(_ bytes: Data) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return false
    }

    /// The pages' arrays as one array (`--all`).
    public static func joined(_ pages: [RawJSON]) -> RawJSON {
        .array(pages.flatMap { $0.items ?? [$0] })
    }
}
