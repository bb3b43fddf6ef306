import CoClickAPI
import Dashboard
import Foundation
import TerminalText
import Testing

/// The list is a window of the schedule, not a server page: what a presenter
/// sees on a busy day, and how few requests it takes.
@Suite("Schedule window")
struct ScheduleWindowTests {
    /// A started poll's requests, by kind.
    func requests(_ fx: [Effect]) -> (pages: [MeetingQuery], soon: [MeetingQuery]) {
        let qs = fx.compactMap { e -> MeetingQuery? in if case .fetchList(let q) = e { return q } else { return nil } }
        return (qs.filter { $0.startsTo == nil }, qs.filter { $0.startsTo != nil })
    }

    func answer(_ s: inout AppState, _ q: MeetingQuery, _ ms: [Meeting], more: Bool? = nil) -> [Effect] {
        let page = MeetingPage(meetings: ms, page: q.page, per: q.per)
        var p = page
        if let more { p.linkHasNext = more }
        return reduce(&s, .listLoaded(query: q, page: p, company: "Acme", at: s.now))
    }

    /// 23 meetings of today already over, 5 live, then 12 upcoming: 40 in all, two pages of 20.
    func busyDay() -> [Meeting] {
        let past = (0..<23).map { meeting($0, status: .closed, minutes: Double(-460 + $0 * 20)) }
        let live = (23..<28).map { meeting($0, status: .inProgress, minutes: Double(-10 - ($0 - 23))) }
        let upcoming = (28..<40).map { meeting($0, minutes: Double(5 + ($0 - 28) * 15)) }
        return Agenda.byStart(past + live + upcoming)
    }

    func startedState(height: Int = 30, width: Int = 100) -> (AppState, [Effect]) {
        var s = makeState(width: width, height: height)
        let fx = reduce(&s, .pollDue)
        return (s, fx)
    }

    @Test func aBusyDayOpensOnTheFirstLiveMeetingAcrossPages() {
        let all = busyDay()
        var (s, fx) = startedState()
        let first = requests(fx)
        #expect(first.pages.map(\.page) == [1] && first.soon.isEmpty, "page 1 is all a start asks for")
        // Page 1: 20 meetings, all over. The next page is asked for at once.
        let fx1 = answer(&s, first.pages[0], Array(all[0..<20]))
        let next = requests(fx1).pages
        #expect(next.map(\.page) == [2], "page 1 holds nothing live: page 2 is fetched without a key")
        _ = answer(&s, next[0], Array(all[20..<40]), more: false)
        #expect(s.meetings.count == 40)
        #expect(s.selectedMeeting?.status == .inProgress)
        #expect(s.selectedMeeting?.id == all.first { $0.status == .inProgress }?.id)
        // Today's past meetings are above it, on screen, and reachable.
        let rows = s.agendaRows
        let at = Agenda.row(ofMeeting: s.selected, in: rows)!
        #expect(s.listScroll > 0 && s.listScroll < at)
        press(&s, .char("g"))
        #expect(s.selected == 0 && s.selectedMeeting?.status == .closed)
        press(&s, .char("."))
        #expect(s.selectedMeeting?.status == .inProgress)
    }

    @Test func aTallTerminalIsFilledAndJGoesOnAcrossPages() {
        var (s, fx) = startedState(height: 50)
        let upcoming = (0..<60).map { meeting($0, minutes: Double(5 + $0 * 10)) }
        let fx1 = answer(&s, requests(fx).pages[0], Array(upcoming[0..<20]))
        // 20 rows on a 45-row list: the next page comes without a key.
        #expect(requests(fx1).pages.map(\.page) == [2])
        let fx2 = answer(&s, s.query(page: 2), Array(upcoming[20..<40]))
        #expect(requests(fx2).pages.map(\.page) == [3], "still less than a screenful below what is drawn")
        _ = answer(&s, s.query(page: 3), Array(upcoming[40..<60]), more: false)
        #expect(s.meetings.count == 60 && !s.hasMorePages)
        press(&s, .char("G"))
        #expect(s.selected == 59)
        let n = s.selected
        press(&s, .char("j"))
        #expect(s.selected == n)
    }

    @Test func scrollingDownAsksForTheNextPageBeforeTheEnd() {
        var (s, fx) = startedState(height: 12)
        let upcoming = (0..<40).map { meeting($0, minutes: Double(5 + $0 * 10)) }
        let fx1 = answer(&s, requests(fx).pages[0], Array(upcoming[0..<20]))
        #expect(requests(fx1).pages.isEmpty, "a screenful below the screen: nothing yet")
        var asked: [MeetingQuery] = []
        for _ in 0..<19 { asked += requests(press(&s, .char("j"))).pages }
        #expect(asked.map(\.page) == [2], "page 2 asked for once, before the last row")
        _ = answer(&s, asked[0], Array(upcoming[20..<40]), more: false)
        press(&s, .char("j"))
        #expect(s.selected == 20, "j goes on to page 2's first meeting")
    }

