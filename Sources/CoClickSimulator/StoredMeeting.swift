import CoClickAPI
import Foundation

/// A meeting as the simulator keeps it. Its status is not stored but derived
/// from the clock each time it is read, so data changes while a client watches.
struct StoredMeeting: Sendable, Hashable {
    var id: String
    var user: String
    var startsAt: APIDate
    /// Seconds (the API documents no unit; coclick reads seconds); `nil` is written as JSON `null`.
    var duration: Int?
    var cobrowsingURL: String
    var cookies: [Cookie] = []
    var customData: JSONValue? = nil
    /// custom_data exactly as a client sent it (compact JSON text), when it came from a create.
    var customDataText: String? = nil
    var presenterWaitingRoomIframeURL: String? = nil
    var prospectWaitingRoomIframeURL: String? = nil
    /// Set for a meeting that was cancelled: time no longer moves it.
    var cancelled = false

    /// A meeting without a duration is taken to last this long when deciding
    /// whether it is still in progress.
    static let assumedDurationSeconds = 3600

    /// scheduled before its start, in_progress until start + duration, closed after; cancelled stays cancelled.
    func status(at now: Date) -> MeetingStatus {
        if cancelled { return .cancelled }
        if now < startsAt.date { return .scheduled }
        let seconds = duration ?? Self.assumedDurationSeconds
        if now < startsAt.date.addingTimeInterval(TimeInterval(seconds)) { return .inProgress }
        return .closed
    }

    /// The documented list item: exactly `id`, `user`, `status`, `starts_at`.
    func listJSON(now: Date) -> WireJSON {
        .object([
            ("id", .string(id)),
            (MeetingField.user.name, .string(user)),
            ("status", .string(status(at: now).rawValue)),
            (MeetingField.startsAt.name, .string(startsAt.text)),
        ])
    }

    /// The documented detail shape: all twelve keys, in the documentation's order, nulls written.
    func detailJSON(now: Date, origin: String) -> WireJSON {
        .object([
            ("token", .string(id)),
            ("status", .string(status(at: now).rawValue)),
            (MeetingField.startsAt.name, .string(startsAt.text)),
            ("duration", duration.map(WireJSON.int) ?? .null),
            (MeetingField.cobrowsingURL.name, .string(cobrowsingURL)),
            (MeetingField.cookies.name, .array(cookies.map {
                .object([("domain", .string($0.domain)), ("name", .string($0.name)), ("value", .string($0.value))])
            })),
            (MeetingField.user.name, .string(user)),
            (MeetingField.customData.name, customDataText.map(WireJSON.raw) ?? customData.map(WireJSON.init) ?? .null),
            (MeetingField.presenterIframe.name, .string(presenterWaitingRoomIframeURL)),
            (MeetingField.prospectIframe.name, .string(prospectWaitingRoomIframeURL)),
            ("prospect_room_url", .string(Self.prospectRoomURL(origin: origin, token: id))),
            ("presenter_room_url", .string(Self.presenterRoomURL(origin: origin, token: id))),
        ])
    }

    func model(now: Date, origin: String) -> Meeting {
        Meeting(
            id: id, user: user, status: status(at: now), startsAt: startsAt, duration: duration,
            cobrowsingURL: cobrowsingURL, cookies: cookies, customData: customData,
            presenterWaitingRoomIframeURL: presenterWaitingRoomIframeURL,
            prospectWaitingRoomIframeURL: prospectWaitingRoomIframeURL,
            prospectRoomURL: Self.prospectRoomURL(origin: origin, token: id),
            presenterRoomURL: Self.presenterRoomURL(origin: origin, token: id),
            isDetail: true
        )
    }

    static func prospectRoomURL(origin: String, token: String) -> String { origin + "/essai/room/" + token }
    static func presenterRoomURL(origin: String, token: String) -> String { origin + "/essai/presenter/" + token }

    /// The error body of a rejected create: every detail key null (status
    /// "scheduled", cookies `[]`), as documented, plus the `errors` object.
    static func errorJSON(_ errors: [(String, [String])]) -> WireJSON {
        .object([
            ("token", .null),
            ("status", .string("scheduled")),
            (MeetingField.startsAt.name, .null),
            ("duration", .null),
            (MeetingField.cobrowsingURL.name, .null),
            (MeetingField.cookies.name, .array([])),
            (MeetingField.user.name, .null),
            (MeetingField.customData.name, .null),
            (MeetingField.presenterIframe.name, .null),
            (MeetingField.prospectIframe.name, .null),
            ("prospect_room_url", .null),
            ("presenter_room_url", .null),
            ("errors", .object(errors.map { ($0.0, .array($0.1.map(WireJSON.string))) })),
        ])
    }
}

/// Meeting ids and tokens: 64 lowercase hex characters, as in the documentation.
struct HexIDs {
    private var state: UInt64

    /// Deterministic ids for seed data, so a fixture looks the same every run.
    init(seed: UInt64) { state = seed }

    /// SplitMix64.
    mutating func next64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> String {
        (0..<4).map { _ in
            let h = String(next64(), radix: 16)
            return String(repeating: "0", count: 16 - h.count) + h
        }.joined()
    }

    static func random() -> String {
        var g = HexIDs(seed: UInt64.random(in: .min ... .max))
        return g.next()
    }
}
