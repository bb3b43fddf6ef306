import CoClickAPI
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
// Part of Hummingbird's own dependency graph; needed to stop the server
// gracefully (cancelling it instead can drop accepted connections and trap in
// NIOAsyncWriter's deinit).
import ServiceLifecycle

/// The CoClick API, simulated in memory over real HTTP (Hummingbird 2's
/// router: `SimulatorRoutes`; the state and its rules: `SimulatorCore`).
///
/// Serves under `/api/v1`: `POST /authenticate`, `GET /meetings` (`X-Page` /
/// `X-Per` headers, `q[...]` filters and sort), `GET /meetings/<id>` and
/// `POST /meetings` with the documented validation errors (every refusal of
/// a create, a body that is not JSON included, in the documented shape). Room URLs point at
/// the simulator itself (`http://127.0.0.1:PORT/essai/room/<token>` and
/// `/essai/presenter/<token>`), which serves a small page there.
///
/// Whatever a client sends, it answers: a known path asked with another
/// method gets 405 and `Allow`, a body over 1 MiB 413 (at once when
/// `Content-Length` says so, and the connection is closed), pagination
/// headers past any limit an empty page (or 400 when they are not integers),
/// HTTP/1.0 an HTTP/1.0 answer and a closed connection.
///
/// It stays up whatever clients do: a connection idle or half-sent for
/// `SimulatorOptions.idleTimeout` is closed, past `maxConnections` a new
/// connection is closed at once, at most `maxMeetings` meetings are kept
/// (creating one more forgets the oldest created) and `custom_data` is at
/// most `MeetingValidation.maxCustomDataBytes` (16 KiB).
/// `docs/openapi.yaml` describes the API; `scripts/api-fuzz` checks the
/// simulator against it.
///
/// Admin endpoints (no auth, never fault-injected; bind to loopback):
/// - `GET /_simulator` or `GET /_simulator/faults`: current faults, token TTL and meeting count
/// - `POST /_simulator/faults` with a partial JSON object, e.g.
///   `{"maintenance": true, "failure_rate": 0.2, "latency_ms": 300, "garbage": false, "hang": false, "fail_next": 2, "token_ttl": 5}`
/// - `POST /_simulator/reset`: faults, token TTL and meetings back to the start options
/// - `POST /_simulator/revoke_tokens`: every issued token becomes unknown (401)
///
/// Every control is also a method here, callable from any thread. The server
/// runs on Hummingbird's own event loops, never on the main thread, so it can
/// live beside a `dispatchMain()` UI.
///
/// ```swift
/// let sim = Simulator(options: SimulatorOptions(tokenTTL: 2))
/// let baseURL = try await sim.start()   // http://127.0.0.1:PORT/api/v1
/// sim.setMaintenance(true)
/// await sim.stop()
/// ```
public final class Simulator: Sendable {
    /// The API key the simulator accepts unless told otherwise.
    public static let demoCredentials = Credentials(secretID: "demo-secret-id", secretKey: "demo-secret-key")
    /// The company's users. `POST /meetings` accepts these, the owner of any
    /// existing meeting, and any address at `@example.com` (the demo company's
    /// domain); every other address gets "User must exist".
    public static let demoUsers = [
        "hugh@example.com", "ada@example.com", "grace@example.com", "linus@example.com",
        "margaret@example.com", "hugh+sales@example.com",
    ]
    public static let companyDomain = "example.com"
    /// Path of the API below the server's origin.
    public static let apiBasePath = "/" + APIPath.base

    public let options: SimulatorOptions
    let core: SimulatorCore
    private let server = Locked<ServerState>(ServerState())

    private struct ServerState {
        var task: Task<Void, Never>?
        var group: ServiceGroup?
        var baseURL: URL?
        var port: Int?
    }

    public init(options: SimulatorOptions = SimulatorOptions()) {
        self.options = options
        core = SimulatorCore(options: options)
    }

    // MARK: Lifecycle

