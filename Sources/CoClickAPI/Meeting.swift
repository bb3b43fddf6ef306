#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A meeting's status. The API documents four values; anything else a server
/// sends is kept as `.other` rather than failing the whole list.
public enum MeetingStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    case scheduled
    case inProgress
    case closed
    case cancelled
    case other(String)

    public static let documented: [MeetingStatus] = [.scheduled, .inProgress, .closed, .cancelled]

    public init(rawValue: String) {
        self = Self.documented.first { $0.rawValue == rawValue } ?? .other(rawValue)
    }

    /// The name on the wire (the one place the statuses are spelled).
    public var rawValue: String {
        switch self {
        case .scheduled: return "scheduled"
        case .inProgress: return "in_progress"
        case .closed: return "closed"
        case .cancelled: return "cancelled"
        case .other(let s): return s
        }
    }

    public var description: String { rawValue }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        self.init(rawValue: try c.decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// One entry of `cobrowsing_cookies_data`: exactly domain, name and value
/// (the documented JSON Schema forbids anything else).
public struct Cookie: Sendable, Hashable, Codable {
    public var domain: String
    public var name: String
    public var value: String

    public init(domain: String, name: String, value: String) {
        self.domain = domain
        self.name = name
        self.value = value
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CookieField.self)
        domain = try c.decode(String.self, forKey: .domain)
        name = try c.decode(String.self, forKey: .name)
        value = try c.decode(String.self, forKey: .value)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CookieField.self)
        try c.encode(domain, forKey: .domain)
        try c.encode(name, forKey: .name)
        try c.encode(value, forKey: .value)
    }
}

/// A meeting, from the list (`id`, `user`, `status`, `starts_at`) or the
/// detail (`token` and every other field). One model decodes both.
public struct Meeting: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var user: String?
    public var status: MeetingStatus
    public var startsAt: APIDate?
    /// Seconds (the API documents no unit; coclick reads seconds); the documentation shows only `null`, so numbers and numeric strings are both taken.
    public var duration: Int?
    public var cobrowsingURL: String?
    public var cookies: [Cookie]?
    public var customData: JSONValue?
    /// `custom_data` exactly as the server wrote it (key order, big integers,
    /// `0.1000`), when the meeting was read from the server's bytes
    /// (`CoClickClient.meetingResponse`); what a duplicate starts from.
    public var customDataRaw: RawJSON?
    public var presenterWaitingRoomIframeURL: String?
    public var prospectWaitingRoomIframeURL: String?
    public var prospectRoomURL: String?
    public var presenterRoomURL: String?
    /// True when decoded from a detail response (it has room URLs etc).
    public var isDetail: Bool

    public init(
        id: String, user: String?, status: MeetingStatus, startsAt: APIDate?,
        duration: Int? = nil, cobrowsingURL: String? = nil, cookies: [Cookie]? = nil,
        customData: JSONValue? = nil, presenterWaitingRoomIframeURL: String? = nil,
        prospectWaitingRoomIframeURL: String? = nil, prospectRoomURL: String? = nil,
        presenterRoomURL: String? = nil, isDetail: Bool = false
    ) {
        self.id = id
        self.user = user
        self.status = status
        self.startsAt = startsAt
        self.duration = duration
        self.cobrowsingURL = cobrowsingURL
        self.cookies = cookies
        self.customData = customData
        self.presenterWaitingRoomIframeURL = presenterWaitingRoomIframeURL
        self.prospectWaitingRoomIframeURL = prospectWaitingRoomIframeURL
        self.prospectRoomURL = prospectRoomURL
        self.presenterRoomURL = presenterRoomURL
        self.isDetail = isDetail
    }

    /// Keeps `custom_data` as written in `body` (a detail response), when it is an object.
    public mutating func keepRawCustomData(from body: Data) {
        guard let raw = try? RawJSON.parse(body), let custom = raw[MeetingField.customData.name], custom.members != nil else { return }
        customDataRaw = custom
        // A number past a double's range (`1e400`) fails the typed decoding; the data is still there.
        if customData == nil { customData = JSONValue(custom) }
    }

    /// The short id the CoClick console shows.
    public var shortID: String { String(id.prefix(8)) }

    typealias Keys = MeetingKey

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let token = try? c.decodeIfPresent(String.self, forKey: .token)
        let listID = try? c.decodeIfPresent(String.self, forKey: .id)
        guard let id = token ?? listID, !id.isEmpty else {
            throw DecodingError.keyNotFound(Keys.id, .init(codingPath: c.codingPath, debugDescription: "a meeting needs an id or a token"))
        }
        self.id = id
        isDetail = c.contains(.token)
        user = try? c.decodeIfPresent(String.self, forKey: .user)
        status = (try? c.decodeIfPresent(MeetingStatus.self, forKey: .status)) ?? .other("unknown")
        // A date the client cannot read is shown as missing, not a failed list.
        startsAt = try? c.decodeIfPresent(APIDate.self, forKey: .startsAt)
        if let n = try? c.decodeIfPresent(Int.self, forKey: .duration) {
            duration = n
        } else if let d = try? c.decodeIfPresent(Double.self, forKey: .duration) {
            // `Int(1e300)` traps: a number past Int's range is no duration.
            duration = d.isFinite && abs(d) < 9.2e18 ? Int(d) : nil
        } else if let s = try? c.decodeIfPresent(String.self, forKey: .duration) {
            duration = Int(s)
        } else {
            duration = nil
        }
        cobrowsingURL = try? c.decodeIfPresent(String.self, forKey: .cobrowsingURL)
        cookies = try? c.decodeIfPresent([LenientCookie].self, forKey: .cookies)?.compactMap(\.cookie)
        customData = try? c.decodeIfPresent(JSONValue.self, forKey: .customData)
        if customData == .null { customData = nil }
        presenterWaitingRoomIframeURL = try? c.decodeIfPresent(String.self, forKey: .presenterWaitingRoomIframeURL)
        prospectWaitingRoomIframeURL = try? c.decodeIfPresent(String.self, forKey: .prospectWaitingRoomIframeURL)
        prospectRoomURL = try? c.decodeIfPresent(String.self, forKey: .prospectRoomURL)
        presenterRoomURL = try? c.decodeIfPresent(String.self, forKey: .presenterRoomURL)
    }

    /// Encodes with the API's own names: the list shape (`id`) or the detail shape (`token`, every field).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        if isDetail {
            try c.encode(id, forKey: .token)
            try c.encode(status, forKey: .status)
            try c.encode(startsAt, forKey: .startsAt)
            try c.encode(duration, forKey: .duration)
            try c.encode(cobrowsingURL, forKey: .cobrowsingURL)
            try c.encode(cookies ?? [], forKey: .cookies)
            try c.encode(user, forKey: .user)
            try c.encode(customData, forKey: .customData)
            try c.encode(presenterWaitingRoomIframeURL, forKey: .presenterWaitingRoomIframeURL)
            try c.encode(prospectWaitingRoomIframeURL, forKey: .prospectWaitingRoomIframeURL)
            try c.encode(prospectRoomURL, forKey: .prospectRoomURL)
            try c.encode(presenterRoomURL, forKey: .presenterRoomURL)
        } else {
            try c.encode(id, forKey: .id)
            try c.encode(user, forKey: .user)
            try c.encode(status, forKey: .status)
            try c.encode(startsAt, forKey: .startsAt)
        }
    }
}

