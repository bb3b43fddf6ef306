import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// One line of the list screen: a day heading, the "now" line, or a meeting.
public enum AgendaRow: Sendable, Hashable {
    /// "Today · Sun 29 Nov", "Tomorrow · Mon 30 Nov", "Wed 2 Dec".
    case day(String)
    /// Between what has started and what is upcoming; the text is the local time ("now 14:05").
    case now(String)
    /// An index into `AppState.meetings`.
    case meeting(Int)

    public var meetingIndex: Int? {
        if case .meeting(let i) = self { return i }
        return nil
    }
}

/// The list as an agenda: meetings (in the server's order, which is by start)
/// under a heading for each local day, and a "now" line before the first
/// meeting that has not started yet. Pure: the reducer scrolls over these
/// rows and the screen draws them.
public enum Agenda {
    public static func rows(_ meetings: [Meeting], now: Date, zone: TimeZone) -> [AgendaRow] {
        guard !meetings.isEmpty else { return [] }
        let cal = calendar(zone)
        // The same "today" as the list's window and `meetings list` (TerminalText).
        let today = LocalTime.startOfDay(now, zone: zone)
        let nowRow = AgendaRow.now("now " + clock(now, cal))
        var out: [AgendaRow] = []
        out.reserveCapacity(meetings.count + 8)
        var currentDay: Date?? = .none  // .none: no heading yet; .some(nil): "no start time"
        var nowPlaced = false
        var sawStarted = false
        for (i, m) in meetings.enumerated() {
            let start = m.startsAt?.date
            let day = start.map { cal.startOfDay(for: $0) }
            let upcoming = start.map { $0 > now } ?? false
            let newDay = currentDay.map { $0 != day } ?? true
            if upcoming, !nowPlaced {
                nowPlaced = true
                if newDay, day == today {
                    // Today's first upcoming meeting: the line goes under today's heading.
                    out.append(.day(heading(day, today: today, cal)))
                    currentDay = .some(day)
                    out.append(nowRow)
                    out.append(.meeting(i))
                    continue
                }
                out.append(nowRow)
            }
            if newDay {
                out.append(.day(heading(day, today: today, cal)))
                currentDay = .some(day)
            }
            if start != nil, !upcoming { sawStarted = true }
            out.append(.meeting(i))
        }
        if !nowPlaced, sawStarted { out.append(nowRow) }
        return out
    }

    /// The meetings by start (stable; no start last): the agenda's order even
    /// when a server ignores the requested sort.
    public static func byStart(_ meetings: [Meeting]) -> [Meeting] {
        let sorted = zip(meetings.indices, meetings).sorted { a, b in
            switch (a.1.startsAt?.date, b.1.startsAt?.date) {
            case let (x?, y?) where x != y: return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.0 < b.0
            }
        }
        return sorted.map(\.1)
    }

    /// The row of `rows` that shows meeting `index`.
    public static func row(ofMeeting index: Int, in rows: [AgendaRow]) -> Int? {
        rows.firstIndex(where: { $0.meetingIndex == index })
    }

    /// "Today · Sun 29 Nov", "Tomorrow · Mon 30 Nov", "Yesterday · Sat 28 Nov",
    /// "Wed 2 Dec", "Fri 7 Jan 2028" (another year); "No start time" for nil.
    public static func heading(_ day: Date?, today: Date, _ cal: Calendar) -> String {
        guard let day else { return "No start time" }
        let c = cal.dateComponents([.year, .month, .day, .weekday], from: day)
        let thisYear = cal.component(.year, from: today)
        var text = "\(weekdays[((c.weekday ?? 1) - 1 + 7) % 7]) \(c.day ?? 0) \(months[((c.month ?? 1) - 1 + 12) % 12])"
        if c.year != thisYear { text += " \(c.year ?? 0)" }
        let offset = cal.dateComponents([.day], from: today, to: day).day ?? 99
        switch offset {
        case 0: return "Today · " + text
        case 1: return "Tomorrow · " + text
        case -1: return "Yesterday · " + text
        default: return text
        }
    }

    /// "14:05" in the calendar's zone.
    public static func clock(_ date: Date, _ cal: Calendar) -> String {
        let c = cal.dateComponents([.hour, .minute], from: date)
        return "\((c.hour ?? 0).zeroPadded()):\((c.minute ?? 0).zeroPadded())"
    }

    public static func calendar(_ zone: TimeZone) -> Calendar { LocalTime.calendar(zone) }

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}

extension AppState {
    /// The list's rows as drawn: day headings, the now line and meetings.
    public var agendaRows: [AgendaRow] { Agenda.rows(meetings, now: now, zone: timeZone) }
}

extension Reducer {
    /// Keeps the selection on a meeting and its row (with the heading above
    /// it, when there is room) on screen.
    static func clampAgenda(_ state: inout AppState) {
        let n = state.meetings.count
        state.selected = n == 0 ? 0 : min(max(0, state.selected), n - 1)
        if n > 0 { state.selectedID = state.meetings[state.selected].id }
        let rows = state.agendaRows
        let visible = state.listVisibleRows
        guard let at = Agenda.row(ofMeeting: state.selected, in: rows) else {
            state.listScroll = 0
            return
        }
        // The headings and now line right above the selected meeting come into view with it.
        var top = at
        while top > 0, rows[top - 1].meetingIndex == nil, at - (top - 1) < visible { top -= 1 }
        if top < state.listScroll { state.listScroll = top }
        if at >= state.listScroll + visible { state.listScroll = at - visible + 1 }
        state.listScroll = max(0, min(state.listScroll, max(0, rows.count - visible)))
    }

    /// PgDn / PgUp: a screenful of rows (headings count), landing on a meeting.
    static func pageAgenda(_ state: inout AppState, down: Bool) {
        let rows = state.agendaRows
        guard let at = Agenda.row(ofMeeting: state.selected, in: rows) else { return }
        let visible = state.listVisibleRows
        let target = down ? min(rows.count - 1, at + visible) : max(0, at - visible)
        let meetingRows = rows.indices.filter { rows[$0].meetingIndex != nil }
        let row: Int?
        if down {
            // The last meeting at or above the target row, past the current one; else the next one.
            row = meetingRows.last(where: { $0 > at && $0 <= target }) ?? meetingRows.first(where: { $0 > at })
        } else {
            row = meetingRows.first(where: { $0 < at && $0 >= target }) ?? meetingRows.last(where: { $0 < at })
        }
        let index = row.flatMap { rows[$0].meetingIndex }
        if let index { state.selected = index }
        clampAgenda(&state)
    }
}
