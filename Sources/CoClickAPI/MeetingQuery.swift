#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A typed `GET /meetings` query: ransack `q[...]` filters plus the
/// `X-Page` / `X-Per` pagination headers.
public struct MeetingQuery: Sendable, Hashable {
    public var userEmailContains: String?
    public var statuses: [MeetingStatus]
    public var startsFrom: Date?
    public var startsTo: Date?
    /// Ransack sort, e.g. `starts_at asc`.
    public var sort: String?
    public var page: Int
    public var per: Int

    public init(
        userEmailContains: String? = nil, statuses: [MeetingStatus] = [], startsFrom: Date? = nil,
        startsTo: Date? = nil, sort: String? = nil, page: Int = 1, per: Int = 20
    ) {
        self.userEmailContains = userEmailContains
        self.statuses = statuses
        self.startsFrom = startsFrom
        self.startsTo = startsTo
        self.sort = sort
        self.page = page
        self.per = per
    }

    /// Earliest start first: the schedule's order.
    public static let byStartAscending = MeetingSort.byStartAscending.text
    /// Latest start first.
    public static let byStartDescending = MeetingSort(.startsAt, ascending: false).text
    /// By owner email, A to Z, then Z to A.
    public static let byOwnerAscending = MeetingSort(.user).text
    public static let byOwnerDescending = MeetingSort(.user, ascending: false).text
    /// The orders a user may ask for (`meetings list --sort`), the schedule's first.
    public static let sortOrders = [byStartAscending, byStartDescending, byOwnerAscending, byOwnerDescending]

    /// The known order `text` names, read without regard to case or spacing
    /// (`Starts_At  DESC`); nil for any other.
    public static func sortOrder(named text: String) -> String? {
        let words = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return sortOrders.first { $0 == words }
    }

    /// The same query on another page.
    public func onPage(_ page: Int) -> MeetingQuery {
        var q = self
        q.page = page
        return q
    }

    /// The `(name, value)` pairs, in a stable order, not yet encoded.
    public var parameters: [(String, String)] {
        var out: [(String, String)] = []
        if let u = userEmailContains, !u.isEmpty { out.append((QueryKey.userEmailContains.rawValue, u)) }
        if statuses.count == 1 {
            out.append((QueryKey.statusEquals.rawValue, statuses[0].rawValue))
        } else {
            for s in statuses { out.append((QueryKey.statusIn.rawValue, s.rawValue)) }
        }
        if let f = startsFrom { out.append((QueryKey.startsFrom.rawValue, APIDate(date: f).text)) }
        if let t = startsTo { out.append((QueryKey.startsTo.rawValue, APIDate(date: t).text)) }
        if let s = sort, !s.isEmpty { out.append((QueryKey.sort.rawValue, s)) }
        return out
    }

    /// The percent-encoded query string (`q%5Buser_email_cont%5D=hugh`), or "" when there is none.
    public var queryString: String {
        parameters.map { "\(Self.percentEncode($0.0))=\(Self.percentEncode($0.1))" }.joined(separator: "&")
    }

    /// Decodes `%XX` escapes (invalid ones are kept as they are).
    public static func percentDecode(_ s: String) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2,
               let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Encodes everything except RFC 3986 unreserved characters, so `+`, `&`,
    /// `=`, brackets and spaces all survive the trip.
    public static func percentEncode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

/// One page of `GET /meetings`.
public struct MeetingPage: Sendable, Hashable {
    public var meetings: [Meeting]
    public var page: Int
    public var per: Int
    /// `X-Total`, when the server sends it.
    public var total: Int?
    /// True when a `Link` header names a next page; nil when there is no `Link` header.
    public var linkHasNext: Bool?
    /// The server's bytes for this page (a JSON array), for `--json`.
    public var body: Data = Data()

    public init(meetings: [Meeting], page: Int, per: Int, total: Int? = nil, linkHasNext: Bool? = nil) {
        self.meetings = meetings
        self.page = page
        self.per = per
        self.total = total
        self.linkHasNext = linkHasNext
    }

    /// Whether another page may hold more: the API sends no totals, so a short page ends the list.
    public var hasMore: Bool {
        if let linkHasNext { return linkHasNext }
        if let total { return page * per < total }
        return meetings.count >= per && !meetings.isEmpty
    }
}
