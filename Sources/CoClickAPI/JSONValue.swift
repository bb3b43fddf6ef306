#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Any JSON value. `custom_data` is free-form, so it is carried as this and
/// printed back exactly (integers stay integers).
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) { self = .object(o); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses strict JSON text (RFC 8259: a trailing comma, a comment or a
    /// single quote is refused), or says why it is not JSON. Numbers a
    /// `Double` cannot hold exactly are kept exactly by `RawJSON`; use that
    /// where they must survive.
    public static func parse(_ text: String) throws -> JSONValue {
        do {
            return JSONValue(try RawJSON.parse(text))
        } catch {
            throw JSONTextError(message: "invalid JSON: \(error.description)")
        }
    }

    /// The value of a `RawJSON`: integers that fit in `Int` stay integers;
    /// other numbers become `Double`.
    public init(_ raw: RawJSON) {
        switch raw {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n):
            if let i = Int(n) { self = .int(i) } else { self = .double(Double(n) ?? 0) }
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(JSONValue.init))
        case .object(let members):
            var o: [String: JSONValue] = [:]
            for m in members where o[m.key] == nil { o[m.key] = JSONValue(m.value) }
            self = .object(o)
        }
    }

    /// Pretty, key-sorted JSON text.
    public func prettyText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// "an object", "a number"…, for messages: as `RawJSON` names it.
    public var kindName: String { RawJSON(self).kindName }
}

public struct JSONTextError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
