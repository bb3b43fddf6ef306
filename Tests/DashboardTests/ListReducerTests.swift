import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

@Suite("List screen keys")
struct ListReducerTests {
    @Test func movesWithJKArrowsPagesAndEnds() {
        var s = makeState(meetings: 50, height: 24)
        press(&s, .char("j"))
        #expect(s.selected == 1)
        press(&s, .down, .down)
        #expect(s.selected == 3)
        press(&s, .char("k"), .up)
        #expect(s.selected == 1)
        press(&s, .pageDown)
        #expect(s.selected == 1 + s.listVisibleRows)
        press(&s, .pageUp)
        #expect(s.selected == 1)
        press(&s, .char("G"))
        #expect(s.selected == 49)
        #expect(s.listScroll == s.agendaRows.count - s.listVisibleRows)
        press(&s, .char("g"))
        #expect(s.selected == 0 && s.listScroll == 0)
        press(&s, .up)
        #expect(s.selected == 0)
    }

    @Test func enterOpensDetailAndFetchesIt() {
        var s = makeState(meetings: 3)
        press(&s, .char("j"))
        let fx = press(&s, .enter)
        #expect(s.screen == .detail)
        #expect(s.detailID == s.meetings[1].id)
        #expect(fx == [.fetchDetail(id: s.meetings[1].id, purpose: .show)])
    }

    @Test func qQuits() {
        var s = makeState(meetings: 3)
        #expect(press(&s, .char("q")) == [.quit])
    }

    @Test func escClearsFilters() {
        var s = makeState(meetings: 3)
        press(&s, .char("s"))
        #expect(s.statusFilter == .scheduled)
        s.pollRound = []; s.inFlight = []
        let fx = press(&s, .escape)
        #expect(s.statusFilter == nil && s.userFilter.isEmpty)
        #expect(fx == [.fetchList(s.query)])
        #expect(press(&s, .escape).isEmpty)
    }

    @Test func nOpensTheFormWithTheCursorOnUser() {
        var s = makeState(meetings: 1)
        press(&s, .char("n"))
        #expect(s.screen == .form)
        #expect(s.form?.focus == .user)
    }

    @Test func rRefreshesButNeverTwice() {
        var s = makeState(meetings: 1)
        let first = press(&s, .char("r"))
        #expect(first == [.fetchList(s.query)])
        let second = press(&s, .char("r"))
        #expect(second.isEmpty)
        #expect(s.message?.text.contains("already") == true)
    }

    @Test func slashTypesAnOwnerFilter() {
        var s = makeState(meetings: 1)
        press(&s, .char("/"))
        #expect(s.filterInput != nil)
        type(&s, "hugh")
        press(&s, .backspace)
        type(&s, "h")
        let fx = press(&s, .enter)
        #expect(s.userFilter == "hugh")
        #expect(s.filterInput == nil)
        #expect(s.query.userEmailContains == "hugh")
        // The list hides other owners' meetings: reminders ask by start time on their own.
        #expect(fx == [.fetchList(s.query), .fetchList(s.soonQuery)])
        #expect(s.query.queryString.contains("q%5Buser_email_cont%5D=hugh"))
    }

    @Test func slashThenEscKeepsTheOldFilter() {
        var s = makeState(meetings: 1)
        press(&s, .char("/"))
        type(&s, "zzz")
        #expect(press(&s, .escape).isEmpty)
        #expect(s.userFilter.isEmpty && s.filterInput == nil)
    }

    @Test func sCyclesStatusFilter() {
        var s = makeState(meetings: 1)
        var seen: [MeetingStatus?] = []
        for _ in 0..<5 {
            s.pollRound = []; s.inFlight = []
            press(&s, .char("s"))
            seen.append(s.statusFilter)
        }
        #expect(seen == [.scheduled, .inProgress, .closed, .cancelled, nil])
    }

    @Test func yFetchesTheDetailThenCopiesTheProspectRoomURL() {
        var s = makeState(meetings: 2)
        let fx = press(&s, .char("y"))
        let id = s.meetings[0].id
        #expect(fx == [.fetchDetail(id: id, purpose: .copy(.prospect))])
        let fx2 = reduce(&s, .detailLoaded(detail(of: s.meetings[0]), purpose: .copy(.prospect)))
        #expect(fx2 == [.copy(text: "http://127.0.0.1/essai/room/\(id)", label: "prospect room URL")])
        #expect(s.message?.text == "Copying the prospect room URL…")
        #expect(press(&s, .char("Y")) == [.copy(text: "http://127.0.0.1/essai/presenter/\(id)", label: "presenter room URL")])
        #expect(s.message?.text == "Copying the presenter room URL…")
    }

