import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// The list as a window of the schedule: which pages to ask for, what their
/// answers change, where the selection goes. Pages are never the user's concern:
/// the next one is asked for before the selection reaches the end, a poll
/// refreshes the pages on screen, and reminders ask by start time.
extension Reducer {
    /// At most this many pages are refreshed by one poll (the screen rarely shows more than two).
    static let maxPagesPerPoll = 4
    /// A seek (`.`, `:`, a created meeting) loads at most this many pages.
    static let maxSeekPages = 100

    /// A poll: the pages on screen and the meetings near now. Never two at once.
    static func startPoll(_ state: inout AppState) -> [Effect] {
        guard state.pollRound.isEmpty else { return [] }
        if !state.showHistory {
            let today = LocalTime.startOfDay(state.now, zone: state.timeZone)
            let start = min(today, state.fromDay ?? today)
            if state.windowStart != start {
                // A new day (or the first poll): the window starts again at its start.
                let hadWindow = state.windowStart != nil
                state.windowStart = start
                if hadWindow { resetWindow(&state, keepingSelection: true) }
            }
        }
        var pages = state.window.pages(of: visibleMeetingIDs(state))
        if pages.isEmpty { pages = [1] }
        pages = Set(pages.sorted().prefix(maxPagesPerPoll))
        let soon = needsSoonQuery(state, refreshing: &pages)
        var wanted = pages.sorted().map { state.query(page: $0) }
        if soon {
            wanted.append(soonQuery(state))
        } else {
            // The window's pages speak for the meetings near now: an older answer would only contradict them.
            state.soon = []
        }
        state.pollRound = Set(wanted)
        state.pollRoundError = nil
        let new = wanted.filter { !state.inFlight.contains($0) }
        state.inFlight.formUnion(new)
        return new.map { .fetchList($0) }
    }

    /// Whether reminders and the title need their own query by start time:
    /// not when the list's window already holds every meeting near now and
    /// this poll refreshes the pages they are on (then `pages` grows by those).
    static func needsSoonQuery(_ state: AppState, refreshing pages: inout Set<Int>) -> Bool {
        guard state.notifyMode != .off else { return false }
        // A filter that hides meetings reminders ring for.
        if state.statusFilter != nil { return true }
        if state.ownerFilter != nil, !(state.showsOnlyMine && !state.remindAll) { return true }
        // Nothing loaded yet: the first page is on its way (and seeks on to now).
        if state.window.loadedPages == 0 { return false }
        let from = state.now.addingTimeInterval(-Reminders.startWindow)
        let to = state.now.addingTimeInterval(TimeInterval(state.remindBeforeMinutes) * 60)
        if !state.showHistory, let start = state.windowStart, start > from { return true }
        let ms = state.meetings
        let starts = ms.map { $0.startsAt?.date }
        if state.window.hasMore, !(starts.last.flatMap { $0 }.map { $0 > to } ?? false) { return true }
        // The pages of the meetings near now, and of their neighbours on each side
        // (where a meeting created near now would land).
        var near: [String] = []
        var lastBefore: String?
        var firstAfter: String?
        for (m, start) in zip(ms, starts) {
            guard let start else { continue }
            if start < from { lastBefore = m.id } else if start <= to { near.append(m.id) } else if firstAfter == nil { firstAfter = m.id }
        }
        let all = pages.union(state.window.pages(of: near + [lastBefore, firstAfter].compactMap { $0 }))
        guard all.count <= maxPagesPerPoll else { return true }
        pages = all
        return false
    }

    /// The ids of the meetings drawn now.
    static func visibleMeetingIDs(_ state: AppState) -> [String] {
        let rows = state.agendaRows
        let top: Int = min(max(0, state.listScroll), rows.count)
        let end: Int = min(rows.count, top + state.listVisibleRows)
        return rows[top..<end].compactMap { $0.meetingIndex.map { state.meetings[$0].id } }
    }

    /// What reminders and the title need, by start time: from a little before
    /// now (a start just passed still rings) to the end of the reminder lead.
    static func soonQuery(_ state: AppState) -> MeetingQuery {
        let minutes: Int = state.remindBeforeMinutes > 1 ? state.remindBeforeMinutes : 1
        let lead = TimeInterval(minutes * 60)
        let mine = !state.remindAll ? state.me : nil
        return MeetingQuery(
            userEmailContains: mine, startsFrom: state.now.addingTimeInterval(-Reminders.startWindow),
            startsTo: state.now.addingTimeInterval(lead), sort: MeetingQuery.byStartAscending,
            page: 1, per: Reminders.soonLimit)
    }

    /// A filter changed: a new window, from page 1, the selection on what matters now.
    static func queryChanged(_ state: inout AppState) -> [Effect] {
        resetWindow(&state, keepingSelection: false)
        state.seek = .live
        // Answers to the old query are dropped when they land; this poll starts now.
        state.pollRound = []
        return startPoll(&state)
    }

