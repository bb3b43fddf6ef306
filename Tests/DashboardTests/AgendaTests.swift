import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

/// The list as an agenda: day headings, the now line, selection over meetings only.
@Suite("Agenda")
struct AgendaTests {
    /// fixedNow is Fri 15 Jan 2027, 08:00 UTC.
    func at(_ minutes: Double, _ n: Int, status: MeetingStatus = .scheduled) -> Meeting {
        meeting(n, status: status, minutes: minutes)
    }

    func texts(_ rows: [AgendaRow], _ ms: [Meeting]) -> [String] {
        rows.map {
            switch $0 {
            case .day(let t): return "# " + t
            case .now(let t): return "-- " + t
            case .meeting(let i): return ms[i].user ?? "?"
            }
        }
    }

    @Test func headingsNameTodayTomorrowYesterdayAndOtherDays() {
        let cal = Agenda.calendar(utc)
        let today = cal.startOfDay(for: fixedNow)
        func h(_ days: Int) -> String { Agenda.heading(cal.date(byAdding: .day, value: days, to: today), today: today, cal) }
        #expect(h(0) == "Today · Fri 15 Jan")
        #expect(h(1) == "Tomorrow · Sat 16 Jan")
        #expect(h(-1) == "Yesterday · Thu 14 Jan")
        #expect(h(5) == "Wed 20 Jan")
        #expect(h(365) == "Sat 15 Jan 2028")
        #expect(Agenda.heading(nil, today: today, cal) == "No start time")
    }

    @Test func theNowLineSitsBetweenStartedAndUpcomingUnderToday() {
        let ms = [at(-30, 1, status: .inProgress), at(-5, 2), at(20, 3), at(24 * 60 + 60, 4), at(3 * 24 * 60, 5)]
        let rows = Agenda.rows(ms, now: fixedNow, zone: utc)
        #expect(texts(rows, ms) == [
            "# Today · Fri 15 Jan", "user1@example.com", "user2@example.com", "-- now 08:00", "user3@example.com",
            "# Tomorrow · Sat 16 Jan", "user4@example.com", "# Mon 18 Jan", "user5@example.com",
        ])
    }

    @Test func nowLineWhenNothingIsLeftTodayOrNothingStartedYet() {
        // Today's meetings all started: the line closes today, before tomorrow's heading.
        let a = [at(-30, 1), at(24 * 60, 2)]
        #expect(texts(Agenda.rows(a, now: fixedNow, zone: utc), a) == [
            "# Today · Fri 15 Jan", "user1@example.com", "-- now 08:00", "# Tomorrow · Sat 16 Jan", "user2@example.com",
        ])
        // Nothing started: the line comes first, under today's heading when today has meetings.
        let b = [at(30, 1)]
        #expect(texts(Agenda.rows(b, now: fixedNow, zone: utc), b) == ["# Today · Fri 15 Jan", "-- now 08:00", "user1@example.com"])
        let c = [at(2 * 24 * 60, 1)]
        #expect(texts(Agenda.rows(c, now: fixedNow, zone: utc), c) == ["-- now 08:00", "# Sun 17 Jan", "user1@example.com"])
        // Only the past (every date): the line ends the list.
        let d = [at(-3 * 24 * 60, 1, status: .closed)]
        #expect(texts(Agenda.rows(d, now: fixedNow, zone: utc), d) == ["# Tue 12 Jan", "user1@example.com", "-- now 08:00"])
        #expect(Agenda.rows([], now: fixedNow, zone: utc).isEmpty)
    }

    @Test func daysAreLocalDaysInTheUsersZone() {
        // 23:30 UTC on the 15th is already the 16th in Tokyo.
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let ms = [at(15 * 60 + 30, 1)]
        let rows = Agenda.rows(ms, now: fixedNow, zone: tokyo)
        #expect(texts(rows, ms) == ["-- now 17:00", "# Tomorrow · Sat 16 Jan", "user1@example.com"])
    }

    @Test func meetingsAreOrderedByStartWhateverTheServerSent() {
        var s = makeState()
        let ms = [at(90, 1), at(30, 2), at(60, 3)]
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: ms, page: 1, per: 20), company: nil, at: fixedNow))
        #expect(s.meetings.map(\.user) == ["user2@example.com", "user3@example.com", "user1@example.com"])
    }

    @Test func selectionMovesOverMeetingsOnlyAndKeepsHeadingsInView() {
        // Ten meetings a day for three days, from tomorrow: 33 rows with headings and the now line.
        var s = makeState(height: 12, pageSize: 50)
        let ms = (0..<30).map { at(Double(24 * 60 * (1 + $0 / 10) + ($0 % 10) * 30), $0) }
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: ms, page: 1, per: 50), company: nil, at: fixedNow))
        let rows = s.agendaRows
        #expect(rows.count == 34)
        #expect(s.selected == 0)
        // The first meeting's row is 2 (now line, heading): both stay on screen.
        #expect(s.listScroll == 0)
        for _ in 0..<9 { press(&s, .char("j")) }
        #expect(s.selected == 9)
        press(&s, .char("j"))
        #expect(s.selected == 10, "j skips the heading")
        // Its heading came into view with it.
        let at10 = Agenda.row(ofMeeting: 10, in: rows)!
        #expect(s.listScroll <= at10 - 1 && at10 < s.listScroll + s.listVisibleRows)
        press(&s, .char("k"))
        #expect(s.selected == 9)
        press(&s, .char("G"))
        #expect(s.selected == 29)
        #expect(s.listScroll == rows.count - s.listVisibleRows)
        press(&s, .char("g"))
        #expect(s.selected == 0 && s.listScroll == 0)
    }

    @Test func pagingMovesAScreenOfRowsAndLandsOnAMeeting() {
        var s = makeState(height: 12, pageSize: 50)
        let ms = (0..<30).map { at(Double(24 * 60 * (1 + $0 / 10) + ($0 % 10) * 30), $0) }
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: ms, page: 1, per: 50), company: nil, at: fixedNow))
        let visible = s.listVisibleRows
        var previousRow = Agenda.row(ofMeeting: s.selected, in: s.agendaRows)!
        while s.selected < 29 {
            press(&s, .pageDown)
            let row = Agenda.row(ofMeeting: s.selected, in: s.agendaRows)!
            #expect(row > previousRow && row - previousRow <= visible)
            #expect(row >= s.listScroll && row < s.listScroll + visible)
            previousRow = row
        }
        press(&s, .pageDown)
        #expect(s.selected == 29)
        while s.selected > 0 {
            press(&s, .pageUp)
            let row = Agenda.row(ofMeeting: s.selected, in: s.agendaRows)!
            #expect(row < previousRow && previousRow - row <= visible)
            #expect(row >= s.listScroll && row < s.listScroll + visible)
            previousRow = row
        }
        #expect(s.listScroll == 0)
    }
}