    @Test func copyInOffModeOnlyShowsTheURL() {
        var s = makeState(meetings: 1, clipboard: .off)
        s.details[s.meetings[0].id] = detail(of: s.meetings[0])
        #expect(press(&s, .char("y")).isEmpty)
        #expect(s.message?.text.contains("http://127.0.0.1/essai/room/") == true)
    }

    @Test func copyFailureIsShown() {
        var s = makeState(meetings: 1)
        press(&s, .char("y"))
        _ = reduce(&s, .detailFailed(id: s.meetings[0].id, error: .offline("connection refused"), purpose: .copy(.prospect)))
        #expect(s.message?.isError == true)
        #expect(s.message?.text.contains("connection refused") == true)
    }

    @Test func tCyclesThemes() {
        var s = makeState(meetings: 1)
        press(&s, .char("t"))
        #expect(s.themeName == "light")
        press(&s, .char("t"), .char("t"), .char("t"))
        #expect(s.themeName == "default")
    }

    @Test func questionMarkAndF1OpenHelpAndAnyKeyClosesIt() {
        var s = makeState(meetings: 1)
        press(&s, .char("?"))
        #expect(s.showHelp)
        press(&s, .char("x"))
        #expect(!s.showHelp)
        press(&s, .function(1))
        #expect(s.showHelp)
        #expect(press(&s, .char("q")).isEmpty)
        #expect(!s.showHelp)
    }

    @Test func bracketsJumpAScreenfulOfRows() {
        var s = makeState(meetings: 20, height: 12)
        press(&s, .char("g"))
        press(&s, .char("]"))
        let row = Agenda.row(ofMeeting: s.selected, in: s.agendaRows)!
        #expect(s.selected > 0 && row <= s.listVisibleRows + 1)
        press(&s, .char("["))
        #expect(s.selected == 0)
    }

    @Test func selectionFollowsTheMeetingAcrossRefreshes() {
        var s = makeState(meetings: 5)
        press(&s, .char("j"), .char("j"))
        let id = s.meetings[2].id
        var reordered = s.meetings
        reordered.reverse()
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: reordered, page: 1, per: 20), company: nil, at: fixedNow))
        #expect(s.selectedMeeting?.id == id)
    }
}

@Suite("Detail screen keys")
struct DetailReducerTests {
    func opened() -> AppState {
        var s = makeState(meetings: 3, height: 12)
        press(&s, .enter)
        var d = detail(of: s.meetings[0])
        d.customData = .object(Dictionary(uniqueKeysWithValues: (0..<30).map { ("key\($0)", JSONValue.int($0)) }))
        _ = reduce(&s, .detailLoaded(d, purpose: .show))
        return s
    }

    @Test func scrollsWithinTheContent() {
        var s = opened()
        press(&s, .char("j"), .down)
        #expect(s.detailScroll == 2)
        press(&s, .char("k"))
        #expect(s.detailScroll == 1)
        press(&s, .char("G"))
        let bottom = s.detailScroll
        #expect(bottom > 10)
        press(&s, .char("j"))
        #expect(s.detailScroll == bottom)
        press(&s, .pageUp)
        #expect(s.detailScroll == bottom - s.detailVisibleRows)
        press(&s, .char("g"))
        #expect(s.detailScroll == 0)
        press(&s, .pageDown)
        #expect(s.detailScroll == s.detailVisibleRows)
    }

    @Test func qAndEscGoBack() {
        var s = opened()
        #expect(press(&s, .char("q")).isEmpty)
        #expect(s.screen == .list)
        press(&s, .enter)
        press(&s, .escape)
        #expect(s.screen == .list)
    }

    @Test func rRefetches() {
        var s = opened()
        #expect(press(&s, .char("r")) == [.fetchDetail(id: s.detailID!, purpose: .show)])
    }

    @Test func yCopiesFromTheLoadedDetail() {
        var s = opened()
        let fx = press(&s, .char("y"))
        #expect(fx == [.copy(text: "http://127.0.0.1/essai/room/\(s.detailID!)", label: "prospect room URL")])
    }

    @Test func tAndHelpWork() {
        var s = opened()
        press(&s, .char("t"))
        #expect(s.themeIndex == 1)
        press(&s, .char("?"))
        #expect(s.showHelp)
    }

    @Test func unusedListKeysDoNothing() {
        var s = opened()
        #expect(press(&s, .char("n"), .char("/"), .char("s")).isEmpty)
        #expect(s.screen == .detail && s.form == nil)
    }

    @Test func loadFailureIsShownOnTheScreen() {
        var s = makeState(meetings: 1)
        press(&s, .enter)
        _ = reduce(&s, .detailFailed(id: s.detailID!, error: .notFound("no meeting"), purpose: .show))
        #expect(s.detailError?.contains("not found") == true)
    }
}