/// Cookies from a server may break the schema; a malformed row is dropped, not fatal.
private struct LenientCookie: Decodable {
    let cookie: Cookie?
    init(from decoder: Decoder) throws {
        cookie = try? Cookie(from: decoder)
    }
}

/// What `POST /authenticate` returns.
public struct AuthSession: Sendable, Hashable, Codable {
    public var token: String
    public var expiresAt: APIDate
    public var company: String?

    public init(token: String, expiresAt: APIDate, company: String?) {
        self.token = token
        self.expiresAt = expiresAt
        self.company = company
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AuthField.self)
        token = try c.decode(String.self, forKey: .token)
        expiresAt = try c.decode(APIDate.self, forKey: .expiresAt)
        company = try c.decodeIfPresent(String.self, forKey: .company)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AuthField.self)
        try c.encode(token, forKey: .token)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encodeIfPresent(company, forKey: .company)
    }
}

/// The field -> messages object of a rejected create.
public struct ValidationErrors: Sendable, Hashable, Codable {
    public var fields: [String: [String]]

    public init(_ fields: [String: [String]]) { self.fields = fields }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        // Messages may be one string or a list of them.
        let raw = try c.decode([String: JSONValue].self)
        var out: [String: [String]] = [:]
        for (key, value) in raw {
            switch value {
            case .string(let s): out[key] = [s]
            case .array(let a): out[key] = a.map { if case .string(let s) = $0 { return s } else { return $0.prettyText() } }
            default: out[key] = [value.prettyText()]
            }
        }
        fields = out
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(fields)
    }

    public var isEmpty: Bool { fields.isEmpty }
    public subscript(field: String) -> [String] { fields[field] ?? [] }

    /// Fields in the documentation's order, then any others alphabetically.
    public var orderedFields: [(field: String, messages: [String])] {
        let known = NewMeeting.fieldOrder
        let extra = fields.keys.filter { !known.contains($0) }.sorted()
        return (known + extra).compactMap { f in fields[f].map { (f, $0) } }
    }
}
