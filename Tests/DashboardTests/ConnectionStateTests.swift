import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

/// Issue 4 part 3: every connection state and the way out of it, in words.
@Suite("Connection states under network faults")
struct ConnectionStateTests {
    let page = MeetingPage(meetings: [meeting(1), meeting(2)], page: 1, per: 20)

    /// One poll: due, then failed (or loaded) at `at`. Returns the effects of the answer.
    @discardableResult
    func poll(_ s: inout AppState, failing error: APIError?, at: Date) -> [Effect] {
        _ = reduce(&s, .tick(at))
        let start = reduce(&s, .pollDue)
        #expect(start == [.fetchList(s.query)] || s.connection == .keyRejected)
        if let error { return reduce(&s, .listFailed(query: s.query, error: error, at: at)) }
        return reduce(&s, .listLoaded(query: s.query, page: page, company: "Acme", at: at))
    }

    @Test func okThenRetryingThenOfflineThenOkWithoutAKey() {
        var s = makeState(meetings: 2)
        #expect(s.connection == .ok)
        #expect(ConnectionStatus(s).text == "ok · updated 0s ago")
        poll(&s, failing: .offline("connection refused"), at: fixedNow.addingTimeInterval(15))
        #expect(s.connection == .retrying)
        #expect(ConnectionStatus(s).text.hasPrefix("retrying (1) · next try in 2s · data 15s old · cannot reach the API: connection refused"))
        poll(&s, failing: .offline("connection refused"), at: fixedNow.addingTimeInterval(17))
        #expect(s.connection == .retrying)
        poll(&s, failing: .offline("connection refused"), at: fixedNow.addingTimeInterval(130))
        #expect(s.connection == .offline)
        #expect(ConnectionStatus(s).text.hasPrefix("offline · data 2m 10s old · next try in 8s"))
        // The data stays on screen, and polls carry on by themselves.
        #expect(s.meetings.count == 2)
        let fx = poll(&s, failing: nil, at: fixedNow.addingTimeInterval(140))
        #expect(fx.withoutCache == [.schedulePoll(after: 15)])
        #expect(s.connection == .ok && s.consecutiveFailures == 0 && s.lastError == nil)
        #expect(ConnectionStatus(s).text == "ok · updated 0s ago")
    }

    @Test func timeoutsFromAHungServerBecomeRetryingThenOffline() {
        var s = makeState(meetings: 2)
        poll(&s, failing: .timeout, at: fixedNow.addingTimeInterval(10))
        #expect(s.connection == .retrying)
        #expect(s.lastError == APIError.timeout.description)
        poll(&s, failing: .timeout, at: fixedNow.addingTimeInterval(20))
        poll(&s, failing: .timeout, at: fixedNow.addingTimeInterval(30))
        #expect(s.connection == .offline)
        #expect(s.meetings.count == 2)
    }

    @Test func serverErrorsAndGarbageRetryWithTheLastErrorInWords() {
        var s = makeState(meetings: 2)
        poll(&s, failing: .server(status: 500), at: fixedNow)
        poll(&s, failing: .invalidResponse("body is not JSON (expected a list of meetings)"), at: fixedNow)
        let fx = poll(&s, failing: .server(status: 500), at: fixedNow)
        #expect(fx == [.schedulePoll(after: 8)])
        #expect(s.connection == .retrying)
        let text = ConnectionStatus(s).text
        #expect(text.hasPrefix("retrying (3) · next try in 8s · data 0s old · the CoClick server had a problem (500)"))
    }

    @Test func maintenanceUntilItPasses() {
        var s = makeState(meetings: 2)
        for i in 1...4 { poll(&s, failing: .maintenance, at: fixedNow.addingTimeInterval(Double(i) * 65)) }
        #expect(s.connection == .maintenance)
        #expect(ConnectionStatus(s).text.hasPrefix("maintenance · data 4m 20s old · next try in 16s · the CoClick API is offline for maintenance (503)"))
        poll(&s, failing: nil, at: fixedNow.addingTimeInterval(300))
        #expect(s.connection == .ok)
    }