    static func resetWindow(_ state: inout AppState, keepingSelection: Bool) {
        let keep = keepingSelection ? state.selectedID : nil
        state.window = ScheduleWindow()
        state.selected = 0
        state.listScroll = 0
        state.selectedID = nil
        state.cachedAt = nil
        if let keep { state.seek = .meeting(keep) }
    }

    static func listLoaded(_ state: inout AppState, query: MeetingQuery, page: MeetingPage, company: String?, at: Date) -> [Effect] {
        state.inFlight.remove(query)
        state.now = max(state.now, at)
        if let company { state.company = company }
        // A page holds at most what was asked for, whatever the server sent.
        let rows = page.meetings.prefix(query.per).map(ServerTextLimits.cut)
        let answered = state.pollRound.remove(query) != nil
        let ofTheWindow = query.startsTo == nil && query.onPage(1) == state.query
        if query.startsTo != nil {
            // Only the reminders' query has an end: near now, by start time.
            state.soon = rows
        } else if ofTheWindow {
            state.cachedAt = nil
            let only = state.showsOnlyMine
            let me = state.me?.lowercased()
            state.window.apply(page: query.page, rows: rows, more: page.hasMore || page.meetings.count > query.per,
                               keep: { m in !only || m.user?.lowercased() == me })
            if page.meetings.count > query.per {
                say(&state, "The server sent \(page.meetings.count) meetings for a page of \(query.per): the rest were left out", error: true, seconds: 10)
            }
        } else if !answered {
            // An answer to a query no longer shown.
            return state.window.isEmpty && !state.isLoading ? startPoll(&state) : []
        }
        state.connection = .ok
        state.consecutiveFailures = 0
        state.lastSuccess = at
        state.lastError = nil
        resolveSeek(&state)
        var effects: [Effect] = []
        if state.screen == .detail, state.detailRetryable, !state.detailLoading, let id = state.detailID {
            // The server answers again: a detail that failed for want of it loads by itself.
            state.detailLoading = true
            state.detailError = nil
            state.detailRetryable = false
            effects.append(.fetchDetail(id: id, purpose: .show))
        }
        if state.isStartView, ofTheWindow {
            // What the next start draws at once.
            effects.append(.cacheList(CachedList(savedAt: at, window: state.window)))
        }
        effects += fetchAhead(&state)
        if answered, state.pollRound.isEmpty { effects += pollFinished(&state) }
        // Reminders and the title follow on the next tick (within a second), as the clock moves.
        return effects
    }

    static func listFailed(_ state: inout AppState, query: MeetingQuery, error: APIError, at: Date) -> [Effect] {
        state.inFlight.remove(query)
        state.now = max(state.now, at)
        let answered = state.pollRound.remove(query) != nil
        let current = answered || query.onPage(1) == state.query
        guard current else { return state.window.isEmpty && !state.isLoading ? startPoll(&state) : [] }
        state.pollRoundError = error
        state.consecutiveFailures += 1
        state.connection = ConnectionState.after(error, failures: state.consecutiveFailures)
        state.lastError = error.description
        // The last good data stays on screen, with its age, in every state.
        if answered, state.pollRound.isEmpty { return pollFinished(&state) }
        return []
    }

    /// Every request of a poll answered: the next one after the interval, or after a back-off.
    static func pollFinished(_ state: inout AppState) -> [Effect] {
        guard state.pollRoundError != nil else {
            return schedulePoll(&state, after: state.refreshInterval)
        }
        let error = state.pollRoundError
        state.pollRoundError = nil
        guard state.connection.pollsAutomatically else {
            // Retrying a rejected key would only be rejected again (and may lock the account).
            state.nextPollAt = nil
            return []
        }
        return schedulePoll(&state, after: Backoff.delay(afterFailures: state.consecutiveFailures, error: error))
    }

    /// Asks for the next page before the selection gets there: when less than
    /// a screenful lies below what is drawn, or a seek has not found its meeting.
    static func fetchAhead(_ state: inout AppState) -> [Effect] {
        // A rate-limited API is asked nothing more until the poll it allowed.
        guard state.window.canGrow, state.connection != .rateLimited,
              state.connection.pollsAutomatically || state.connection == .connecting else { return [] }
        let next = state.window.loadedPages + 1
        if state.seek != nil, next > maxSeekPages { return [] }
        let q = state.query(page: next)
        guard !state.inFlight.contains(q) else { return [] }
        let rows: Int = state.agendaRows.count
        let visible: Int = state.listVisibleRows
        let drawnEnd: Int = state.listScroll + visible
        let below: Int = rows - drawnEnd
        guard state.seek != nil || below < visible else { return [] }
        state.inFlight.insert(q)
        return [.fetchList(q)]
    }

