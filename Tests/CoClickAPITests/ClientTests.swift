import CoClickAPI
import CoClickSimulator
import Foundation
import Testing

/// Runs `body` with a fresh simulator on 127.0.0.1 (free port) and a client for it.
func withClient<T>(
    _ options: SimulatorOptions = SimulatorOptions(),
    credentials: Credentials = Simulator.demoCredentials,
    timeout: TimeInterval = 5,
    retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05),
    clientNow: @escaping @Sendable () -> Date = { Date() },
    _ body: (CoClickClient, Simulator) async throws -> T
) async throws -> T {
    let sim = Simulator(options: options)
    let url = try await sim.start()
    let client = CoClickClient(
        configuration: ClientConfiguration(baseURL: url, credentials: credentials, requestTimeout: timeout, retry: retry),
        now: clientNow
    )
    do {
        let result = try await body(client, sim)
        await sim.stop()
        return result
    } catch {
        await sim.stop()
        throw error
    }
}

extension Simulator {
    func count(_ method: String, _ path: String) -> Int {
        requests.filter { $0.method == method && $0.path == "/api/v1/" + path }.count
    }
}

/// Asserts `body` throws exactly `expected`.
func expectAPIError(_ expected: APIError, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected \(expected), but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as APIError {
        #expect(error == expected, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct ClientEndpointTests {
    @Test func authenticateGivesCompanyAndExpiry() async throws {
        try await withClient(SimulatorOptions(company: "Acme Corp", tokenTTL: 600)) { client, _ in
            let before = Date()
            let session = try await client.authenticate()
            #expect(session.company == "Acme Corp")
            #expect(!session.token.isEmpty)
            #expect(session.expiresAt.date.timeIntervalSince(before) > 590 && session.expiresAt.date.timeIntervalSince(before) < 610)
            #expect(await client.company == "Acme Corp")
        }
    }

    @Test func listDetailAndCreate() async throws {
        try await withClient { client, sim in
            let page = try await client.meetings(MeetingQuery())
            #expect(page.meetings.count == 20 && page.total == sim.meetings.count && page.hasMore)
            let first = try #require(page.meetings.first)
            let detail = try await client.meeting(id: first.id)
            #expect(detail.isDetail && detail.id == first.id && detail.user == first.user && detail.startsAt == first.startsAt)
            #expect(detail == sim.meetings.first { $0.id == first.id })

            let starts = try #require(APIDate.parse("2031-01-02T09:30:00.000+01:00"))
            let created = try await client.createMeeting(NewMeeting(
                user: "ada@example.com", startsAt: starts, cobrowsingURL: "https://shop.example.com/",
                cookies: [Cookie(domain: ".example.com", name: "sid", value: "v a=l;ue")],
                customData: ["deal": .int(42), "nested": .object(["ok": .bool(true)])],
                presenterWaitingRoomIframeURL: "https://www.youtube.com/embed/dQw4w9WgXcQ"
            ))
            #expect(created.isDetail && created.id.count == 64 && created.status == .scheduled)
            #expect(created.startsAt == starts && created.startsAt?.offsetSeconds == 3600)
            #expect(created.cookies == [Cookie(domain: ".example.com", name: "sid", value: "v a=l;ue")])
            #expect(created.customData == .object(["deal": .int(42), "nested": .object(["ok": .bool(true)])]))
            #expect(created.prospectWaitingRoomIframeURL == nil)
            #expect(try await client.meeting(id: created.id) == created)
            #expect(sim.count("POST", "meetings") == 1)
        }
    }

    @Test func unknownMeetingIsNotFound() async throws {
        try await withClient { client, _ in
            let id = String(repeating: "f", count: 64)
            await expectAPIError(.notFound("no meeting with id \(id)")) { _ = try await client.meeting(id: id) }
        }
    }

    @Test func wrongCredentialsAreUnauthorized() async throws {
        try await withClient(credentials: Credentials(secretID: "demo-secret-id", secretKey: "wrong")) { client, sim in
            await expectAPIError(.unauthorized) { try await client.authenticate() }
            await expectAPIError(.unauthorized) { _ = try await client.meetings(MeetingQuery()) }
            #expect(sim.count("GET", "meetings") == 0)
        }
    }

    @Test func validationErrorsPerField() async throws {
        try await withClient { client, sim in
            let starts = APIDate(date: Date().addingTimeInterval(3600))
            do {
                _ = try await client.createMeeting(NewMeeting(user: "", startsAt: starts, cobrowsingURL: ""))
                Issue.record("create should fail")
            } catch APIError.validation(let errors) {
                #expect(errors.fields == [
                    "user": ["User must exist"],
                    "cobrowsing_url": ["Please specify a cobrowsing URL", "Cobrowsing URL is not valid"],
                ])
            }
            do {
                _ = try await client.createMeeting(NewMeeting(
                    user: "stranger@elsewhere.org", startsAt: starts, cobrowsingURL: "ftp://files.example.com",
                    cookies: [Cookie(domain: "d", name: "n", value: "v")], prospectWaitingRoomIframeURL: "not a url"))
                Issue.record("create should fail")
            } catch APIError.validation(let errors) {
                #expect(errors.fields == [
                    "user": ["User must exist"],
                    "cobrowsing_url": ["Cobrowsing URL is not valid"],
                    "prospect_waiting_room_iframe_url": ["Prospect waiting room iframe URL is not valid"],
                ])
            }
            #expect(sim.meetings.count == 25)
        }
    }
}

