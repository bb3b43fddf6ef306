/// The API's names that are not fields of a new meeting (those are
/// `MeetingField`): the keys of a meeting as the server answers it, of a
/// cookie, of authentication, of error bodies, the `q[...]` query keys and the
/// sort orders. Each is spelled here once; the models use them as their
/// `CodingKey`s and the simulator answers with them.

/// Every key of a meeting's JSON: the list item (`id`, `user`, `status`,
/// `starts_at`), the detail (`token` and every other field) and the `errors`
/// object of a rejected create.
public struct MeetingKey: CodingKey, Sendable, Hashable, CustomStringConvertible {
    /// The name on the wire.
    public let name: String

    public init(_ field: MeetingField) { name = field.name }
    private init(name: String) { self.name = name }

    public static let id = MeetingKey(name: "id")
    public static let token = MeetingKey(name: "token")
    public static let status = MeetingKey(name: "status")
    public static let duration = MeetingKey(name: "duration")
    public static let prospectRoomURL = MeetingKey(name: "prospect_room_url")
    public static let presenterRoomURL = MeetingKey(name: "presenter_room_url")
    /// The field -> messages object of a rejected create.
    public static let errors = MeetingKey(name: "errors")
    public static let user = MeetingKey(.user)
    public static let startsAt = MeetingKey(.startsAt)
    public static let cobrowsingURL = MeetingKey(.cobrowsingURL)
    public static let cookies = MeetingKey(.cookies)
    public static let customData = MeetingKey(.customData)
    public static let presenterWaitingRoomIframeURL = MeetingKey(.presenterIframe)
    public static let prospectWaitingRoomIframeURL = MeetingKey(.prospectIframe)

    /// The detail's twelve keys, in the documentation's order.
    public static let detailOrder: [MeetingKey] = [
        .token, .status, .startsAt, .duration, .cobrowsingURL, .cookies, .user, .customData,
        .presenterWaitingRoomIframeURL, .prospectWaitingRoomIframeURL, .prospectRoomURL, .presenterRoomURL,
    ]
    /// Every name above.
    public static let all: [MeetingKey] = detailOrder + [.id, .errors]

    /// The key under `errors` for a problem with the request as a whole rather
    /// than one field (a body that is not a JSON object), as Rails names it.
    public static let wholeRequest = MeetingKey(name: "base")

    public var stringValue: String { name }
    public var intValue: Int? { nil }
    public init?(stringValue: String) { name = stringValue }
    public init?(intValue: Int) { nil }
    public var description: String { name }
}

/// The keys of one entry of `cobrowsing_cookies_data`, in the documented schema's order.
public enum CookieField: String, Sendable, Hashable, CaseIterable, CodingKey {
    case domain, name, value
}

/// The keys of `POST /authenticate`: the request's and the answer's.
public enum AuthField: String, Sendable, Hashable, CaseIterable, CodingKey {
    case secretID = "secret_id"
    case secretKey = "secret_key"
    case token
    case expiresAt = "expires_at"
    case company
}

/// The key of the message in an error body (`{"error": "..."}`), which the
/// documentation leaves open; `message` is read too.
public enum ErrorBodyField: String, Sendable, Hashable, CaseIterable, CodingKey {
    case error, message
}

/// The `q[...]` parameters of `GET /meetings` (ransack predicates).
public enum QueryKey: String, Sendable, Hashable, CaseIterable {
    case userEmailContains = "q[user_email_cont]"
    case statusEquals = "q[status_eq]"
    case statusIn = "q[status_in][]"
    case startsFrom = "q[starts_at_gteq]"
    case startsTo = "q[starts_at_lteq]"
    case sort = "q[s]"

    /// The key a (decoded) query parameter name stands for: `q[status_in]`
    /// without its brackets is `statusIn` too, as Rails reads it.
    public init?(parameter: String) {
        if let key = QueryKey(rawValue: parameter) {
            self = key
        } else if parameter + "[]" == QueryKey.statusIn.rawValue {
            self = .statusIn
        } else {
            return nil
        }
    }
}

/// A ransack sort (`q[s]`): an attribute and a direction, written `starts_at asc`.
public struct MeetingSort: Sendable, Hashable, CustomStringConvertible {
    public enum Attribute: Sendable, Hashable, CaseIterable {
        case startsAt, status, id, user
        /// The attribute's name in a sort, e.g. `starts_at`.
        public var name: String {
            switch self {
            case .startsAt: return MeetingKey.startsAt.name
            case .status: return MeetingKey.status.name
            case .id: return MeetingKey.id.name
            case .user: return MeetingKey.user.name
            }
        }
        /// Another name ransack accepts for the attribute (the association's column).
        var alias: String? { self == .user ? "user_email" : nil }
    }

    public var attribute: Attribute
    public var ascending: Bool

    public init(_ attribute: Attribute, ascending: Bool = true) {
        self.attribute = attribute
        self.ascending = ascending
    }

    static let ascendingWord = "asc"
    static let descendingWord = "desc"

    /// `starts_at asc`.
    public var text: String { attribute.name + " " + (ascending ? Self.ascendingWord : Self.descendingWord) }
    public var description: String { text }

    /// Reads `attribute [asc|desc]` (any case); nil for an attribute it does
    /// not know (ransack ignores those). No direction, or another word, is ascending.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        guard let first = parts.first.map(String.init),
              let attribute = Attribute.allCases.first(where: { $0.name == first || $0.alias == first }) else { return nil }
        self.attribute = attribute
        ascending = parts.count < 2 || parts[1] != Self.descendingWord
    }

    /// Earliest start first: the schedule's order.
    public static let byStartAscending = MeetingSort(.startsAt)
}

/// The pagination headers of `GET /meetings`: `X-Page` and `X-Per` asked
/// (documented); `X-Total`, `X-Page` and `X-Per` answered (the simulator's).
public enum PageHeader: String, Sendable, Hashable, CaseIterable {
    case page = "X-Page"
    case per = "X-Per"
    case total = "X-Total"
}

/// `Authorization: Bearer <token>`.
public enum BearerAuthorization {
    public static let header = "Authorization"
    public static let scheme = "Bearer"

    /// The header's value for `token`.
    public static func value(_ token: String) -> String { scheme + " " + token }

    /// The token of a header value, when it is `Bearer <token>` (the scheme in any case).
    public static func token(in value: String) -> String? {
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == scheme.lowercased() else { return nil }
        let token = parts[1].trimmedSpaces
        return token.isEmpty ? nil : token
    }
}

/// The API's paths (below the server's origin).
public enum APIPath {
    /// Where the API lives: `https://www.coclick.io/api/v1`.
    public static let base = "api/v1"
    /// Below `base`.
    public static let authenticate = "authenticate"
    /// Below `base`; one meeting is `meetings/<id>`.
    public static let meetings = "meetings"
    /// The rooms of a meeting, `essai/room/<token>` and `essai/presenter/<token>` (below the origin).
    public static let prospectRoom = "essai/room"
    public static let presenterRoom = "essai/presenter"
}
