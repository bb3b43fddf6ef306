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

    static func listJSON(_ m: StoredMeeting, isFirst: Bool, now: Date) -> RawJSON {
        .object([
            .init(MeetingKey.id, .string(m.id)),
            .init(MeetingKey.user, .string(m.user)),
            .init(MeetingKey.status, .string(status(m, isFirst: isFirst, now: now))),
            .init("status_changed_at", .null),
            .init(MeetingKey.startsAt, .string(zDate(m.startsAt))),
            .init("room_name", .string("room-" + m.id.prefix(6))),
            .init("tags", .array([.string("grown"), .number("3")])),
        ])
    }

    static func detailJSON(_ m: StoredMeeting, isFirst: Bool, now: Date, origin: String) -> RawJSON {
        guard case .object(var members) = m.detailJSON(now: now, origin: origin) else { return .null }
        func set(_ key: MeetingKey, _ value: RawJSON) {
            if let i = members.firstIndex(where: { $0.key == key.name }) { members[i].value = value }
        }
        set(.status, .string(status(m, isFirst: isFirst, now: now)))
        set(.startsAt, .string(zDate(m.startsAt)))
        // custom_data with numbers a Double would bend, after what the meeting had.
        let extra: [RawJSON.Member] = [.init("external_id", .number(bigInteger)), .init("ratio", .number("0.1000")), .init("scale", .number("1E+2"))]
        set(.customData, .object((m.customData?.members ?? []) + extra))
        // An unknown field in the middle, and objects at the end.
        if let i = members.firstIndex(where: { $0.key == MeetingKey.duration.name }) {
            members.insert(.init("time_zone", .string("Europe/Paris")), at: i + 1)
        }
        members.append(.init("recording", .object([.init("enabled", .bool(false)), .init("retention_days", .number("30"))])))
        members.append(.init("participants", .array([.object([.init("role", .string("presenter")), .init("joined_at", .null)])])))
        return .object(members)
    }
}