@Suite struct ClientPaginationAndFilterTests {
    @Test func emptyList() async throws {
        try await withClient(SimulatorOptions(fixture: .empty)) { client, sim throws in
            #expect(try await client.allMeetings(MeetingQuery()).isEmpty)
            #expect(sim.count("GET", "meetings") == 1)
        }
    }

    @Test func exactMultipleOfThePageSize() async throws {
        try await withClient(SimulatorOptions(fixture: .count(40))) { client, sim in
            let all = try await client.allMeetings(MeetingQuery(per: 20))
            #expect(all.count == 40 && Set(all.map(\.id)).count == 40)
            // Headers are not trusted to say when to stop (the API documents
            // none): the empty third page does.
            #expect(sim.count("GET", "meetings") == 3)
        }
    }

    @Test func lastShortPage() async throws {
        try await withClient(SimulatorOptions(fixture: .count(45))) { client, sim in
            let all = try await client.allMeetings(MeetingQuery(per: 20))
            #expect(all.count == 45 && Set(all.map(\.id)).count == 45)
            #expect(sim.count("GET", "meetings") == 3)
            let last = try await client.meetings(MeetingQuery(page: 3, per: 20))
            #expect(last.meetings.count == 5 && !last.hasMore && last.total == 45)
        }
    }

    @Test func pageSizeClampedByTheServer() async throws {
        try await withClient(SimulatorOptions(fixture: .count(150))) { client, _ in
            let first = try await client.meetings(MeetingQuery(per: 500))
            #expect(first.meetings.count == 100 && first.per == 100 && first.hasMore)
            #expect(try await client.allMeetings(MeetingQuery(per: 500)).count == 150)
        }
    }

    @Test func filters() async throws {
        try await withClient { client, sim in
            let hugh = try await client.allMeetings(MeetingQuery(userEmailContains: "Hugh"))
            #expect(!hugh.isEmpty && hugh.allSatisfy { $0.user?.lowercased().contains("hugh") == true })
            #expect(hugh.count == sim.meetings.filter { $0.user?.contains("hugh") == true }.count)

            let sales = try await client.allMeetings(MeetingQuery(userEmailContains: "hugh+sales"))
            #expect(!sales.isEmpty && sales.allSatisfy { $0.user == "hugh+sales@example.com" })

            let closed = try await client.allMeetings(MeetingQuery(statuses: [.closed]))
            #expect(!closed.isEmpty && closed.allSatisfy { $0.status == .closed })

            let either = try await client.allMeetings(MeetingQuery(statuses: [.inProgress, .cancelled]))
            #expect(Set(either.map(\.status)) == [.inProgress, .cancelled])
            #expect(either.count == sim.meetings.filter { [.inProgress, .cancelled].contains($0.status) }.count)

            let now = Date()
            let window = try await client.allMeetings(MeetingQuery(startsFrom: now, startsTo: now.addingTimeInterval(86_400)))
            #expect(!window.isEmpty)
            #expect(window.allSatisfy { ($0.startsAt?.date).map { $0 >= now && $0 <= now + 86_400 } == true })
            let later = try await client.allMeetings(MeetingQuery(startsFrom: now.addingTimeInterval(86_400 * 2)))
            #expect(later.allSatisfy { ($0.startsAt?.date ?? .distantPast) >= now + 86_400 * 2 })
            let earlier = try await client.allMeetings(MeetingQuery(startsTo: now))
            #expect(!earlier.isEmpty && earlier.allSatisfy { ($0.startsAt?.date ?? .distantFuture) <= now })

            let desc = try await client.allMeetings(MeetingQuery(sort: "starts_at desc")).compactMap { $0.startsAt?.date }
            #expect(desc.count == sim.meetings.count && desc == desc.sorted(by: >))
            let byUser = try await client.allMeetings(MeetingQuery(sort: "user asc")).compactMap { $0.user?.lowercased() }
            #expect(byUser == byUser.sorted())
        }
    }
}