    @Test func nextTryCountsDownWithTheClock() {
        var s = makeState(meetings: 1)
        for _ in 0..<3 { poll(&s, failing: .server(status: 502), at: fixedNow) }
        #expect(ConnectionStatus(s).text.contains("next try in 8s"))
        _ = reduce(&s, .tick(fixedNow.addingTimeInterval(5)))
        #expect(ConnectionStatus(s).text.contains("next try in 3s"))
        _ = reduce(&s, .pollDue)
        #expect(ConnectionStatus(s).text.contains("trying now…"))
    }

    @Test func rejectedKeyStopsPollingUntilR() {
        var s = makeState(meetings: 2)
        let fx = poll(&s, failing: .unauthorized, at: fixedNow.addingTimeInterval(20))
        #expect(fx.isEmpty, "no next poll is scheduled after a 401")
        #expect(s.connection == .keyRejected)
        #expect(ConnectionStatus(s).text.hasPrefix("API key rejected · polling stopped, r retries · data 20s old · authentication failed (401)"))
        // A stray timer firing asks nothing.
        #expect(reduce(&s, .pollDue).isEmpty)
        #expect(!s.isLoading)
        // `r` asks once; a second rejection stops again.
        #expect(press(&s, .char("r")) == [.fetchList(s.query)])
        #expect(ConnectionStatus(s).text.contains("trying now…"))
        #expect(press(&s, .char("r")).isEmpty)
        #expect(reduce(&s, .listFailed(query: s.query, error: .unauthorized, at: fixedNow)).isEmpty)
        #expect(s.connection == .keyRejected)
        #expect(s.meetings.count == 2)
        // A key that works again: back to ok and regular polls.
        #expect(press(&s, .char("r")) == [.fetchList(s.query)])
        let ok = reduce(&s, .listLoaded(query: s.query, page: page, company: nil, at: fixedNow))
        #expect(ok.withoutCache == [.schedulePoll(after: 15)])
        #expect(s.connection == .ok)
        #expect(reduce(&s, .pollDue) == [.fetchList(s.query)])
    }

    @Test func backoffGrowsToTheOneMinuteCap() {
        #expect((1...8).map(Backoff.delay(afterFailures:)) == [2, 4, 8, 16, 32, 60, 60, 60])
        var s = makeState(meetings: 1)
        var last: TimeInterval = 0
        for _ in 0..<12 {
            guard case .schedulePoll(let d)? = poll(&s, failing: .offline("connection lost"), at: fixedNow).first else {
                Issue.record("no poll scheduled"); return
            }
            #expect(d >= last && d <= 60)
            last = d
        }
        #expect(last == 60)
        #expect(ConnectionStatus(s).text.contains("next try in 60s"))
    }

    @Test func rDuringAPollNeverStartsASecondOne() {
        var s = makeState(meetings: 2)
        for _ in 0..<3 { poll(&s, failing: .timeout, at: fixedNow) }
        // A hung server: one poll in flight, the user hammers r, the timer fires.
        #expect(reduce(&s, .pollDue) == [.fetchList(s.query)])
        var extra: [Effect] = []
        for _ in 0..<50 { extra += press(&s, .char("r")) }
        extra += reduce(&s, .pollDue)
        #expect(extra.isEmpty)
        #expect(s.message?.text == "A refresh is already in progress")
        // When it finally fails, exactly one next poll is scheduled; r then asks at once.
        #expect(reduce(&s, .listFailed(query: s.query, error: .timeout, at: fixedNow)) == [.schedulePoll(after: 16)])
        #expect(press(&s, .char("r")) == [.fetchList(s.query)])
    }

    @Test func theFooterSaysItInWords() {
        var s = makeState(meetings: 1, width: 120)
        for _ in 0..<3 { poll(&s, failing: .offline("connection refused"), at: fixedNow.addingTimeInterval(130)) }
        #expect(ConnectionStatus(s).badge == "offline")
        s.connection = .retrying
        #expect(ConnectionStatus(s).badge == "retrying (3)")
        #expect(ConnectionStatus.span(9) == "9s")
        #expect(ConnectionStatus.span(130) == "2m 10s")
        #expect(ConnectionStatus.span(3900) == "1h 05m")
        #expect(ConnectionStatus.span(2 * 86_400 + 3 * 3600) == "2d 03h")
    }
}
