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
    /// An object: as a client sent it (key order, numbers exactly), or the fixture's.
    var customData: RawJSON? = nil
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
    func listJSON(now: Date) -> RawJSON {
        .object([
            .init(MeetingKey.id, .string(id)),
            .init(MeetingKey.user, .string(user)),
            .init(MeetingKey.status, .string(status(at: now).rawValue)),
            .init(MeetingKey.startsAt, .string(startsAt.text)),
        ])
    }

    /// The documented detail shape: all twelve keys, in the documentation's order, nulls written.
    func detailJSON(now: Date, origin: String) -> RawJSON {
        .object(MeetingKey.detailOrder.map { key in .init(key, value(of: key, now: now, origin: origin)) })
    }

    private func value(of key: MeetingKey, now: Date, origin: String) -> RawJSON {
        switch key {
        case .token, .id: return .string(id)
        case .status: return .string(status(at: now).rawValue)
        case .startsAt: return .string(startsAt.text)
        case .duration: return duration.map(RawJSON.int) ?? .null
        case .cobrowsingURL: return .string(cobrowsingURL)
        case .cookies: return .array(cookies.map(RawJSON.init))
        case .user: return .string(user)
        case .customData: return customData ?? .null
        case .presenterWaitingRoomIframeURL: return .nullable(presenterWaitingRoomIframeURL)
        case .prospectWaitingRoomIframeURL: return .nullable(prospectWaitingRoomIframeURL)
        case .prospectRoomURL: return .string(Self.prospectRoomURL(origin: origin, token: id))
        case .presenterRoomURL: return .string(Self.presenterRoomURL(origin: origin, token: id))
        default: return .null
        }
    }

    func model(now: Date, origin: String) -> Meeting {
        Meeting(
            id: id, user: user, status: status(at: now), startsAt: startsAt, duration: duration,
            cobrowsingURL: cobrowsingURL, cookies: cookies, customData: customData.map(JSONValue.init),
            presenterWaitingRoomIframeURL: presenterWaitingRoomIframeURL,
            prospectWaitingRoomIframeURL: prospectWaitingRoomIframeURL,
            prospectRoomURL: Self.prospectRoomURL(origin: origin, token: id),
            presenterRoomURL: Self.presenterRoomURL(origin: origin, token: id),
            isDetail: true
        )
    }

    static func prospectRoomURL(origin: String, token: String) -> String { origin + "/" + APIPath.prospectRoom + "/" + token }
    static func presenterRoomURL(origin: String, token: String) -> String { origin + "/" + APIPath.presenterRoom + "/" + token }

    /// The body of a rejected create, as documented: every detail key null
    /// (but status "scheduled" and cookies `[]`), plus the `errors` object.
    static func rejectionJSON(_ errors: [(String, [String])]) -> RawJSON {
        var members: [RawJSON.Member] = MeetingKey.detailOrder.map { key in
            switch key {
            case .status: return .init(key, .string(MeetingStatus.scheduled.rawValue))
            case .cookies: return .init(key, .array([]))
            default: return .init(key, .null)
            }
        }
        members.append(.init(MeetingKey.errors, .object(errors.map { .init($0.0, .array($0.1.map(RawJSON.string))) })))
        return .object(members)
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