@Suite struct ClientTokenTests {
    @Test func shortLivedTokensAreRenewedTransparently() async throws {
        try await withClient(SimulatorOptions(tokenTTL: 2)) { client, sim in
            _ = try await client.meetings(MeetingQuery())
            try await Task.sleep(nanoseconds: 2_300_000_000)
            _ = try await client.meetings(MeetingQuery())
            #expect(sim.count("POST", "authenticate") >= 2)
        }
    }

    /// A client whose clock runs behind believes its token is fresh; the
    /// server says 401 after the TTL, and the client re-authenticates once.
    @Test func tokenExpiringMidSessionIsRenewedAfter401() async throws {
        // Six seconds: the first two requests must fall inside it even when every suite runs at once on two cores.
        try await withClient(SimulatorOptions(tokenTTL: 6), clientNow: { Date().addingTimeInterval(-3600) }) { client, sim in
            _ = try await client.meetings(MeetingQuery())
            _ = try await client.meetings(MeetingQuery())
            #expect(sim.count("POST", "authenticate") == 1)
            try await Task.sleep(nanoseconds: 6_300_000_000)
            let page = try await client.meetings(MeetingQuery())
            #expect(!page.meetings.isEmpty)
            #expect(sim.count("POST", "authenticate") == 2)
            #expect(sim.count("GET", "meetings") == 4)
        }
    }

    @Test func revokedTokenGetsOneReauthentication() async throws {
        try await withClient { client, sim in
            _ = try await client.meetings(MeetingQuery())
            sim.revokeTokens()
            let id = try #require(sim.meetings.first?.id)
            #expect(try await client.meeting(id: id).id == id)
            #expect(sim.count("POST", "authenticate") == 2)
            // A create after a revocation is re-sent once with a fresh token: the 401 means it was never accepted.
            sim.revokeTokens()
            _ = try await client.createMeeting(NewMeeting(user: "ada@example.com", startsAt: APIDate(date: Date()), cobrowsingURL: "https://example.com"))
            #expect(sim.count("POST", "meetings") == 2)
            #expect(sim.meetings.count == 26)
        }
    }
}

@Suite struct ClientFaultTests {
    @Test func getIsRetriedAfter500() async throws {
        try await withClient { client, sim in
            try await client.authenticate()
            sim.failNextRequests(2)
            let page = try await client.meetings(MeetingQuery())
            #expect(!page.meetings.isEmpty)
            #expect(sim.count("GET", "meetings") == 3)
        }
    }

    @Test func getGivesUpAfterTheRetryBudget() async throws {
        try await withClient { client, sim in
            try await client.authenticate()
            sim.setFailureRate(1)
            await expectAPIError(.server(status: 500)) { _ = try await client.meetings(MeetingQuery()) }
            #expect(sim.count("GET", "meetings") == 3)
        }
    }

    @Test func postIsNotRetried() async throws {
        try await withClient { client, sim in
            try await client.authenticate()
            sim.failNextRequests(1)
            await expectAPIError(.server(status: 500)) {
                _ = try await client.createMeeting(NewMeeting(user: "ada@example.com", startsAt: APIDate(date: Date()), cobrowsingURL: "https://example.com"))
            }
            #expect(sim.count("POST", "meetings") == 1)
            #expect(sim.meetings.count == 25)
        }
    }