    @Test func aPollRefreshesTheRowsOnScreenAndTheMeetingsNearNow() {
        var (s, fx) = startedState(height: 20)
        let all = (0..<100).map { meeting($0, minutes: Double(5 + $0 * 10)) }
        _ = answer(&s, requests(fx).pages[0], Array(all[0..<20]))
        for p in 2...5 { _ = answer(&s, s.query(page: p), Array(all[(p - 1) * 20..<p * 20]), more: p < 5) }
        #expect(s.meetings.count == 100)
        for _ in 0..<50 { press(&s, .char("j")) }
        // The round of the first poll is over: the next poll asks for what is drawn
        // (meetings 36 to 50: pages 2 and 3) and for the page that holds the
        // meetings near now (page 1), which spares a query of their own.
        s.pollRound = []
        let poll = requests(reduce(&s, .pollDue))
        #expect(Set(poll.pages.map(\.page)) == [1, 2, 3])
        #expect(poll.soon.isEmpty)
    }

    @Test func aFilterThatHidesMeetingsNearNowAsksForThemByStartTime() {
        var s = makeState()
        press(&s, .char("s"))
        #expect(s.statusFilter == .scheduled)
        s.pollRound = []
        s.inFlight = []
        let poll = requests(reduce(&s, .pollDue))
        #expect(poll.pages.map(\.page) == [1] && poll.soon.count == 1)
        let soon = poll.soon[0]
        #expect(soon.statuses.isEmpty && soon.userEmailContains == nil)
        #expect(soon.startsFrom! == s.now.addingTimeInterval(-120) && soon.startsTo! == s.now.addingTimeInterval(5 * 60))
    }

    @Test func aPageAnsweredAgainReplacesItsSpanWithoutDuplicates() {
        var w = ScheduleWindow()
        let ms = (0..<40).map { meeting($0, minutes: Double($0 * 10)) }
        w.apply(page: 1, rows: Array(ms[0..<20]), more: true)
        w.apply(page: 2, rows: Array(ms[20..<40]), more: false)
        // A meeting created at the very start shifts every page by one.
        let early = meeting(90, minutes: -5)
        w.apply(page: 1, rows: [early] + Array(ms[0..<19]), more: true)
        #expect(w.meetings.count == 41)
        #expect(Set(w.meetings.map(\.id)).count == 41)
        w.apply(page: 2, rows: Array(ms[19..<39]), more: true)
        #expect(w.meetings.count == 41 && Set(w.meetings.map(\.id)).count == 41)
        // A meeting gone from a page's span is gone from the window.
        w.apply(page: 1, rows: Array(ms[0..<19]) + [ms[20]], more: true)
        #expect(!w.meetings.contains { $0.id == ms[19].id && w.page(of: $0.id) == 1 })
        #expect(!w.meetings.contains { $0.id == early.id })
    }

    @Test func aServerThatIgnoresThePageSizeIsCutToIt() {
        var (s, fx) = startedState()
        let flood = (0..<500).map { meeting($0, minutes: Double(5 + $0)) }
        _ = answer(&s, requests(fx).pages[0], flood)
        #expect(s.meetings.count == 20)
        #expect(s.message?.text.contains("500 meetings for a page of 20") == true)
    }

    @Test func remindersFollowTheMeetingsNearNowWhateverTheListShows() {
        var s = makeState()
        s.statusFilter = .closed
        let fx = reduce(&s, .pollDue)
        // The list shows only closed meetings (a filter); the soon query finds the one about to start.
        _ = answer(&s, requests(fx).pages[0], [meeting(1, status: .closed, minutes: -60)], more: false)
        let near = meeting(2, minutes: 3)
        _ = answer(&s, requests(fx).soon[0], [near])
        let tick = reduce(&s, .tick(s.now.addingTimeInterval(1)))
        #expect(tick.contains { if case .remind(let r) = $0 { return r.meetingID == near.id } else { return false } })
        #expect(s.windowTitle?.contains("in 2m") == true || s.windowTitle?.contains("in 3m") == true)
    }