@Suite("Issue 9 fixes")
struct IssueNineFixTests {
    @Test func fixTheMarkedFieldsFirstGoesOnceTheyAreFixed() {
        var s = makeState(meetings: 1)
        press(&s, .char("n"))
        _ = reduce(&s, .draftUnreadable("none"))
        type(&s, "ada@example.com")
        press(&s, .ctrl("s"))
        #expect(s.form?.failure == .fixMarkedFields)
        // The cursor went to the first marked field.
        #expect(s.form?.focus == .startsAt)
        type(&s, "in 2h")
        #expect(s.form?.failure == .fixMarkedFields, "the URL is still missing")
        press(&s, .tab)
        type(&s, "https://example.com")
        #expect(s.form?.failure == nil)
    }

    @Test func withoutColourTheFocusedFieldAndButtonStandOut() {
        let catalog = ThemeCatalog.loadLazily(userDirectory: nil)
        for theme in catalog.names.compactMap(catalog.theme(named:)) {
            let r = theme.resolved(for: .none)
            #expect(r[.field] != r[.fieldFocus], "\(theme.name)")
            #expect(r[.button] != r[.buttonFocus], "\(theme.name)")
            #expect(r[.cursor] != r[.fieldFocus], "\(theme.name)")
        }
    }

    @Test func highContrastHasNoHolesInItsBackground() throws {
        let hc = try #require(ThemeCatalog.loadLazily(userDirectory: nil).theme(named: "high-contrast"))
        for depth in [ColorDepth.full256, .eight] {
            let r = hc.resolved(for: depth)
            for role in StyleRole.allCases {
                #expect(r[role]?.bg != -1, "\(role) at \(depth) falls back to the terminal's background")
            }
        }
        // A theme without a background keeps the terminal's.
        let plain = try Theme.parse("[roles]\ntitle = { bold = true }\n", name: "p")
        #expect(plain.resolved(for: .full256)[.title]?.bg == -1)
    }
}