    @Test func maintenance() async throws {
        try await withClient { client, sim throws in
            sim.setMaintenance(true)
            await expectAPIError(.maintenance) { _ = try await client.meetings(MeetingQuery()) }
            sim.setMaintenance(false)
            #expect(try await client.meetings(MeetingQuery()).meetings.count == 20)
        }
    }

    @Test func garbageBodyIsAnInvalidResponse() async throws {
        try await withClient(retry: .none) { client, sim in
            try await client.authenticate()
            sim.setGarbage(true)
            do {
                _ = try await client.meetings(MeetingQuery())
                Issue.record("garbage should not decode")
            } catch APIError.invalidResponse(let detail) {
                #expect(detail.contains("not JSON"))
            }
        }
    }

    @Test func hangingServerTimesOut() async throws {
        try await withClient(timeout: 1, retry: .none) { client, sim in
            try await client.authenticate()
            sim.setHang(true)
            let started = Date()
            await expectAPIError(.timeout) { _ = try await client.meetings(MeetingQuery()) }
            #expect(Date().timeIntervalSince(started) < 15)
        }
    }

    @Test func closedPortIsOffline() async throws {
        // A port bound but never listened on refuses connections, and stays ours
        // while we hold it: a stopped server's port could be taken by another test.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let client = CoClickClient(configuration: ClientConfiguration(
            baseURL: URL(string: "http://127.0.0.1:\(port)/api/v1")!, credentials: Simulator.demoCredentials,
            // A refusal comes at once; the long limit only keeps a busy machine (every suite at
            // once on two cores) from turning it into a timeout.
            requestTimeout: 60, retry: .none))
        await expectAPIError(.offline("connection refused")) { try await client.authenticate() }
    }
}

@Suite struct ClientDeadlineTests {
    func newMeeting() -> NewMeeting {
        NewMeeting(user: "ada@example.com", startsAt: APIDate(date: Date().addingTimeInterval(7200)), cobrowsingURL: "https://example.com")
    }

    @Test func theDeadlineBoundsEveryAttemptAndTheAuthentication() async throws {
        try await withClient(SimulatorOptions(faults: SimulatorFaults(hang: true))) { _, sim in
            let url = try #require(sim.baseURL)
            let client = CoClickClient(configuration: ClientConfiguration(
                baseURL: url, credentials: Simulator.demoCredentials, requestTimeout: 20,
                deadline: ContinuousClock.now.advanced(by: .seconds(1)),
                retry: RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05)
            ))
            let started = ContinuousClock.now
            await expectAPIError(.timeout) { _ = try await client.meetings(MeetingQuery()) }
            #expect(started.duration(to: .now) < .seconds(4))
            // Past the deadline nothing more is sent.
            let sent = sim.requests.count
            await expectAPIError(.timeout) { _ = try await client.allMeetings(MeetingQuery()) }
            #expect(sim.requests.count == sent)
            sim.setHang(false)
        }
    }

    @Test func aCreateThatWasSentAndNeverAnsweredIsUnconfirmed() async throws {
        try await withClient(timeout: 1, retry: .none) { client, sim in
            try await client.authenticate()
            sim.setHang(true)
            await expectAPIError(.unconfirmed(.timeout)) { _ = try await client.createMeeting(newMeeting()) }
            sim.setHang(false)
        }
    }

    @Test func aCreateThatNeverLeftIsNotCreated() async throws {
        // Authentication hangs: the POST /meetings is never sent.
        try await withClient(SimulatorOptions(faults: SimulatorFaults(hang: true)), timeout: 1, retry: .none) { client, sim in
            do {
                _ = try await client.createMeeting(newMeeting())
                Issue.record("the create should fail")
            } catch let error as APIError {
                #expect(error == .timeout)
                #expect(!error.mayHaveBeenCarriedOut)
            }
            #expect(sim.count("POST", "meetings") == 0)
            sim.setHang(false)
        }
    }

    @Test func aGarbledAnswerToACreateIsUnconfirmed() async throws {
        try await withClient(retry: .none) { client, sim in
            try await client.authenticate()
            sim.setGarbage(true)
            do {
                _ = try await client.createMeeting(newMeeting())
                Issue.record("garbage should not decode")
            } catch let error as APIError {
                #expect(error.mayHaveBeenCarriedOut)
                guard case .invalidResponse = error.underlying else { Issue.record("\(error)"); return }
            }
        }
    }

    @Test func aThousandMeetingsInElevenRequestsWithoutPageHeaders() async throws {
        var options = SimulatorOptions(fixture: .count(1000))
        options.pageHeaders = false
        try await withClient(options) { client, sim in
            let pages = try await client.allPages(MeetingQuery(per: 100))
            #expect(pages.flatMap(\.meetings).count == 1000)
            #expect(sim.count("GET", "meetings") == 11)
            #expect(pages.allSatisfy { !$0.body.isEmpty })
        }
    }

    @Test func aSilentlyClampedPageSizeStillGetsEveryMeeting() async throws {
        var options = SimulatorOptions(fixture: .count(130))
        options.maxPerPage = 50
        options.pageHeaders = false
        try await withClient(options) { client, sim in
            let all = try await client.allMeetings(MeetingQuery(per: 100))
            #expect(all.count == 130 && Set(all.map(\.id)).count == 130)
            #expect(sim.count("GET", "meetings") == 3)
        }
    }
}

