#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of `POST /meetings`.
public struct NewMeeting: Sendable, Hashable {
    public var user: String
    public var startsAt: APIDate
    public var cobrowsingURL: String
    public var cookies: [Cookie]
    public var customData: [String: JSONValue]?
    /// The custom data object exactly as typed (key order, big integers,
    /// decimals); when set, it is what `jsonBody()` sends instead of `customData`.
    public var customDataRaw: RawJSON?
    public var presenterWaitingRoomIframeURL: String?
    public var prospectWaitingRoomIframeURL: String?

    /// The documented fields, in the documentation's order.
    public static let fieldOrder = MeetingField.allCases.map(\.name)

    public init(
        user: String, startsAt: APIDate, cobrowsingURL: String, cookies: [Cookie] = [],
        customData: [String: JSONValue]? = nil, presenterWaitingRoomIframeURL: String? = nil,
        prospectWaitingRoomIframeURL: String? = nil
    ) {
        self.user = user
        self.startsAt = startsAt
        self.cobrowsingURL = cobrowsingURL
        self.cookies = cookies
        self.customData = customData
        self.presenterWaitingRoomIframeURL = presenterWaitingRoomIframeURL
        self.prospectWaitingRoomIframeURL = prospectWaitingRoomIframeURL
    }

    /// The `POST /meetings` body: the documented fields in the documentation's
    /// order, custom data exactly as typed.
    public func jsonBody() -> Data {
        var members: [RawJSON.Member] = [
            .init(MeetingField.user.name, .string(user)),
            .init(MeetingField.startsAt.name, .string(startsAt.text)),
            .init(MeetingField.cobrowsingURL.name, .string(cobrowsingURL)),
            .init(MeetingField.cookies.name, .array(cookies.map {
                RawJSON($0)
            })),
        ]
        if let raw = customDataRaw {
            members.append(.init(MeetingField.customData.name, raw))
        } else if let customData {
            members.append(.init(MeetingField.customData.name, RawJSON(JSONValue.object(customData))))
        }
        if let p = presenterWaitingRoomIframeURL { members.append(.init(MeetingField.presenterIframe.name, .string(p))) }
        if let p = prospectWaitingRoomIframeURL { members.append(.init(MeetingField.prospectIframe.name, .string(p))) }
        return Data(RawJSON.object(members).text(indent: 0).utf8)
    }

    /// Checks the client can make before sending: the same rules the simulator
    /// applies, so nothing the API would reject for a visible reason is sent.
    public func validate(now: Date = Date()) -> ValidationErrors {
        var e: [String: [String]] = [:]
        func add(_ f: String, _ m: String) { e[f, default: []].append(m) }
        if user.trimmed.isEmpty {
            add(MeetingField.user.name, "is required")
        } else if !MeetingRules.isEmail(user) {
            add(MeetingField.user.name, "is not an email address")
        }
        if cobrowsingURL.trimmed.isEmpty {
            add(MeetingField.cobrowsingURL.name, "is required")
        } else if !MeetingRules.isWebURL(cobrowsingURL) {
            add(MeetingField.cobrowsingURL.name, "must be an http(s) URL")
        }
        for (i, ck) in cookies.enumerated() {
            if ck.domain.isEmpty || ck.name.isEmpty {
                add(MeetingField.cookies.name, "row \(i + 1): domain and name are required")
            }
        }
        if let p = presenterWaitingRoomIframeURL, !MeetingRules.isWebURL(p) {
            add(MeetingField.presenterIframe.name, "must be an http(s) URL")
        }
        if let p = prospectWaitingRoomIframeURL, !MeetingRules.isWebURL(p) {
            add(MeetingField.prospectIframe.name, "must be an http(s) URL")
        }
        let lengths = [(MeetingField.user.name, user), (MeetingField.cobrowsingURL.name, cobrowsingURL),
                       (MeetingField.presenterIframe.name, presenterWaitingRoomIframeURL ?? ""),
                       (MeetingField.prospectIframe.name, prospectWaitingRoomIframeURL ?? "")]
        for (f, v) in lengths where v.utf8.count > MeetingRules.maxFieldLength {
            add(f, "is too long (at most \(MeetingRules.maxFieldLength) bytes)")
        }
        return ValidationErrors(e)
    }
}

/// Field rules shared by the client's checks and the simulator.
public enum MeetingRules {
    public static let maxFieldLength = 2048

    public static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !s.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 32 || $0 == 127 } ?? false })
    }

    public static func isWebURL(_ s: String) -> Bool {
        guard !s.contains(where: { $0.isWhitespace }),
              let url = URL(string: s), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return false }
        return true
    }
}
