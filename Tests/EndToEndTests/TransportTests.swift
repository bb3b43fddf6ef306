import CoClickAPI
import CoClickSimulator
import Foundation
import Testing

/// The real binary's transport: deadlines against a server that never
/// answers, an HTTP proxy from the environment, TLS with SSL_CERT_FILE, and
/// `--all` against a server that clamps the page size without saying so.
@Suite("coclick transport end to end", .serialized)
struct TransportTests {
    let credentials = [
        "COCLICK_SECRET_ID": Simulator.demoCredentials.secretID,
        "COCLICK_SECRET_KEY": Simulator.demoCredentials.secretKey,
    ]

    func withSimulator(_ options: SimulatorOptions = SimulatorOptions(), _ body: (Simulator, URL) async throws -> Void) async throws {
        try await withRunningSimulator(options, body)
    }

    // MARK: Deadlines

    @Test func aServerThatNeverAnswersEndsEveryCommandAtTimeout() async throws {
        let silent = try SilentServer()
        defer { silent.close() }
        var env = credentials
        env["COCLICK_API_URL"] = silent.baseURL
        let create = ["meetings", "create", "--user", "ada@example.com", "--starts-at", "in 2h", "--cobrowsing-url", "https://example.com/"]
        for args in [["auth", "check"], ["meetings", "list"], ["meetings", "list", "--all", "--json"], create] {
            _ = silent.drainConnections()
            let started = Date()
            let r = try await runCoclick(args + ["--timeout", "2"], env: env, timeout: 60)
            let took = Date().timeIntervalSince(started)
            #expect(r.status == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("did not answer in time"), "\(args): \(r.stderr)")
            #expect(took >= 1.9, "\(args) ended after \(took) s, before its --timeout")
            // The whole command, the authentication and every retry included,
            // ends at --timeout: the first attempt used it all, so no retry
            // ever connected (a per-attempt timeout would have made four).
            #expect(silent.drainConnections() == 1, "\(args)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func aCreateWhoseRequestWasNeverSentSaysNotCreated() async throws {
        let silent = try SilentServer()
        defer { silent.close() }
        var env = credentials
        env["COCLICK_API_URL"] = silent.baseURL
        // Authentication never gets an answer, so the POST /meetings is never sent.
        let r = try await runCoclick(["meetings", "create", "--user", "ada@example.com", "--starts-at", "in 2h",
                                      "--cobrowsing-url", "https://example.com/", "--timeout", "1"], env: env, timeout: 30)
        #expect(r.status == 1)
        #expect(r.stderr.contains("the meeting was not created"), "\(r.stderr)")
        #expect(!r.stderr.contains("may have been created"), "\(r.stderr)")
    }

    // MARK: Proxy

    /// The API host as a proxy would reach it: a name that never resolves
    /// (`.test`), which only LoopbackProxy relays (to the simulator on 127.0.0.1).
    static func remoteURL(_ url: URL) -> String { "http://coclick-api.test:\(url.port!)/api/v1" }

    @Test func httpProxyFromTheEnvironmentIsUsedAndNoProxyBypassesIt() async throws {
        let proxy = try LoopbackProxy()
        defer { proxy.stop() }
        try await withSimulator { sim, url in
            var env = credentials
            env["COCLICK_API_URL"] = Self.remoteURL(url)
            let insecure = ["--allow-insecure-http"]
            for name in ["HTTP_PROXY", "http_proxy"] {
                let before = proxy.targets.count
                let requests = sim.requests.count
                var e = env
                e[name] = proxy.url
                let r = try await runCoclick(["meetings", "list", "--json"] + insecure, env: e)
                #expect(r.status == 0, "\(name): \(r.stderr)")
                let seen = proxy.targets.dropFirst(before)
                #expect(!seen.isEmpty, "\(name): nothing went through the proxy")
                #expect(seen.allSatisfy { $0.contains("coclick-api.test:\(url.port!)") }, "\(seen)")
                #expect(sim.requests.count > requests, "the proxy relayed them to the simulator")
            }
            // NO_PROXY names the host: straight to it (which no resolver knows), never the proxy.
            for (name, value) in [("NO_PROXY", "coclick-api.test"), ("no_proxy", "localhost,.test,127.0.0.0/8"), ("NO_PROXY", "*")] {
                let before = proxy.targets.count
                var e = env
                e["HTTP_PROXY"] = proxy.url
                e[name] = value
                let r = try await runCoclick(["meetings", "list", "--json", "--timeout", "10"] + insecure, env: e)
                #expect(r.status == 1, "\(name)=\(value): \(r.stderr)")
                // However this machine's resolver gives up on the name.
                #expect(["host not found", "cannot connect", "did not answer in time"].contains { r.stderr.contains($0) }, "\(name)=\(value): \(r.stderr)")
                #expect(proxy.targets.count == before, "\(name)=\(value) did not bypass the proxy")
            }
            // A proxy that is down is a clear network error, not a hang.
            var e = env
            e["HTTP_PROXY"] = "http://127.0.0.1:1"
            let r = try await runCoclick(["auth", "check", "--timeout", "5"] + insecure, env: e)
            #expect(r.status == 1)
            #expect(r.stderr.contains("proxy"), "\(r.stderr)")
        }
    }

    /// Plain http to loopback is allowed because it never leaves the machine:
    /// a proxy in the environment (and no NO_PROXY) must not carry it off.
    @Test func aLoopbackAPIURLNeverGoesThroughAProxy() async throws {
        let proxy = try LoopbackProxy()
        defer { proxy.stop() }
        try await withSimulator { sim, url in
            for host in ["127.0.0.1", "localhost"] {
                for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY"] {
                    var env = credentials
                    env["COCLICK_API_URL"] = "http://\(host):\(url.port!)/api/v1"
                    env[name] = proxy.url
                    let requests = sim.requests.count
                    let r = try await runCoclick(["auth", "check"], env: env)
                    #expect(r.status == 0, "\(host) with \(name): \(r.stderr)")
                    #expect(sim.requests.count > requests, "\(host) with \(name): the simulator was asked directly")
                }
            }
            #expect(proxy.targets.isEmpty, "went through the proxy: \(proxy.targets)")
        }
    }

