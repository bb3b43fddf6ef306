import CoClickAPI
@testable import CoClickSimulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Fault injection (in process and over the admin endpoint), lifecycle, and time.
@Suite struct FaultAndLifecycleTests {
    func setFaults(_ base: URL, _ body: [String: Any]) async throws -> RawResponse {
        try await raw("POST", admin(base, "/_simulator/faults"), body: json(body))
    }

    @Test func adminEndpointTogglesMaintenanceWithPartialUpdates() async throws {
        try await withSimulator { sim, base in
            let t = try await token(base)
            let on = try await setFaults(base, ["maintenance": true, "latency_ms": 5])
            #expect(on.status == 200)
            #expect(on.object?["maintenance"] as? Bool == true)
            #expect(sim.faults.maintenance && sim.faults.latencyMilliseconds == 5)
            let down = try await raw("GET", endpoint(base, "meetings"), headers: bearer(t))
            #expect(down.status == 503)
            #expect(down.object?["error"] is String)
            // Authentication is part of the API: also down.
            #expect(try await raw("POST", endpoint(base, "authenticate"), body: json(["secret_id": "demo-secret-id", "secret_key": "demo-secret-key"])).status == 503)
            // The admin endpoint is never fault-injected.
            let state = try await raw("GET", admin(base, "/_simulator/faults"))
            #expect(state.status == 200 && state.object?["maintenance"] as? Bool == true)
            // A partial update leaves the other faults alone.
            let off = try await setFaults(base, ["maintenance": false])
            #expect(off.object?["maintenance"] as? Bool == false && off.object?["latency_ms"] as? Int == 5)
            #expect(try await raw("GET", endpoint(base, "meetings"), headers: bearer(t)).status == 200)
        }
    }

    @Test func adminEndpointRefusesUnknownKeysAndWrongTypes() async throws {
        try await withSimulator { sim, base throws in
            #expect(try await setFaults(base, ["maintenace": true]).status == 400)
            #expect(try await setFaults(base, ["maintenance": "yes"]).status == 400)
            #expect(try await setFaults(base, ["failure_rate": "lots"]).status == 400)
            #expect(try await raw("POST", admin(base, "/_simulator/faults"), body: Data("nope".utf8)).status == 400)
            #expect(sim.faults == .none)
        }
    }

    @Test func resetRestoresStartOptionsAndData() async throws {
        try await withSimulator(SimulatorOptions(tokenTTL: 100, faults: SimulatorFaults(latencyMilliseconds: 1))) { sim, base in
            let t = try await token(base)
            let seeded = sim.meetings.count
            sim.addMeeting(NewMeeting(user: "ada@example.com", startsAt: APIDate(date: Date()), cobrowsingURL: "https://example.com"))
            #expect(sim.meetings.count == seeded + 1)
            _ = try await setFaults(base, ["hang": false, "failure_rate": 0.5, "token_ttl": 2])
            #expect(sim.tokenTTL == 2 && sim.faults.failureRate == 0.5)
            let r = try await raw("POST", admin(base, "/_simulator/reset"))
            #expect(r.status == 200)
            #expect(sim.faults == SimulatorFaults(latencyMilliseconds: 1))
            #expect(sim.tokenTTL == 100)
            #expect(sim.meetings.count == seeded)
            // Tokens survive a reset.
            #expect(try await raw("GET", endpoint(base, "meetings"), headers: bearer(t)).status == 200)
        }
    }

    @Test func failureRateFailNextAndGarbage() async throws {
        try await withSimulator { sim, base in
            let t = try await token(base)
            sim.setFailureRate(1)
            let failed = try await raw("GET", endpoint(base, "meetings"), headers: bearer(t))
            #expect(failed.status == 500 && failed.object?["error"] is String)
            sim.setFailureRate(0)
            _ = try await setFaults(base, ["fail_next": 2])
            #expect(try await raw("GET", endpoint(base, "meetings"), headers: bearer(t)).status == 500)
            #expect(try await raw("GET", endpoint(base, "meetings"), headers: bearer(t)).status == 500)
            #expect(try await raw("GET", endpoint(base, "meetings"), headers: bearer(t)).status == 200)
            sim.setGarbage(true)
            let garbage = try await raw("GET", endpoint(base, "meetings"), headers: bearer(t))
            #expect(garbage.status == 200)
            #expect(garbage.json == nil)
        }
    }