    @Test func meFiltersTheListAndTheRemindersAndFillsTheForm() {
        var settings = DashboardSettings(refreshInterval: 15, pageSize: 20, userThemeDirectory: nil)
        settings.me = "alice@example.com"
        var s = AppState(settings: settings, now: fixedNow, timeZone: utc)
        let fx = reduce(&s, .pollDue)
        let pages = requests(fx).pages
        #expect(pages.first?.userEmailContains == "alice@example.com")
        // Remind defaults to me when me is set: the list of mine holds what rings.
        #expect(requests(fx).soon.isEmpty)
        #expect(s.soonQuery.userEmailContains == "alice@example.com")
        // The server matches "contains": malice@ is not me.
        let mine = meeting(1, minutes: 3, user: "Alice@example.com")
        let other = meeting(2, minutes: 4, user: "malice@example.com")
        _ = answer(&s, pages[0], [mine, other], more: false)
        #expect(s.meetings.map(\.id) == [mine.id])
        let tick = reduce(&s, .tick(s.now.addingTimeInterval(1)))
        let rung = tick.compactMap { if case .remind(let r) = $0 { return r.meetingID } else { return nil } }
        #expect(rung == [mine.id])
        // The form's User starts with me, and such a form is still blank (no draft written).
        press(&s, .char("n"))
        #expect(s.form?.user.text == "alice@example.com")
        #expect(reduce(&s, .settled).isEmpty)
        press(&s, .escape)
        // `m` shows everyone's.
        let everyone = press(&s, .char("m"))
        #expect(requests(everyone).pages.first?.userEmailContains == nil)
        #expect(!s.showsOnlyMine)
        press(&s, .char("m"))
        #expect(s.showsOnlyMine)
    }

    @Test func mWithoutMeSaysHowToSetIt() {
        var s = makeState(meetings: 3)
        #expect(press(&s, .char("m")).isEmpty)
        #expect(s.message?.isError == true && s.message?.text.contains("me =") == true)
    }

    @Test func colonGoesToADateAndAnEarlierDayWidensTheWindow() {
        var (s, fx) = startedState()
        let ms = (0..<10).map { meeting($0, minutes: Double($0 * 24 * 60)) }
        _ = answer(&s, requests(fx).pages[0], ms, more: false)
        press(&s, .char(":"))
        #expect(s.dateInput != nil)
        type(&s, "2027-01-20 00:00")
        press(&s, .enter)
        #expect(s.dateInput == nil)
        #expect(s.selectedMeeting?.id == ms[5].id)
        // A typo is said, and what was typed stays.
        press(&s, .char(":"))
        type(&s, "blursday")
        press(&s, .enter)
        #expect(s.dateInput?.text == "blursday" && s.message?.isError == true)
        press(&s, .escape)
        // Yesterday is before the window: the window starts there now.
        press(&s, .char(":"))
        type(&s, "2027-01-14 10:00")
        let back = requests(press(&s, .enter)).pages
        let yesterday = LocalTime.startOfDay(fixedNow.addingTimeInterval(-86_400), zone: utc)
        #expect(back.first?.startsFrom == yesterday)
        #expect(s.seek == .date(APIDate.parse("2027-01-14T10:00:00Z")!.date))
    }

    @Test func aDetailThatFailedForWantOfTheServerReloadsWhenItAnswers() {
        var (s, fx) = startedState()
        let m = meeting(1, minutes: 30)
        _ = answer(&s, requests(fx).pages[0], [m], more: false)
        press(&s, .enter)
        _ = reduce(&s, .detailFailed(id: m.id, error: .offline("connection refused"), purpose: .show))
        #expect(s.detailError != nil)
        s.pollRound = []
        let poll = reduce(&s, .pollDue)
        let back = answer(&s, requests(poll).pages[0], [m], more: false)
        #expect(back.contains(.fetchDetail(id: m.id, purpose: .show)))
        #expect(s.detailLoading && s.detailError == nil)
    }

    @Test func serverTextIsCutToWhatCanBeShownWhenItArrives() {
        var (s, fx) = startedState()
        let huge = String(repeating: "a", count: 1_000_000) + "@example.com"
        _ = answer(&s, requests(fx).pages[0], [meeting(1, minutes: 30, user: huge)], more: false)
        #expect(s.meetings[0].user!.count <= 321)
        var d = detail(of: meeting(1, minutes: 30))
        d.customData = .object(["notes": .string(String(repeating: "x", count: 500_000))])
        d.customDataRaw = try? RawJSON.parse(#"{"notes": "\#(String(repeating: "x", count: 500_000))"}"#)
        d.cookies = [Cookie(domain: String(repeating: "d", count: 100_000), name: "n", value: "v")]
        _ = reduce(&s, .detailLoaded(d, purpose: .show))
        let kept = s.details[d.id]!
        guard case .object(let o)? = kept.customData, case .string(let notes)? = o["notes"] else { Issue.record("no custom data"); return }
        #expect(notes.count <= 2_049)
        #expect(kept.cookies!.first!.domain.count <= 2_049)
        // Duplicating still takes the custom data exactly as the server sent it.
        #expect(kept.customDataRaw == d.customDataRaw)
        #expect(kept.prospectRoomURL == d.prospectRoomURL)
    }

    @Test func theEndOfALiveMeetingShowsWhenItsDurationIsKnown() {
        var s = makeState()
        var m = meeting(1, status: .inProgress, minutes: -10)
        m.duration = 1800
        s.meetings = [m]
        #expect(s.countdownText(m) == "ends in 20m")
        #expect(s.timeText(m, withEnd: true) == "07:50–08:20")
        m.duration = nil
        #expect(s.countdownText(m).hasPrefix("live"))
    }
}
