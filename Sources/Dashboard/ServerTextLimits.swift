import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the dashboard keeps of a meeting's text: no more than a screen can
/// ever show, cut once when the meeting arrives, so a server that sends a
/// 10 MB owner or custom data costs nothing on every frame after.
/// The room URLs stay whole (they are copied and opened), and so does the
/// custom data exactly as sent (`customDataRaw`, for duplicating).
enum ServerTextLimits {
    /// An email address is at most 254 characters.
    static let user = 320
    static let cookieField = 2_048
    static let cookies = 200
    static let string = 2_048
    static let members = 500
    static let depth = 32

    static func cut(_ m: Meeting) -> Meeting {
        var m = m
        if let u = m.user, u.utf8.count > user { m.user = String(u.prefix(user)) + "…" }
        if let cs = m.cookies, cs.count > cookies || cs.contains(where: { tooLong($0) }) {
            m.cookies = cs.prefix(cookies).map { c in
                Cookie(domain: cutText(c.domain, cookieField), name: cutText(c.name, cookieField), value: cutText(c.value, cookieField))
            }
        }
        if let d = m.customData { m.customData = cut(d, depth: 0) }
        return m
    }

    static func tooLong(_ c: Cookie) -> Bool {
        c.domain.utf8.count > cookieField || c.name.utf8.count > cookieField || c.value.utf8.count > cookieField
    }

    static func cutText(_ s: String, _ limit: Int) -> String {
        s.utf8.count > limit ? String(s.prefix(limit)) + "…" : s
    }

    static func cut(_ v: JSONValue, depth d: Int) -> JSONValue {
        switch v {
        case .string(let s): return .string(cutText(s, string))
        case .array(let a):
            guard d < depth else { return .string("[…]") }
            return .array(a.prefix(members).map { cut($0, depth: d + 1) })
        case .object(let o):
            guard d < depth else { return .string("{…}") }
            var out: [String: JSONValue] = [:]
            for key in o.keys.sorted().prefix(members) { out[cutText(key, string)] = cut(o[key]!, depth: d + 1) }
            return .object(out)
        default: return v
        }
    }
}