    /// Puts the selection where the seek wants it, once the window holds that
    /// meeting; until then on the last row loaded (on its way there).
    static func resolveSeek(_ state: inout AppState) {
        defer { clampList(&state) }
        if let id = state.selectedID, state.seek == nil, let i = state.meetings.firstIndex(where: { $0.id == id }) {
            state.selected = i
            return
        }
        guard let seek = state.seek else { return }
        let ms = state.meetings
        let found: Int?
        switch seek {
        case .live:
            found = ms.firstIndex { isLiveOrUpcoming($0, now: state.now) }
        case .date(let d):
            found = ms.firstIndex { ($0.startsAt?.date).map { $0 >= d } ?? false }
        case .meeting(let id):
            found = ms.firstIndex { $0.id == id }
        }
        if let found {
            state.seek = nil
            state.selected = found
            state.selectedID = ms[found].id
            if case .live = seek { scrollPastInView(&state) }
            return
        }
        let more = state.window.canGrow && state.window.loadedPages < maxSeekPages
        let loading = state.window.loadedPages == 0 && (state.isLoading || state.lastSuccess == nil)
        if more || loading {
            // On its way: the last row loaded, so the screen moves towards it.
            if !ms.isEmpty { state.selected = ms.count - 1 }
            return
        }
        // Everything loaded and nothing there.
        state.seek = nil
        switch seek {
        case .live:
            // All of it is past: the latest one, under it the now line.
            if !ms.isEmpty { state.selected = ms.count - 1; state.selectedID = ms[ms.count - 1].id }
        case .date(let d):
            if !ms.isEmpty { state.selected = ms.count - 1; state.selectedID = ms[ms.count - 1].id }
            say(&state, "No meetings on or after \(LocalTime.startText(d, zone: state.timeZone))")
        case .meeting:
            if let id = state.selectedID, let i = ms.firstIndex(where: { $0.id == id }) { state.selected = i }
        }
    }

    /// Live, or still to come (a start in its first minute counts): what a presenter opens on.
    static func isLiveOrUpcoming(_ m: Meeting, now: Date) -> Bool {
        switch m.status {
        case .inProgress: return true
        case .closed, .cancelled: return false
        case .scheduled, .other:
            guard let start = m.startsAt?.date else { return false }
            return start.timeIntervalSince(now) > -60
        }
    }

    /// With the first live or upcoming meeting selected, today's past ones fill
    /// the screen above it, as many as fit with a few rows below.
    static func scrollPastInView(_ state: inout AppState) {
        let rows = state.agendaRows
        guard let at = Agenda.row(ofMeeting: state.selected, in: rows) else { return }
        let visible: Int = state.listVisibleRows
        let below: Int = rows.count - at
        // Keep a third of the screen (at most) for what is past, the rest for what comes.
        var above: Int = visible / 3
        let room: Int = below >= visible ? 0 : visible - below
        if room > above { above = room }
        if above < 1 { above = 1 }
        let top: Int = at - above
        state.listScroll = top > 0 ? top : 0
    }

    /// `.`: the first live or upcoming meeting (the now line above it).
    static func jumpToNow(_ state: inout AppState) -> [Effect] {
        state.seek = .live
        state.selectedID = nil
        resolveSeek(&state)
        return fetchAhead(&state)
    }

    /// `:` then a date: the first meeting at or after it. A day before the
    /// window's first one widens the window back to it.
    static func goToDate(_ state: inout AppState, _ date: Date) -> [Effect] {
        let day = LocalTime.startOfDay(date, zone: state.timeZone)
        if !state.showHistory, let start = state.windowStart, day < start {
            state.fromDay = day
            var effects = queryChanged(&state)
            state.seek = .date(date)
            resolveSeek(&state)
            effects += fetchAhead(&state)
            return effects
        }
        state.seek = .date(date)
        state.selectedID = nil
        resolveSeek(&state)
        return fetchAhead(&state)
    }

    /// The cached window, drawn before the first answer and replaced by it.
    static func cacheLoaded(_ state: inout AppState, _ list: CachedList) -> [Effect] {
        guard state.lastSuccess == nil, state.meetings.isEmpty, state.isStartView else { return [] }
        let today = LocalTime.startOfDay(state.now, zone: state.timeZone)
        // The view is "from today": yesterday's rows of an old cache are not in it.
        let kept = zip(list.meetings, list.pages).filter { ($0.0.startsAt?.date ?? today) >= today }
        state.window = ScheduleWindow(meetings: kept.map { $0.0 }, pages: kept.map { $0.1 }, hasMore: list.hasMore)
        state.cachedAt = list.savedAt
        resolveSeek(&state)
        if state.seek != nil, !state.meetings.isEmpty {
            // The cache ends before what matters now: the server's pages will say.
            state.selected = state.meetings.count - 1
            clampList(&state)
        }
        return []
    }
}

extension AppState {
    /// The query by start time that reminders and the title use when the list's pages do not hold what they need.
    public var soonQuery: MeetingQuery { Reducer.soonQuery(self) }
}
