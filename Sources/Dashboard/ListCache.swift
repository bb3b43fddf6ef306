import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The last list seen, so the next start draws at once:
/// `$XDG_CACHE_HOME/coclick/list-<account>.json` (default `~/.cache/coclick/`),
/// 0600, one per API URL and secret id (see `AccountKey`). It holds only what
/// the list endpoint sends (`id`, `user`, `status`, `starts_at`): never room
/// URLs, cookies or custom data, which only the detail carries.
public struct ListCache: Sendable {
    public let directory: URL
    public let account: AccountKey
    public var fileURL: URL { directory.appendingPathComponent("list-\(account.name).json") }
    static let maxBytes = 4 << 20
    public static let currentVersion = 2
    /// The cache keeps at most this many meetings of the window.
    public static let maxMeetings = 1_000

    public init(directory: URL, account: AccountKey) {
        self.directory = directory
        self.account = account
    }

    /// `$XDG_CACHE_HOME/coclick`, or `~/.cache/coclick` (see `XDGFolder`).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        XDGFolder.cache.url(environment: environment)
    }

    /// A cache that cannot be read is no cache: nil, and the list loads as usual.
    public func load() -> CachedList? {
        if case .list(let list) = read() { return list }
        return nil
    }

    public enum Loaded: Sendable, Hashable {
        case list(CachedList)
        /// No cache, or one that cannot be read: the list loads as usual.
        case none
        /// The folder or the file is not this user's alone: why. It is not
        /// read, and nothing is written there.
        case refused(String)
    }

    public func read() -> Loaded {
        if let why = PrivateFile.refusal(ofDirectory: directory) { return .refused(why) }
        let data: Data
        switch PrivateFile.read(fileURL, limit: Self.maxBytes) {
        case .success(let d)?: data = d
        case .failure(let f)? where f.refused: return .refused(f.description)
        default: return .none
        }
        return decode(data).map { .list($0) } ?? .none
    }

    private func decode(_ data: Data) -> CachedList? {
        guard let file = try? JSONDecoder().decode(CachedList.File.self, from: data),
              file.version == Self.currentVersion,
              let saved = APIDate.parse(file.savedAt) else { return nil }
        guard file.pages.count == file.meetings.count else { return nil }
        return CachedList(savedAt: saved.date, meetings: file.meetings, pages: file.pages, hasMore: file.hasMore)
    }

    public func save(_ list: CachedList) throws {
        let file = CachedList.File(
            version: Self.currentVersion, savedAt: APIDate(date: list.savedAt).text,
            meetings: list.meetings.map(CachedList.listFields), pages: list.pages, hasMore: list.hasMore)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try PrivateFile.save(try encoder.encode(file), to: fileURL)
    }
}

/// The start view's window (no filters, from today), as last seen: its
/// meetings and the page each came from.
public struct CachedList: Sendable, Hashable {
    public var savedAt: Date
    public var meetings: [Meeting]
    /// The page of each meeting, in the same order.
    public var pages: [Int]
    public var hasMore: Bool

    public init(savedAt: Date, meetings: [Meeting], pages: [Int]? = nil, hasMore: Bool) {
        let n = min(meetings.count, ListCache.maxMeetings)
        self.savedAt = savedAt
        self.meetings = meetings.prefix(n).map(Self.listFields)
        self.pages = Array((pages ?? Array(repeating: 1, count: meetings.count)).prefix(n))
        self.hasMore = hasMore || meetings.count > n
    }

    public init(savedAt: Date, window: ScheduleWindow) {
        let ms = window.meetings
        self.init(savedAt: savedAt, meetings: ms, pages: ms.map { window.page(of: $0.id) ?? 1 }, hasMore: window.hasMore)
    }

    /// Only the list endpoint's four fields, whatever the meeting held.
    static func listFields(_ m: Meeting) -> Meeting {
        Meeting(id: m.id, user: m.user, status: m.status, startsAt: m.startsAt)
    }

    struct File: Codable {
        var version: Int
        var savedAt: String
        var meetings: [Meeting]
        var pages: [Int]
        var hasMore: Bool

        enum CodingKeys: String, CodingKey {
            case version, meetings, pages
            case savedAt = "saved_at"
            case hasMore = "has_more"
        }
    }
}
