import CoClickAPI
import CoClickSimulator
import Foundation
import Testing

/// What the CLI says when TLS, a proxy or a rate limit stops it: the cause in
/// its own words, and no retries that can only fail the same way.
@Suite("coclick says what happened", .serialized)
struct FailureWordsTests {
    let credentials = [
        "COCLICK_SECRET_ID": Simulator.demoCredentials.secretID,
        "COCLICK_SECRET_KEY": Simulator.demoCredentials.secretKey,
    ]

    func withTLSSimulator(cert: String, key: String, _ body: (Simulator, URL) async throws -> Void) async throws {
        var options = SimulatorOptions()
        options.tls = SimulatorTLS(certificateFile: cert, privateKeyFile: key)
        try await withRunningSimulator(options, body)
    }

    @Test func anExpiredCertificateSaysExpiredAndIsTriedOnce() async throws {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (ca, cert, key) = try await makeExpiredLoopbackCertificate(in: dir)
        try await withTLSSimulator(cert: cert, key: key) { sim, url in
            let relay = try CountingRelay(to: url.port!)
            defer { relay.stop() }
            var env = credentials
            env["COCLICK_API_URL"] = "https://127.0.0.1:\(relay.port)/api/v1"
            env["SSL_CERT_FILE"] = ca
            let r = try await runCoclick(["auth", "check", "--timeout", "20"], env: env)
            #expect(r.status == 1)
            #expect(r.stderr.contains("certificate has expired"), "\(r.stderr)")
            #expect(!r.stderr.contains("not trusted"), "\(r.stderr)")
            // One try, and one more look at the certificate to say why it
            // was refused; a retried failure would connect four times or more.
            #expect((1...2).contains(relay.connections), "connections: \(relay.connections)")
            #expect(sim.requests.isEmpty)
        }
    }

    @Test func anUntrustedCertificateIsNotRetried() async throws {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cert, key) = try await makeLoopbackCertificate(in: dir)
        try await withTLSSimulator(cert: cert, key: key) { _, url in
            let relay = try CountingRelay(to: url.port!)
            defer { relay.stop() }
            var env = credentials
            env["COCLICK_API_URL"] = "https://127.0.0.1:\(relay.port)/api/v1"
            for args in [["auth", "check"], ["meetings", "list"]] {
                let before = relay.connections
                let r = try await runCoclick(args + ["--timeout", "20"], env: env)
                #expect(r.status == 1)
                #expect(r.stderr.contains("certificate is not trusted"), "\(r.stderr)")
                #expect((1...2).contains(relay.connections - before), "\(args): \(relay.connections - before) connections")
            }
        }
    }

    @Test func aProxyThatWantsCredentialsSaysSo() async throws {
        let proxy = try CannedServer { _ in
            "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        }
        defer { proxy.stop() }
        // https goes by CONNECT; plain http asks the proxy for the URL itself.
        let cases: [(api: String, variable: String, args: [String])] = [
            ("https://coclick-api.test/api/v1", "HTTPS_PROXY", []),
            ("http://coclick-api.test/api/v1", "HTTP_PROXY", ["--allow-insecure-http"]),
        ]
        for c in cases {
            var env = credentials
            env["COCLICK_API_URL"] = c.api
            env[c.variable] = proxy.url
            let before = proxy.connections
            let r = try await runCoclick(["auth", "check", "--timeout", "20"] + c.args, env: env)
            #expect(r.status == 1, "\(c.api): \(r.stderr)")
            #expect(r.stderr.contains("the proxy 127.0.0.1:\(proxy.port) wants credentials (407"), "\(c.api): \(r.stderr)")
            #expect(r.stderr.contains("user:password@"), "\(r.stderr)")
            #expect(proxy.connections - before == 1, "\(c.api): asked \(proxy.connections - before) times")

            env[c.variable] = "http://someone:wrong@127.0.0.1:\(proxy.port)"
            let refused = try await runCoclick(["auth", "check", "--timeout", "20"] + c.args, env: env)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("refused the user and password in the proxy URL"), "\(refused.stderr)")
            #expect(!refused.stderr.contains("wrong"), "\(refused.stderr)")
        }
    }

    @Test func aProxyThatNeverAnswersIsNamed() async throws {
        let silent = try SilentServer()
        defer { silent.close() }
        var env = credentials
        env["COCLICK_API_URL"] = "https://coclick-api.test/api/v1"
        env["HTTPS_PROXY"] = "http://127.0.0.1:\(silent.port)"
        let r = try await runCoclick(["auth", "check", "--timeout", "2"], env: env, timeout: 60)
        #expect(r.status == 1)
        #expect(r.stderr.contains("the proxy 127.0.0.1:\(silent.port) did not answer"), "\(r.stderr)")
        #expect(!r.stderr.contains("the API did not answer"), "\(r.stderr)")
    }

    @Test func aRateLimitSaysHowLongTheAPIAsksToWait() async throws {
        let inAnHour = Date().addingTimeInterval(3600 + 30)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: inAnHour)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let httpDate = String(format: "%@, %02d %@ %04d %02d:%02d:%02d GMT", days[c.weekday! - 1], c.day!, months[c.month! - 1], c.year!, c.hour!, c.minute!, c.second!)
        for (retryAfter, words) in [("120", "asks to wait 2m before trying again"), (httpDate, "asks to wait 1h 1m before trying again")] {
            let server = try CannedServer { _ in
                "HTTP/1.1 429 Too Many Requests\r\nRetry-After: \(retryAfter)\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
            }
            defer { server.stop() }
            var env = credentials
            env["COCLICK_API_URL"] = server.url + "/api/v1"
            let r = try await runCoclick(["auth", "check", "--timeout", "20"], env: env)
            #expect(r.status == 1)
            #expect(r.stderr.contains("limiting requests (429)"), "\(r.stderr)")
            #expect(r.stderr.contains(words), "\(retryAfter): \(r.stderr)")
            // Asked to wait, it does not ask again at once.
            #expect(server.requestLines.count == 1, "\(server.requestLines)")
        }
    }
}
