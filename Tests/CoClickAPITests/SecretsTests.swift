import CoClickAPI
import CoClickSimulator
import Foundation
import Logging
import Testing

/// The secret key never shows up in a description, a dump, an error or a log line.
@Suite struct SecretsTests {
    let key = "sk-4f1c9e-very-secret"

    @Test func credentialsNeverPrintTheKey() {
        let creds = Credentials(secretID: "id-123", secretKey: key)
        var dumped = ""
        dump(creds, to: &dumped)
        let config = ClientConfiguration(baseURL: URL(string: "https://example.com/api/v1")!, credentials: creds)
        var dumpedConfig = ""
        dump(config, to: &dumpedConfig)
        for text in ["\(creds)", String(reflecting: creds), dumped, "\(config)", String(reflecting: config), dumpedConfig] {
            #expect(!text.contains(key), "leaked in: \(text)")
        }
        #expect("\(creds)".contains("id-123"))
    }

    /// Collects log lines in memory.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
    }

    struct Capture: LogHandler {
        let lines: Lines
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.add("\(event.level) \(event.message) \(event.metadata ?? [:])")
        }
    }

    @Test func requestsAreLoggedWithoutSecretsOrTokens() async throws {
        let sim = Simulator(options: SimulatorOptions(credentials: Credentials(secretID: "id-123", secretKey: key)))
        let url = try await sim.start()
        let lines = Lines()
        let logger = Logger(label: "test") { _ in Capture(lines: lines) }
        let client = CoClickClient(configuration: ClientConfiguration(
            baseURL: url, credentials: Credentials(secretID: "id-123", secretKey: key),
            retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.01), logger: logger))
        let session = try await client.authenticate()
        _ = try await client.meetings(MeetingQuery())
        sim.failNextRequests(1)
        _ = try await client.meetings(MeetingQuery())
        await sim.stop()
        let text = lines.all
        #expect(text.contains("POST /authenticate"))
        #expect(text.contains("GET /meetings"))
        #expect(text.contains("retrying"))
        #expect(!text.contains(key))
        #expect(!text.contains(session.token))
        #expect(!text.lowercased().contains("bearer"))
    }

    @Test func errorsNeverCarryTheKey() async throws {
        let sim = Simulator()
        let url = try await sim.start()
        let client = CoClickClient(configuration: ClientConfiguration(
            baseURL: url, credentials: Credentials(secretID: "demo-secret-id", secretKey: key), retry: .none))
        await #expect(throws: APIError.unauthorized) { try await client.meetings(MeetingQuery()) }
        do {
            _ = try await client.authenticate()
        } catch {
            #expect(!"\(error)".contains(key))
            #expect(!String(reflecting: error).contains(key))
        }
        await sim.stop()
    }

    @Test func plainHTTPOnlyToLoopback() throws {
        #expect(throws: APIError.self) { try APIEndpoint.baseURL("http://api.example.com/v1") }
        #expect(try APIEndpoint.baseURL("http://api.example.com/v1", allowInsecureHTTP: true).host == "api.example.com")
        for ok in ["http://127.0.0.1:8080/api/v1", "http://localhost/api", "http://[::1]:9/api", "https://www.coclick.io/api/v1"] {
            #expect(throws: Never.self) { try APIEndpoint.baseURL(ok) }
        }
        #expect(throws: APIError.self) { try APIEndpoint.baseURL("ftp://www.coclick.io") }
        #expect(throws: APIError.self) { try APIEndpoint.baseURL("not a url") }
    }

    /// Only a literal loopback address is exempt from TLS: a name resolves
    /// wherever its owner wants, whatever it starts with.
    @Test func onlyLiteralLoopbackAddressesAreLoopback() throws {
        for host in ["127.0.0.1", "127.1.2.3", "127.255.255.255", "localhost", "LOCALHOST", "::1", "[::1]",
                     "0:0:0:0:0:0:0:1", "[0000::0001]", "::ffff:127.0.0.1", "[::ffff:127.9.8.7]"] {
            #expect(APIEndpoint.isLoopback(host), "\(host)")
        }
        for host in ["127.attacker.example", "127.0.0.1.attacker.example", "localhost.evil.com", "127.0.0.1.",
                     "127.0.0.256", "127.1", "0x7f.0.0.1", "127.0.0.01x", "128.0.0.1", "10.0.0.1", "::2", "::",
                     "::ffff:10.0.0.1", "::1%lo", "localhost.", "", "127"] {
            #expect(!APIEndpoint.isLoopback(host), "\(host)")
        }
        for url in ["http://127.attacker.example/api/v1", "http://127.0.0.1.attacker.example:8080/api/v1",
                    "http://localhost.evil.com/api/v1", "http://127.1/api/v1"] {
            #expect(throws: APIError.self, "\(url)") { try APIEndpoint.baseURL(url) }
        }
        for url in ["http://127.8.9.10:1/api/v1", "http://[0:0:0:0:0:0:0:1]:9/api/v1"] {
            #expect(throws: Never.self) { try APIEndpoint.baseURL(url) }
        }
    }

    @Test func aPasswordInAURLIsMaskedInMessages() {
        #expect(APIEndpoint.redacted("http://ops:hunter2@api.example.com:8/api/v1") == "http://***@api.example.com:8/api/v1")
        #expect(APIEndpoint.redacted("user:p@ss@proxy:3128") == "***@proxy:3128")
        // An @ in the path is not a password.
        #expect(APIEndpoint.redacted("https://api.example.com/v1/@me") == "https://api.example.com/v1/@me")
        #expect(APIEndpoint.redacted("https://www.coclick.io/api/v1") == "https://www.coclick.io/api/v1")
        do {
            _ = try APIEndpoint.baseURL("gopher://ops:hunter2@api.example.com/")
            Issue.record("accepted")
        } catch {
            #expect(!"\(error)".contains("hunter2"), "\(error)")
        }
    }
}
