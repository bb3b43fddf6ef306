import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

@Suite("Polling, errors and backoff")
struct PollingTests {
    @Test func neverTwoPollsInFlight() {
        var s = makeState()
        #expect(reduce(&s, .pollDue) == [.fetchList(s.query)])
        #expect(reduce(&s, .pollDue).isEmpty)
        #expect(press(&s, .char("r")).isEmpty)
    }

    @Test func successSchedulesTheNextPoll() {
        var s = makeState()
        _ = reduce(&s, .pollDue)
        let fx = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: [meeting(1)], page: 1, per: 20), company: "Acme", at: fixedNow))
        #expect(fx.withoutCache == [.schedulePoll(after: 15)])
        #expect(s.connection == .ok && s.company == "Acme" && s.lastSuccess == fixedNow)
        #expect(!s.isLoading)
    }

    @Test func errorsMapToConnectionStatesAndKeepTheData() {
        let cases: [(APIError, ConnectionState)] = [
            (.maintenance, .maintenance), (.unauthorized, .keyRejected), (.server(status: 500), .retrying),
            (.timeout, .retrying), (.offline("connection refused"), .retrying),
        ]
        for (error, expected) in cases {
            var s = makeState(meetings: 3)
            _ = reduce(&s, .pollDue)
            _ = reduce(&s, .listFailed(query: s.query, error: error, at: fixedNow.addingTimeInterval(5)))
            #expect(s.connection == expected, "\(error)")
            #expect(s.meetings.count == 3)
            #expect(s.lastSuccess == fixedNow)
            #expect(s.lastError == error.description)
        }
    }

    @Test func repeatedNetworkFailuresBecomeOffline() {
        var s = makeState(meetings: 1)
        for _ in 0..<3 {
            _ = reduce(&s, .pollDue)
            _ = reduce(&s, .listFailed(query: s.query, error: .offline("connection refused"), at: fixedNow))
        }
        #expect(s.connection == .offline)
        #expect(ConnectionState.offline.words == "offline")
        #expect(ConnectionState.keyRejected.words == "API key rejected")
    }

    @Test func backoffGrowsAndIsCapped() {
        var s = makeState()
        var delays: [TimeInterval] = []
        for _ in 0..<10 {
            _ = reduce(&s, .pollDue)
            let fx = reduce(&s, .listFailed(query: s.query, error: .server(status: 500), at: fixedNow))
            guard case .schedulePoll(let d)? = fx.first else { Issue.record("no schedule"); return }
            delays.append(d)
        }
        #expect(Array(delays.prefix(4)) == [2, 4, 8, 16])
        #expect(delays.last == Backoff.cap)
        #expect(zip(delays, delays.dropFirst()).allSatisfy { $0 <= $1 })
        _ = reduce(&s, .pollDue)
        let fx = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: [], page: 1, per: 20), company: nil, at: fixedNow))
        #expect(fx.withoutCache == [.schedulePoll(after: 15)])
        #expect(s.consecutiveFailures == 0)
    }

    @Test func aRateLimitWaitsAsLongAsTheAPIAsksAndSaysSo() {
        var s = makeState(meetings: 2)
        _ = reduce(&s, .pollDue)
        let fx = reduce(&s, .listFailed(query: s.query, error: .rateLimited(retryAfter: 3600), at: fixedNow))
        #expect(fx == [.schedulePoll(after: 3600)])
        #expect(s.connection == .rateLimited)
        #expect(s.meetings.count == 2)
        s.now = fixedNow.addingTimeInterval(61)
        let footer = ConnectionStatus(s).text
        #expect(footer.hasPrefix("rate limited · next try in 59m"), "\(footer)")
        #expect(footer.contains("asks to wait 1h"), "\(footer)")
        // Without a Retry-After, or a shorter one, the usual back-off stands.
        var t = makeState()
        _ = reduce(&t, .pollDue)
        #expect(reduce(&t, .listFailed(query: t.query, error: .rateLimited(retryAfter: nil), at: fixedNow)) == [.schedulePoll(after: 2)])
        _ = reduce(&t, .pollDue)
        #expect(reduce(&t, .listFailed(query: t.query, error: .rateLimited(retryAfter: 1), at: fixedNow)) == [.schedulePoll(after: 4)])
        // A server asking for years is held to a day.
        _ = reduce(&t, .pollDue)
        #expect(reduce(&t, .listFailed(query: t.query, error: .rateLimited(retryAfter: 1e9), at: fixedNow)) == [.schedulePoll(after: Backoff.retryAfterCap)])
    }

    @Test func aResultForAnOldQueryIsDroppedAndTheCurrentOneFetched() {
        var s = makeState(meetings: 2)
        _ = reduce(&s, .pollDue)
        let old = s.query
        // The new query is asked for at once; the old one's answer changes nothing when it lands.
        let asked = press(&s, .char("s"))
        #expect(asked.first == .fetchList(s.query))
        let fx = reduce(&s, .listLoaded(query: old, page: MeetingPage(meetings: [meeting(9)], page: 1, per: 20), company: nil, at: fixedNow))
        #expect(fx.isEmpty)
        #expect(s.meetings.isEmpty)
    }

    @Test func tickUpdatesTheClockAndExpiresMessages() {
        var s = makeState(meetings: 1)
        press(&s, .char("t"))
        #expect(s.message != nil)
        _ = reduce(&s, .tick(fixedNow.addingTimeInterval(60)))
        #expect(s.now == fixedNow.addingTimeInterval(60))
        #expect(s.message == nil)
    }

    @Test func resizeKeepsSelectionVisible() {
        var s = makeState(meetings: 50)
        press(&s, .char("G"))
        _ = reduce(&s, .resize(width: 120, height: 60))
        #expect(s.width == 120 && s.height == 60)
        #expect(s.listScroll == 0)
    }
}