    /// Binds and starts serving in the background; returns the API base URL
    /// (`http://127.0.0.1:PORT/api/v1`) once the port is bound. Calling it
    /// while running returns the same URL.
    @discardableResult
    public func start() async throws -> URL {
        if let url = baseURL { return url }
        core.state.withLock { $0.stopping = false }
        let started = Locked<CheckedContinuation<Int, Error>?>(nil)
        @Sendable func finish(_ result: Result<Int, Error>) {
            started.withLock { c in
                c?.resume(with: result)
                c = nil
            }
        }
        let logger = Logger(label: "coclick.simulator", factory: { _ in SwiftLogNoOpLogHandler() })
        // A connection idle (or half-sent) for `idleTimeout` is closed; the
        // value is clamped so any Double converts to a TimeAmount.
        let idleSeconds = options.idleTimeout.isFinite ? min(max(options.idleTimeout, 0.001), 366 * 86_400) : 75
        let http1 = HTTP1Channel.Configuration(idleTimeout: .milliseconds(Int64(idleSeconds * 1000)))
        let connections = OpenConnections(limit: options.maxConnections)
        let serverBuilder: HTTPServerBuilder
        if let tls = options.tls {
            let config = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificateFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.privateKeyFile, format: .pem))
            )
            serverBuilder = HTTPServerBuilder { responder in
                GuardedChannel(base: try TLSChannel(HTTP1Channel(responder: responder, configuration: http1), tlsConfiguration: config),
                               connections: connections, maxBodyBytes: SimulatorCore.maxBodyBytes)
            }
        } else {
            serverBuilder = HTTPServerBuilder { responder in
                GuardedChannel(base: HTTP1Channel(responder: responder, configuration: http1),
                               connections: connections, maxBodyBytes: SimulatorCore.maxBodyBytes)
            }
        }
        let app = Application(
            router: SimulatorRoutes.router(core: core),
            server: serverBuilder,
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "coclick-simulator"),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port {
                    finish(.success(port))
                } else {
                    finish(.failure(SimulatorError.noPort))
                }
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let port = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, Error>) in
            started.withLock { $0 = continuation }
            let task = Task.detached {
                do {
                    try await group.run()
                    finish(.failure(SimulatorError.stoppedBeforeStart))
                } catch {
                    finish(.failure(error))
                }
            }
            server.withLock { s in
                s.task = task
                s.group = group
            }
        }
        let host = Self.urlHost(options.host)
        let origin = "\(options.tls == nil ? "http" : "https")://\(host):\(port)"
        core.state.withLock { $0.origin = origin }
        guard let url = URL(string: origin + Self.apiBasePath) else { throw SimulatorError.noPort }
        server.withLock { s in
            s.baseURL = url
            s.port = port
        }
        return url
    }

    /// Stops serving: hung requests are released, idle connections closed,
    /// in-flight answers finished. Safe to call twice.
    public func stop() async {
        core.state.withLock { $0.stopping = true }
        let (task, group, port) = server.withLock { s -> (Task<Void, Never>?, ServiceGroup?, Int?) in
            let t = (s.task, s.group, s.port)
            s = ServerState()
            return t
        }
        guard let task else { return }
        await group?.triggerGracefulShutdown()
        // Graceful shutdown waits for open connections; a client that keeps
        // one open and silent would hold it up, so cancel after a while.
        let watchdog = Task {
            try await Task.sleep(nanoseconds: 5_000_000_000)
            task.cancel()
        }
        await task.value
        watchdog.cancel()
        if let port { await Self.waitUntilRefused(host: options.host, port: port) }
    }

    /// The server task can end a moment before the kernel drops the listening
    /// socket; wait (up to 2 s) until a connect is refused, so a caller can
    /// rely on "stopped" meaning "refuses connections" and reuse the port.
    static func waitUntilRefused(host: String, port: Int) async {
        let deadline = Date().addingTimeInterval(2)
        let v6 = host.contains(":")
        while Date() < deadline {
            let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return }
            var result: Int32
            if v6 {
                var a = sockaddr_in6()
                a.sin6_family = sa_family_t(AF_INET6)
                a.sin6_port = in_port_t(UInt16(port).bigEndian)
                _ = inet_pton(AF_INET6, host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), &a.sin6_addr)
                result = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
            } else {
                var a = sockaddr_in()
                a.sin_family = sa_family_t(AF_INET)
                a.sin_port = in_port_t(UInt16(port).bigEndian)
                _ = inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &a.sin_addr)
                result = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            }
            let err = result == 0 ? 0 : errno
            close(fd)
            // Refused: stopped. Any other failure: nothing more to learn by waiting.
            if result != 0 && err != EINTR { return }
            // Never block a thread of the shared pool: the shutdown itself may need it.
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// `http://127.0.0.1:PORT/api/v1` while running, else nil.
    public var baseURL: URL? { server.withLock { $0.baseURL } }
    /// The bound port while running, else nil.
    public var port: Int? { server.withLock { $0.port } }

    // MARK: Faults

    public var faults: SimulatorFaults { core.state.withLock { $0.faults } }
    public func setFaults(_ faults: SimulatorFaults) { core.state.withLock { $0.faults = faults } }
    public func updateFaults(_ change: @Sendable (inout SimulatorFaults) -> Void) { core.state.withLock { change(&$0.faults) } }
    public func setMaintenance(_ on: Bool) { updateFaults { $0.maintenance = on } }
    /// Share of API requests (0...1) answered 500.
    public func setFailureRate(_ rate: Double) { updateFaults { $0.failureRate = min(1, max(0, rate)) } }
    public func setLatency(milliseconds: Int) { updateFaults { $0.latencyMilliseconds = min(SimulatorFaults.maxLatencyMilliseconds, max(0, milliseconds)) } }
    public func setHang(_ on: Bool) { updateFaults { $0.hang = on } }
    public func setGarbage(_ on: Bool) { updateFaults { $0.garbage = on } }
    /// The next `count` API requests are answered 500.
    public func failNextRequests(_ count: Int) { updateFaults { $0.failNext = max(0, count) } }

    // MARK: Tokens

    /// Lifetime of tokens issued from now on, in seconds.
    public var tokenTTL: TimeInterval { core.state.withLock { $0.tokenTTL } }
    public func setTokenTTL(_ seconds: TimeInterval) { core.state.withLock { $0.tokenTTL = seconds.isNaN ? 0 : min(SimulatorOptions.maxTokenTTL, max(0, seconds)) } }
    /// Forgets every issued token: the next request with one gets 401.
    public func revokeTokens() { core.revokeTokens() }

    // MARK: Data

    /// Every meeting, in detail form with its status at the simulator's now, sorted by start.
    public var meetings: [Meeting] {
        let at = core.now
        let (stored, origin) = core.state.withLock { ($0.meetings, $0.origin) }
        return stored.sorted { $0.startsAt < $1.startsAt }.map { $0.model(now: at, origin: origin) }
    }

    /// Adds a meeting as if created through the API (no validation); returns its id.
    @discardableResult
    public func addMeeting(_ new: NewMeeting, duration: Int? = nil) -> String {
        let id = HexIDs.random()
        let m = StoredMeeting(
            id: id, user: new.user, startsAt: new.startsAt, duration: duration, cobrowsingURL: new.cobrowsingURL,
            cookies: new.cookies, customData: new.customData.map { RawJSON(JSONValue.object($0)) },
            presenterWaitingRoomIframeURL: new.presenterWaitingRoomIframeURL,
            prospectWaitingRoomIframeURL: new.prospectWaitingRoomIframeURL
        )
        core.state.withLock { $0.store(m, limit: options.maxMeetings) }
        return id
    }

    /// Marks a meeting cancelled; false when there is no such id.
    @discardableResult
    public func cancelMeeting(id: String) -> Bool {
        core.state.withLock { s in
            guard let i = s.meetings.firstIndex(where: { $0.id == id }) else { return false }
            s.meetings[i].cancelled = true
            return true
        }
    }

    /// Faults, token TTL and meetings back to the start options (re-seeded at
    /// the current time); the request log is cleared; issued tokens stay valid.
    public func reset() { core.reset() }

    /// Every request received since start (or the last reset / clear), oldest first.
    public var requests: [SimulatorRequest] { core.state.withLock { $0.requests } }
    public func clearRequests() { core.state.withLock { $0.requests.removeAll() } }

    private static func urlHost(_ host: String) -> String {
        switch host {
        case "", "0.0.0.0": return "127.0.0.1"
        case "::": return "[::1]"
        default: return host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        }
    }
}

public enum SimulatorError: Error, Sendable, CustomStringConvertible {
    case noPort
    case stoppedBeforeStart

    public var description: String {
        switch self {
        case .noPort: return "the simulator's server did not report a bound port"
        case .stoppedBeforeStart: return "the simulator's server stopped before it started listening"
        }
    }
}