@Suite struct NetworkEnvironmentTests {
    @Test func proxiesByScheme() throws {
        let env = NetworkEnvironment(environment: [
            "https_proxy": "http://user:p%40ss@proxy.corp:3128", "HTTP_PROXY": "proxy.corp", "NO_PROXY": "internal.corp, .local,10.0.0.0/8",
        ])
        let https = try #require(try env.proxy(scheme: "https", host: "www.coclick.io"))
        #expect(https == ProxyServer(host: "proxy.corp", port: 3128, username: "user", password: "p@ss"))
        #expect(try env.proxy(scheme: "http", host: "example.com") == ProxyServer(host: "proxy.corp", port: 1080))
        #expect(try env.proxy(scheme: "https", host: "api.internal.corp") == nil)
        #expect(try env.proxy(scheme: "https", host: "internal.corp") == nil)
        #expect(try env.proxy(scheme: "https", host: "printer.local") == nil)
        #expect(try env.proxy(scheme: "https", host: "10.1.2.3") == nil)
        #expect(try env.proxy(scheme: "https", host: "11.1.2.3") != nil)
        #expect(try env.proxy(scheme: "https", host: "notinternal.corp") != nil)
    }

    /// Plain http is allowed to loopback because it stays on this machine: a proxy would carry it off.
    @Test func loopbackNeverGoesThroughAProxy() throws {
        let env = NetworkEnvironment(environment: ["HTTP_PROXY": "http://proxy.corp:3128", "HTTPS_PROXY": "http://proxy.corp:3128"])
        for host in ["127.0.0.1", "127.3.2.1", "localhost", "::1", "[::1]"] {
            #expect(try env.proxy(scheme: "http", host: host) == nil, "\(host)")
            #expect(try env.proxy(scheme: "https", host: host) == nil, "\(host)")
        }
        for host in ["127.attacker.example", "localhost.evil.com", "www.coclick.io"] {
            #expect(try env.proxy(scheme: "http", host: host) != nil, "\(host)")
        }
    }

    @Test func lowerCaseWinsAndAllProxyIsTheFallback() throws {
        let env = NetworkEnvironment(environment: ["http_proxy": "http://a:1", "HTTP_PROXY": "http://b:2", "ALL_PROXY": "socks5://c:3"])
        #expect(try env.proxy(scheme: "http", host: "x")?.host == "a")
        #expect(try env.proxy(scheme: "https", host: "x") == ProxyServer(kind: .socks5, host: "c", port: 3))
        #expect(try NetworkEnvironment(environment: ["no_proxy": "*", "HTTPS_PROXY": "p:1"]).proxy(scheme: "https", host: "x") == nil)
        #expect(try NetworkEnvironment(environment: [:]).proxy(scheme: "https", host: "x") == nil)
    }

    @Test func badProxiesAreConfigurationErrorsWithoutThePassword() {
        for text in ["ftp://proxy:21", "http://proxy:99999", "http://:8080"] {
            #expect(throws: APIError.self) { try ProxyServer(text) }
        }
        do {
            _ = try ProxyServer("ftp://me:secret@proxy:21")
        } catch let e as APIError {
            #expect(!e.description.contains("secret"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
