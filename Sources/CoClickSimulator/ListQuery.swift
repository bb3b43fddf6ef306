import CoClickAPI
import Foundation

/// `GET /meetings` parameters: the ransack `q[...]` filters and sort from the
/// raw query string, and `X-Page` / `X-Per` from the request headers.
///
/// The raw query is parsed here rather than by the framework, because the
/// brackets may arrive percent-encoded (`q%5Bstatus_in%5D%5B%5D=closed`) and
/// `q[status_in][]` repeats.
struct ListQuery: Sendable {
    struct Invalid: Error, Sendable { var message: String }

    static let defaultPer = 20
    static let maxPer = 100

    var userEmailContains: String?
    /// `nil`: every status; otherwise the allowed raw values (from `status_eq` and `status_in`).
    var statuses: Set<String>?
    var from: Date?
    var to: Date?
    var sortKey = "starts_at"
    var ascending = true
    var page = 1
    var per = defaultPer

    init(query: String, page pageHeader: String?, per perHeader: String?, maxPer: Int = ListQuery.maxPer) throws {
        if let p = pageHeader {
            guard let n = Int(p.trimmingCharacters(in: .whitespaces)) else { throw Invalid(message: "X-Page must be an integer") }
            page = max(1, n)
        }
        if let p = perHeader {
            guard let n = Int(p.trimmingCharacters(in: .whitespaces)) else { throw Invalid(message: "X-Per must be an integer") }
            per = min(max(1, maxPer), max(1, n))
        }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = SimulatorCore.percentDecode(String(kv[0]), plusIsSpace: true)
            let value = kv.count > 1 ? SimulatorCore.percentDecode(String(kv[1]), plusIsSpace: true) : ""
            // Ransack ignores blank values.
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            switch key {
            case "q[user_email_cont]":
                userEmailContains = value
            case "q[status_eq]":
                statuses = (statuses ?? []).union([trimmed])
            case "q[status_in][]", "q[status_in]":
                let values = trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                statuses = (statuses ?? []).union(values)
            case "q[starts_at_gteq]":
                from = try Self.date(trimmed, key)
            case "q[starts_at_lteq]":
                to = try Self.date(trimmed, key)
            case "q[s]":
                let parts = trimmed.lowercased().split(separator: " ", omittingEmptySubsequences: true)
                let attribute = parts.first.map(String.init) ?? ""
                // Unknown sort attributes are ignored, as ransack does.
                switch attribute {
                case "starts_at", "status", "id": sortKey = attribute
                case "user", "user_email": sortKey = "user"
                default: continue
                }
                ascending = parts.count < 2 || parts[1] != "desc"
            default:
                continue // unknown parameters and predicates are ignored
            }
        }
    }

    /// ISO 8601 with any offset, or a plain `YYYY-MM-DD` (midnight UTC).
    private static func date(_ text: String, _ key: String) throws -> Date {
        if let d = APIDate.parse(text) { return d.date }
        if let d = APIDate.parse(text + "T00:00:00Z") { return d.date }
        throw Invalid(message: "\(key) is not an ISO 8601 date: \(text)")
    }

    func apply(to meetings: [StoredMeeting], now: Date) -> [StoredMeeting] {
        let needle = userEmailContains?.lowercased()
        let filtered = meetings.filter { m in
            if let needle, !m.user.lowercased().contains(needle) { return false }
            if let statuses, !statuses.contains(m.status(at: now).rawValue) { return false }
            if let from, m.startsAt.date < from { return false }
            if let to, m.startsAt.date > to { return false }
            return true
        }
        return filtered.sorted { a, b in
            let order: ComparisonResult
            switch sortKey {
            case "user": order = a.user.lowercased().compare(b.user.lowercased())
            case "status": order = a.status(at: now).rawValue.compare(b.status(at: now).rawValue)
            case "id": order = a.id.compare(b.id)
            default: order = a.startsAt.date.compare(b.startsAt.date)
            }
            if order != .orderedSame { return ascending ? order == .orderedAscending : order == .orderedDescending }
            // Ties: by start, then id, so pages never overlap.
            if a.startsAt.date != b.startsAt.date { return a.startsAt.date < b.startsAt.date }
            return a.id < b.id
        }
    }
}
