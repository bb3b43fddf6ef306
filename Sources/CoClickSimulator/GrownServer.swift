import CoClickAPI
import Foundation

/// A server that has grown since the documentation (`SimulatorOptions.grown`,
/// `coclick simulator --grown`): what a real CoClick may send that the docs
/// do not show, so clients can be tested against it.
///
/// - unknown fields, in the middle of objects as well as at the end;
/// - `starts_at` in UTC with `Z` and no fraction (`2026-11-29T20:00:00Z`);
/// - numbers a `Double` cannot hold exactly in `custom_data`
///   (`12345678901234567890`, `0.1000`, `1E+2`);
/// - an unknown status (`on_hold`) on the first meeting;
/// - a page size clamped to `GrownServer.maxPer` without saying so (no
///   `X-Per`/`X-Total` headers).
enum GrownServer {
    static let maxPer = 7
    static let unknownStatus = "on_hold"
    static let bigInteger = "12345678901234567890"

    /// "2026-11-29T20:00:00Z".
    static func zDate(_ d: APIDate) -> String {
        let text = APIDate.format(d.date, offsetSeconds: 0)
        return String(text.prefix(19)) + "Z"
    }

    static func status(_ m: StoredMeeting, isFirst: Bool, now: Date) -> String {
        isFirst ? unknownStatus : m.status(at: now).rawValue
    }

    static func listJSON(_ m: StoredMeeting, isFirst: Bool, now: Date) -> WireJSON {
        .object([
            ("id", .string(m.id)),
            (MeetingField.user.name, .string(m.user)),
            ("status", .string(status(m, isFirst: isFirst, now: now))),
            ("status_changed_at", .null),
            (MeetingField.startsAt.name, .string(zDate(m.startsAt))),
            ("room_name", .string("room-" + m.id.prefix(6))),
            ("tags", .array([.string("grown"), .raw("3")])),
        ])
    }

    static func detailJSON(_ m: StoredMeeting, isFirst: Bool, now: Date, origin: String) -> WireJSON {
        guard case .object(var pairs) = m.detailJSON(now: now, origin: origin) else { return .null }
        func set(_ key: String, _ value: WireJSON) {
            if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = value }
        }
        set("status", .string(status(m, isFirst: isFirst, now: now)))
        set(MeetingField.startsAt.name, .string(zDate(m.startsAt)))
        // custom_data with numbers a Double would bend, after what the meeting had.
        let extra: [(String, WireJSON)] = [("external_id", .raw(bigInteger)), ("ratio", .raw("0.1000")), ("scale", .raw("1E+2"))]
        switch pairs.first(where: { $0.0 == MeetingField.customData.name })?.1 {
        case .object(let o)?:
            set(MeetingField.customData.name, .object(o + extra))
        case .raw(let text)? where text.hasSuffix("}"):
            // Kept as a client sent it: the extra members go inside, the rest untouched.
            let inner = text.dropLast()
            let tail = extra.map { "\(WireJSON.string($0.0).text):\($0.1.text)" }.joined(separator: ",")
            set(MeetingField.customData.name, .raw(inner + (inner.hasSuffix("{") ? "" : ",") + tail + "}"))
        default:
            set(MeetingField.customData.name, .object(extra))
        }
        // An unknown field in the middle, and objects at the end.
        if let i = pairs.firstIndex(where: { $0.0 == "duration" }) {
            pairs.insert(("time_zone", .string("Europe/Paris")), at: i + 1)
        }
        pairs.append(("recording", .object([("enabled", .bool(false)), ("retention_days", .raw("30"))])))
        pairs.append(("participants", .array([.object([("role", .string("presenter")), ("joined_at", .null)])])))
        return .object(pairs)
    }
}
