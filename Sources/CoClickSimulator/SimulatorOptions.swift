import CoClickAPI
import Foundation

/// Faults the simulator injects into API requests (not into `/_simulator/*`
/// admin requests). Settable at start and changeable at runtime, in process
/// (`Simulator.setFaults`) or over HTTP (`POST /_simulator/faults`).
///
/// Applied in this order to each API request: latency, hang, maintenance,
/// fail-next, failure rate, garbage.
public struct SimulatorFaults: Sendable, Hashable {
    /// Delay before every API answer, in milliseconds.
    public var latencyMilliseconds: Int
    /// Share of API requests (0...1) answered `500`.
    public var failureRate: Double
    /// Every API request is answered `503`.
    public var maintenance: Bool
    /// Every API request is answered `200` with a body that is not JSON.
    public var garbage: Bool
    /// Every API request is accepted and never answered (until the hang is
    /// lifted, when it proceeds, or the simulator stops).
    public var hang: Bool
    /// The next N API requests are answered `500`, then this counts down to 0:
    /// deterministic failures for retry tests.
    public var failNext: Int

    public init(latencyMilliseconds: Int = 0, failureRate: Double = 0, maintenance: Bool = false,
                garbage: Bool = false, hang: Bool = false, failNext: Int = 0) {
        self.latencyMilliseconds = min(Self.maxLatencyMilliseconds, max(0, latencyMilliseconds))
        self.failureRate = min(1, max(0, failureRate))
        self.maintenance = maintenance
        self.garbage = garbage
        self.hang = hang
        self.failNext = min(Self.maxFailNext, max(0, failNext))
    }

    /// Ten minutes: longer than any client waits, short enough to compute with.
    public static let maxLatencyMilliseconds = 600_000
    public static let maxFailNext = 1_000_000

    /// No faults.
    public static let none = SimulatorFaults()

}

/// The names of `/_simulator/faults` (`GET` answers all of them, `POST`
/// changes the settable ones).
enum AdminField: String, CaseIterable, CodingKey {
    case latencyMilliseconds = "latency_ms"
    case failureRate = "failure_rate"
    case maintenance, garbage, hang
    case failNext = "fail_next"
    case tokenTTL = "token_ttl"
    /// How many meetings are stored (read only).
    case meetings

    static let settable = allCases.filter { $0 != .meetings }
}

/// How a `Simulator` starts.
public struct SimulatorOptions: Sendable {
    /// Address to bind; `127.0.0.1` unless you mean to expose it.
    public var host: String
    /// TCP port; `0` picks a free one (read it from `Simulator.baseURL`).
    public var port: Int
    /// The only API key `POST /authenticate` accepts.
    public var credentials: Credentials
    /// The `company` returned by `POST /authenticate`.
    public var company: String
    /// Lifetime of a bearer token, in seconds (at most `maxTokenTTL`).
    public var tokenTTL: TimeInterval
    /// Ten years: an expiry any calendar can still write.
    public static let maxTokenTTL: TimeInterval = 10 * 366 * 86400
    /// Faults injected from the first request on.
    public var faults: SimulatorFaults
    /// The meetings the simulator starts with.
    public var fixture: SimulatorFixture
    /// The clock: seed data, statuses and token expiry all read it. Tests inject one.
    public var now: @Sendable () -> Date
    /// Called once for every request received (API and admin), e.g. to print an access log.
    public var onRequest: (@Sendable (SimulatorRequest) -> Void)?
    /// Answer like a server that has grown since the docs (see `GrownServer`):
    /// unknown fields, `Z` dates, big integers in custom data, an unknown
    /// status, a silently clamped page size.
    public var grown = false
    /// The largest page `GET /meetings` serves: a larger `X-Per` is clamped to it.
    public var maxPerPage = 100
    /// Whether list answers carry `X-Total`, `X-Page` and `X-Per`. The
    /// documentation promises none, so a client must not need them: turn
    /// them off to serve like a server that clamps `X-Per` silently.
    public var pageHeaders = true
    /// Serve HTTPS with this certificate and key (PEM files) instead of HTTP.
    public var tls: SimulatorTLS?
    /// Seconds a connection may stay idle, or half-sent, before it is closed.
    /// Longer than the client's own 60 s pool timeout, so the server never
    /// closes a connection the client is about to reuse.
    public var idleTimeout: TimeInterval = 75
    /// Open connections at most; past it a new connection is closed at once.
    public var maxConnections = 512
    /// Stored meetings at most; creating one more forgets the oldest created.
    public var maxMeetings = 5_000

    public init(
        host: String = "127.0.0.1", port: Int = 0, credentials: Credentials = Simulator.demoCredentials,
        company: String = "Demo Company", tokenTTL: TimeInterval = 3600, faults: SimulatorFaults = .none,
        fixture: SimulatorFixture = .standard, now: @escaping @Sendable () -> Date = { Date() },
        onRequest: (@Sendable (SimulatorRequest) -> Void)? = nil
    ) {
        self.host = host
        self.port = port
        self.credentials = credentials
        self.company = company
        self.tokenTTL = tokenTTL
        self.faults = faults
        self.fixture = fixture
        self.now = now
        self.onRequest = onRequest
    }

    // Flat accessors for the individual faults.
    public var latencyMilliseconds: Int { get { faults.latencyMilliseconds } set { faults.latencyMilliseconds = min(SimulatorFaults.maxLatencyMilliseconds, max(0, newValue)) } }
    public var failureRate: Double { get { faults.failureRate } set { faults.failureRate = min(1, max(0, newValue)) } }
    public var maintenance: Bool { get { faults.maintenance } set { faults.maintenance = newValue } }
    public var garbage: Bool { get { faults.garbage } set { faults.garbage = newValue } }
    public var hang: Bool { get { faults.hang } set { faults.hang = newValue } }
}

/// One request the simulator received, as recorded for tests and logs.
public struct SimulatorRequest: Sendable, Hashable {
    public var method: String
    /// The path, percent-decoded, without the query.
    public var path: String
    /// The raw query string, "" when there is none.
    public var query: String
    public var receivedAt: Date

    public init(method: String, path: String, query: String, receivedAt: Date) {
        self.method = method
        self.path = path
        self.query = query
        self.receivedAt = receivedAt
    }
}

/// A certificate chain and its private key, as PEM files, for an HTTPS simulator.
public struct SimulatorTLS: Sendable, Hashable {
    public var certificateFile: String
    public var privateKeyFile: String

    public init(certificateFile: String, privateKeyFile: String) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
    }
}