    @Test func latencyDelaysAnswers() async throws {
        try await withSimulator { sim, base in
            let t = try await token(base)
            sim.setLatency(milliseconds: 300)
            let started = Date()
            #expect(try await raw("GET", endpoint(base, "meetings"), headers: bearer(t)).status == 200)
            #expect(Date().timeIntervalSince(started) >= 0.3)
        }
    }

    @Test func hangHoldsRequestsUntilLifted() async throws {
        try await withSimulator { sim, base in
            let t = try await token(base)
            sim.setHang(true)
            let pending = Task { try await raw("GET", endpoint(base, "meetings"), headers: bearer(t)) }
            // The request arrives and is held.
            while !sim.requests.contains(where: { $0.path == "/api/v1/meetings" }) { try await Task.sleep(nanoseconds: 20_000_000) }
            try await Task.sleep(nanoseconds: 200_000_000)
            sim.setHang(false)
            #expect(try await pending.value.status == 200)
        }
    }

    @Test func stopReleasesHungRequests() async throws {
        let sim = Simulator()
        let base = try await sim.start()
        let t = try await token(base)
        sim.setHang(true)
        let pending = Task { try? await raw("GET", endpoint(base, "meetings"), headers: bearer(t)) }
        while !sim.requests.contains(where: { $0.path == "/api/v1/meetings" }) { try await Task.sleep(nanoseconds: 20_000_000) }
        await sim.stop()
        let answer = await pending.value
        // Either the 503 made it out before the connection closed, or the connection was dropped.
        #expect(answer == nil || answer?.status == 503)
        #expect(sim.baseURL == nil)
    }

    @Test func revokedTokensAre401() async throws {
        try await withSimulator { _, base in
            let t = try await token(base)
            #expect(try await raw("POST", admin(base, "/_simulator/revoke_tokens")).status == 200)
            #expect(try await raw("GET", endpoint(base, "meetings"), headers: bearer(t)).status == 401)
        }
    }

    @Test func startIsIdempotentAndSimulatorsGetTheirOwnPorts() async throws {
        let a = Simulator(), b = Simulator()
        let urlA = try await a.start()
        let urlB = try await b.start()
        #expect(try await a.start() == urlA)
        #expect(urlA != urlB)
        #expect(urlA.host == "127.0.0.1" && urlA.path == "/api/v1")
        #expect(a.port == urlA.port)
        await a.stop()
        await a.stop()
        // b still serves after a stopped.
        #expect(try await token(urlB).isEmpty == false)
        await b.stop()
        // A stopped simulator refuses connections.
        await #expect(throws: (any Error).self) { try await raw("GET", endpoint(urlA, "meetings")) }
    }

    @Test func requestsAreRecorded() async throws {
        let seen = Locked<[String]>([])
        let options = SimulatorOptions(onRequest: { r in seen.withLock { $0.append(r.method + " " + r.path) } })
        try await withSimulator(options) { sim, base in
            let t = try await token(base)
            _ = try await raw("GET", endpoint(base, "meetings", query: "q%5Bstatus_eq%5D=closed"), headers: bearer(t))
            #expect(sim.requests.map { "\($0.method) \($0.path)" } == ["POST /api/v1/authenticate", "GET /api/v1/meetings"])
            #expect(sim.requests.last?.query == "q%5Bstatus_eq%5D=closed")
            #expect(seen.withLock { $0 } == ["POST /api/v1/authenticate", "GET /api/v1/meetings"])
            sim.clearRequests()
            #expect(sim.requests.isEmpty)
        }
    }

    @Test func statusFollowsTheClock() async throws {
        let clock = TestClock()
        try await withSimulator(SimulatorOptions(tokenTTL: 1e9, now: { clock.now })) { sim, base in
            let t = try await token(base)
            func status(_ id: String) async throws -> String? {
                try await raw("GET", endpoint(base, "meetings/" + id), headers: bearer(t)).object?["status"] as? String
            }
            let soon = try #require(sim.meetings.first { $0.status == .scheduled && $0.duration != nil })
            let cancelled = try #require(sim.meetings.first { $0.status == .cancelled })
            let openEnded = try #require(sim.meetings.first { $0.status == .scheduled && $0.duration == nil })
            #expect(try await status(soon.id) == "scheduled")
            let start = try #require(soon.startsAt?.date), seconds = try #require(soon.duration)
            clock.advance(start.timeIntervalSince(clock.now))
            #expect(try await status(soon.id) == "in_progress")
            clock.advance(TimeInterval(seconds) - 1)
            #expect(try await status(soon.id) == "in_progress")
            clock.advance(1)
            #expect(try await status(soon.id) == "closed")
            // A meeting without a duration is taken to last an hour.
            let openStart = try #require(openEnded.startsAt?.date)
            clock.advance(openStart.timeIntervalSince(clock.now) + 59 * 60)
            #expect(try await status(openEnded.id) == "in_progress")
            clock.advance(60)
            #expect(try await status(openEnded.id) == "closed")
            // Cancelled stays cancelled, and filters see the status of the moment.
            clock.advance(30 * 86_400)
            #expect(try await status(cancelled.id) == "cancelled")
            let scheduled = try await raw("GET", endpoint(base, "meetings", query: "q%5Bstatus_eq%5D=scheduled"), headers: bearer(t))
            #expect(scheduled.array?.isEmpty == true)
            #expect(sim.cancelMeeting(id: soon.id))
            #expect(try await status(soon.id) == "cancelled")
        }
    }

