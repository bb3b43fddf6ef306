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
    var sort = MeetingSort.byStartAscending
    var page = 1
    var per = defaultPer

    init(query: String, page pageHeader: String?, per perHeader: String?, maxPer: Int = ListQuery.maxPer) throws {
        if let p = pageHeader {
            page = max(1, try Self.integer(p, PageHeader.page.rawValue))
        }
        if let p = perHeader {
            per = min(max(1, maxPer), max(1, try Self.integer(p, PageHeader.per.rawValue)))
        }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = SimulatorCore.percentDecode(String(kv[0]), plusIsSpace: true)
            let value = kv.count > 1 ? SimulatorCore.percentDecode(String(kv[1]), plusIsSpace: true) : ""
            // Ransack ignores blank values.
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            // Unknown parameters and predicates are ignored.
            switch QueryKey(parameter: key) {
            case .userEmailContains?:
                userEmailContains = value
            case .statusEquals?:
                statuses = (statuses ?? []).union([trimmed])
            case .statusIn?:
                let values = trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                statuses = (statuses ?? []).union(values)
            case .startsFrom?:
                from = try Self.date(trimmed, key)
            case .startsTo?:
                to = try Self.date(trimmed, key)
            case .sort?:
                // Unknown sort attributes are ignored, as ransack does.
                if let s = MeetingSort(parsing: trimmed) { sort = s }
            case nil:
                continue
            }
        }
    }

    /// A header's integer. Digits beyond `Int`'s range saturate (a page that
    /// far is simply past the end); anything else is refused.
    static func integer(_ raw: String, _ name: String) throws -> Int {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let n = Int(text) { return n }
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw Invalid(message: "\(name) must be an integer")
        }
        return negative ? Int.min : Int.max
    }

    /// The slice of `count` items this page covers: empty past the end, never
    /// an overflow whatever page and size were asked for.
    func range(count: Int) -> Range<Int> {
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: per)
        guard !overflow, start >= 0, start < count else { return count..<count }
        let (end, endOverflow) = start.addingReportingOverflow(per)
        return start..<(endOverflow ? count : min(count, end))
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
            switch sort.attribute {
            case .user: order = a.user.lowercased().compare(b.user.lowercased())
            case .status: order = a.status(at: now).rawValue.compare(b.status(at: now).rawValue)
            case .id: order = a.id.compare(b.id)
            case .startsAt: order = a.startsAt.date.compare(b.startsAt.date)
            }
            if order != .orderedSame { return sort.ascending ? order == .orderedAscending : order == .orderedDescending }
            // Ties: by start, then id, so pages never overlap.
            if a.startsAt.date != b.startsAt.date { return a.startsAt.date < b.startsAt.date }
            return a.id < b.id
        }
    }
}
