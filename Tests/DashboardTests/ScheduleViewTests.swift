import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

/// The list shows the schedule from the start of today, sorted by start, and
/// starts on the meeting that matters now; `h` shows every date.
@Suite("Schedule view")
struct ScheduleViewTests {
    @Test func pollsAskForTodayOnSortedByStart() {
        var s = makeState()
        let fx = reduce(&s, .pollDue)
        let startOfDay = Date(timeIntervalSince1970: 1_800_000_000 - 8 * 3600)  // 2027-01-15 00:00 UTC
        #expect(fx == [.fetchList(s.query)])
        #expect(s.query.startsFrom == startOfDay)
        #expect(s.query.sort == "starts_at asc")
        #expect(s.query.parameters.contains { $0.0 == "q[starts_at_gteq]" })
    }

    @Test func hTogglesEveryDateAndEscGoesBack() {
        var s = makeState(meetings: 3)
        s.pollRound = []; s.inFlight = []
        let fx = press(&s, .char("h"))
        #expect(s.showHistory)
        #expect(s.query.startsFrom == nil)
        #expect(fx == [.fetchList(s.query)])
        #expect(s.message?.text.contains("every date") == true)
        s.pollRound = []; s.inFlight = []
        press(&s, .escape)
        #expect(!s.showHistory)
        #expect(s.query.startsFrom != nil)
    }

    @Test func firstListSelectsTheFirstLiveOrUpcomingMeeting() {
        var s = makeState()
        let rows = [meeting(0, status: .closed, minutes: -300), meeting(1, status: .cancelled, minutes: -100),
                    meeting(2, status: .inProgress, minutes: -10), meeting(3, minutes: 30)]
        _ = reduce(&s, .pollDue)
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: rows, page: 1, per: 20), company: nil, at: fixedNow))
        #expect(s.selected == 2)
        #expect(s.selectedMeeting?.status == .inProgress)
        // Later refreshes keep the user's own choice.
        press(&s, .char("k"), .char("k"))
        #expect(s.selected == 0)
        _ = reduce(&s, .pollDue)
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: rows, page: 1, per: 20), company: nil, at: fixedNow))
        #expect(s.selected == 0)
    }

    @Test func helpListsTheHistoryKey() {
        let lines = Keymap.standard.bindings[.list]?.filter { $0.command == .toggleHistory } ?? []
        #expect(lines.first?.keys == [.char("h")])
    }
}