    // MARK: TLS

    @Test func tlsWithSSLCertFileConnectsAndWithoutItRefusesClearly() async throws {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try await makeLoopbackCertificate(in: dir)
        var options = SimulatorOptions()
        options.tls = SimulatorTLS(certificateFile: cert, privateKeyFile: key)
        try await withSimulator(options) { sim, url in
            #expect(url.scheme == "https")
            var env = credentials
            env["COCLICK_API_URL"] = url.absoluteString
            env["SSL_CERT_FILE"] = cert
            let ok = try await runCoclick(["auth", "check"], env: env)
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(ok.stdout.contains("Company: Demo Company"))
            let list = try await runCoclick(["meetings", "list", "--json"], env: env)
            #expect(list.status == 0, "\(list.stderr)")

            env["SSL_CERT_FILE"] = nil
            let refused = try await runCoclick(["auth", "check", "--timeout", "10"], env: env)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("certificate is not trusted"), "\(refused.stderr)")
            #expect(refused.stderr.contains("SSL_CERT_FILE"), "\(refused.stderr)")

            env["SSL_CERT_FILE"] = dir.appendingPathComponent("missing.pem").path
            let missing = try await runCoclick(["auth", "check"], env: env)
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("SSL_CERT_FILE"), "\(missing.stderr)")
            _ = sim
        }
    }

    // MARK: Pagination

    @Test func allPagesFromAServerThatClampsThePageSizeSilently() async throws {
        var options = SimulatorOptions(fixture: .count(1000))
        options.maxPerPage = 50
        options.pageHeaders = false
        try await withSimulator(options) { sim, url in
            var env = credentials
            env["COCLICK_API_URL"] = url.absoluteString
            let r = try await runCoclick(["meetings", "list", "--all", "--json"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            #expect(items.count == 1000)
            #expect(Set(items.compactMap { $0["id"] as? String }).count == 1000)
            // 20 pages of 50, then an empty one.
            #expect(sim.requests.filter { $0.method == "GET" && $0.path == "/api/v1/meetings" }.count == 21)
        }
    }

    @Test func aThousandMeetingsInElevenRequests() async throws {
        var options = SimulatorOptions(fixture: .count(1000))
        options.pageHeaders = false
        try await withSimulator(options) { sim, url in
            var env = credentials
            env["COCLICK_API_URL"] = url.absoluteString
            let r = try await runCoclick(["meetings", "list", "--all", "--json"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any])
            #expect(items.count == 1000)
            #expect(sim.requests.filter { $0.method == "GET" && $0.path == "/api/v1/meetings" }.count <= 11)
        }
    }
}
