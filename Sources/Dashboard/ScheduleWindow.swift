import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The list's meetings: a window of the schedule by start time, assembled
/// from as many server pages of one query as the screen needs. Pages are a
/// transport detail: each answer replaces what the window held between its
/// first and last start (a page says "these are all the meetings from this
/// start to that one"), so meetings created, moved or filtered out between
/// two answers never show twice, and pages answered at different times still
/// make one list in start order.
public struct ScheduleWindow: Sendable, Hashable {
    /// By start (stable; no start last), each id once.
    public private(set) var meetings: [Meeting] = []
    /// The page each meeting last came from.
    private(set) var pageOf: [String: Int] = [:]
    /// Pages 1 through `loadedPages` have answered.
    public private(set) var loadedPages = 0
    /// The last loaded page said more may follow.
    public private(set) var hasMore = false

    /// More than this many meetings are never held, whatever servers send.
    public static let maxMeetings = 5_000

    public init() {}

    /// The window a cache kept: meetings with the pages they came from.
    public init(meetings: [Meeting], pages: [Int], hasMore: Bool) {
        for (m, p) in zip(meetings, pages) where pageOf[m.id] == nil && p >= 1 {
            self.meetings.append(m)
            pageOf[m.id] = p
        }
        self.meetings = Agenda.byStart(self.meetings)
        loadedPages = pages.max() ?? 0
        self.hasMore = hasMore
    }

    public var isEmpty: Bool { meetings.isEmpty }

    /// Whether the window can grow: more pages follow and there is room.
    public var canGrow: Bool { hasMore && meetings.count < Self.maxMeetings }

    public func page(of id: String) -> Int? { pageOf[id] }

    /// The pages of `meetings`' ids, for refreshing what is on screen.
    public func pages(of ids: some Sequence<String>) -> Set<Int> {
        Set(ids.compactMap { pageOf[$0] })
    }

    /// Takes page `page` of the window's query: `rows` as the server sent them
    /// (already cut to what was asked for), `more` when another page may follow.
    /// `keep` says which rows belong in the window (the owner filter "me" is
    /// exact, the server's is "contains"); the span a page covers comes from
    /// every row it sent.
    public mutating func apply(page: Int, rows: [Meeting], more: Bool, keep: (Meeting) -> Bool = { _ in true }) {
        let sorted = Agenda.byStart(rows)
        // The span this page answers for: from its first start (from the very
        // beginning for page 1) to its last (to the very end for the last page).
        let low: Date? = page == 1 ? nil : sorted.first?.startsAt?.date
        let highOpen = !more
        let high: Date? = sorted.last?.startsAt?.date
        let fresh = sorted.filter(keep)
        let freshIDs = Set(sorted.map(\.id))
        if sorted.isEmpty {
            // Nothing from here on: later pages are gone too.
            let pages = pageOf
            drop { pages[$0.id].map { $0 >= page } ?? false }
            loadedPages = min(loadedPages, page - 1)
            hasMore = false
            if page == 1 { meetings = []; pageOf = [:] }
            return
        }
        drop { m in
            if freshIDs.contains(m.id) { return true }
            guard let s = m.startsAt?.date else {
                // No start sorts last: only the last page speaks for it.
                return highOpen
            }
            let aboveLow = low.map { s > $0 } ?? true
            let belowHigh = highOpen || (high.map { s < $0 } ?? false)
            return aboveLow && belowHigh
        }
        for m in fresh { pageOf[m.id] = page }
        meetings = Agenda.byStart(meetings + fresh)
        if page >= loadedPages {
            loadedPages = page
            hasMore = more
        } else if !more {
            // The list got shorter: the pages after this one are gone.
            let pages = pageOf
            drop { pages[$0.id].map { $0 > page } ?? false }
            loadedPages = page
            hasMore = false
        }
        if meetings.count > Self.maxMeetings {
            for m in meetings[Self.maxMeetings...] { pageOf[m.id] = nil }
            meetings.removeSubrange(Self.maxMeetings...)
            hasMore = true
        }
    }

    /// Puts one meeting in (a create that went through), until a page speaks for it.
    public mutating func insert(_ m: Meeting) {
        let page: Int = pageOf[m.id] ?? (loadedPages > 1 ? loadedPages : 1)
        drop { $0.id == m.id }
        pageOf[m.id] = page
        meetings = Agenda.byStart(meetings + [m])
    }

    private mutating func drop(where gone: (Meeting) -> Bool) {
        var kept: [Meeting] = []
        kept.reserveCapacity(meetings.count)
        for m in meetings {
            if gone(m) { pageOf[m.id] = nil } else { kept.append(m) }
        }
        meetings = kept
    }
}