    @Test func standardFixtureCoversEveryStatusAndShape() throws {
        let sim = Simulator()
        let meetings = sim.meetings
        #expect((20...30).contains(meetings.count))
        #expect(Set(meetings.map(\.status)) == Set(MeetingStatus.documented))
        #expect(meetings.filter { $0.status == .inProgress }.count >= 2)
        #expect(Set(meetings.compactMap(\.user)).count >= 4)
        #expect(meetings.contains { $0.duration == nil } && meetings.filter { $0.duration != nil }.count > meetings.count / 2)
        #expect(meetings.contains { !($0.cookies ?? []).isEmpty } && meetings.contains { $0.customData != nil })
        let soon = meetings.filter { $0.status == .scheduled && ($0.startsAt?.date.timeIntervalSinceNow ?? 0) < 600 }
        #expect(soon.count >= 2)
        #expect(Set(meetings.map(\.id)).count == meetings.count)
    }

    @Test func countFixtureHasExactlyN() {
        #expect(Simulator(options: SimulatorOptions(fixture: .count(40))).meetings.count == 40)
        #expect(Simulator(options: SimulatorOptions(fixture: .empty)).meetings.isEmpty)
    }

    @Test func hostileFixtureCarriesRawControlCharacters() async throws {
        try await withSimulator(SimulatorOptions(fixture: .hostile)) { sim, base in
            let t = try await token(base)
            let list = try await raw("GET", endpoint(base, "meetings"), headers: bearer(t).merging(["X-Per": "100"]) { $1 })
            #expect(list.text.contains("\\u001b"))   // JSON-escaped ESC on the wire
            let users = list.array?.compactMap { $0["user"] as? String } ?? []
            #expect(users.contains { $0.contains("\u{1b}[2J") })
            #expect(users.contains { $0.contains("\u{202e}") })
            #expect(users.contains { $0.unicodeScalars.contains { $0.value == 0x7f } })
            #expect(users.contains { $0.unicodeScalars.contains { (0x80..<0xa0).contains($0.value) } })
            var everything = ""
            for m in sim.meetings {
                let d = try await raw("GET", endpoint(base, "meetings/" + m.id), headers: bearer(t))
                #expect(d.status == 200 && d.object != nil)
                let o = d.object ?? [:]
                everything += (o["user"] as? String ?? "") + (o["cobrowsing_url"] as? String ?? "")
                for c in o["cobrowsing_cookies_data"] as? [[String: String]] ?? [] { everything += c.values.joined() }
                for (k, v) in o["custom_data"] as? [String: Any] ?? [:] { everything += k + (v as? String ?? "") }
            }
            for needle in ["\u{1b}]52;c;aGFja2Vk\u{07}", "\u{202e}", "\u{2066}", "\u{9b}", "\u{7f}", "\u{200d}", "\u{fe0f}", "\u{301}", "日本語", "\u{0}"] {
                let scalars = needle.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ")
                // Scalar-wise: a ZWJ inside an emoji is not a Character of its own.
                #expect(containsScalars(everything, needle), "hostile data lacks \(scalars)")
            }
        }
    }
}

/// Substring search on Unicode scalars, not Characters.
func containsScalars(_ haystack: String, _ needle: String) -> Bool {
    let h = Array(haystack.unicodeScalars), n = Array(needle.unicodeScalars)
    guard !n.isEmpty, h.count >= n.count else { return n.isEmpty }
    return (0...(h.count - n.count)).contains { i in h[i..<(i + n.count)].elementsEqual(n) }
}
