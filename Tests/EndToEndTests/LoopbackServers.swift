import CoClickSimulator
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket on 127.0.0.1 (free port), listening.
func listeningSocket(backlog: Int32 = 16) throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw PaneError(message: "socket: \(errno)") }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && listen(fd, backlog) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard ok else { close(fd); throw PaneError(message: "bind/listen: \(errno)") }
    return (fd, Int(UInt16(bigEndian: addr.sin_port)))
}

/// A server that accepts connections (the kernel completes the handshake)
/// and never answers: what a hung API or a black-holed load balancer looks like.
final class SilentServer: @unchecked Sendable {
    let fd: Int32
    let port: Int
    init() throws { (fd, port) = try listeningSocket(backlog: 64) }
    func close() { _ = Glibc.close(fd) }
    var baseURL: String { "http://127.0.0.1:\(port)/api/v1" }

    /// Accepts (and closes) every connection waiting in the backlog: how many
    /// times a client connected since the last call.
    func drainConnections() -> Int {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        var n = 0
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { return n }
            Glibc.close(c)
            n += 1
        }
    }
}

/// An HTTP proxy on loopback, started by a test: `CONNECT host:port` tunnels
/// and absolute-form requests (`GET http://host:port/path`) are relayed to
/// 127.0.0.1 only (for 127.0.0.1, localhost and `*.test` names). It records the target of every request it receives, so a
/// test can tell whether the client went through it. Plain threads and poll(2):
/// nothing here runs on the cooperative pool.
final class LoopbackProxy: @unchecked Sendable {
    private let listener: LoopbackListener
    var port: Int { listener.port }
    private let lock = NSLock()
    private var _targets: [String] = []

    var targets: [String] { lock.withLock { _targets } }
    var url: String { "http://127.0.0.1:\(port)" }

    init() throws {
        listener = try LoopbackListener()
        listener.start { [self] client in serve(client) }
    }

    func stop() { listener.stop() }

    /// Reads up to the end of the request head.
    private func readHead(_ fd: Int32) -> [UInt8]? {
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while data.count < 65536 {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { return nil }
            data += buf[0..<n]
            if let _ = findHeadEnd(data) { return data }
        }
        return nil
    }

    private func findHeadEnd(_ d: [UInt8]) -> Int? {
        guard d.count >= 4 else { return nil }
        for i in 0...(d.count - 4) where d[i] == 13 && d[i + 1] == 10 && d[i + 2] == 13 && d[i + 3] == 10 { return i + 4 }
        return nil
    }

    private func serve(_ client: Int32) {
        defer { Glibc.close(client) }
        guard let head = readHead(client), let end = findHeadEnd(head) else { return }
        let text = String(decoding: head[0..<end], as: UTF8.self)
        let requestLine = text.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3 else { return }
        let method = String(parts[0]), target = String(parts[1])
        lock.withLock { _targets.append("\(method) \(target)") }
        var hostPort: String
        var forward: [UInt8] = []
        if method == "CONNECT" {
            hostPort = target
        } else if target.hasPrefix("http://") {
            let rest = target.dropFirst("http://".count)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            hostPort = String(rest[..<slash])
            let path = slash == rest.endIndex ? "/" : String(rest[slash...])
            let rewritten = "\(method) \(path) \(parts[2])" + text.dropFirst(requestLine.count)
            forward = Array(rewritten.utf8) + head[end...]
        } else {
            _ = write(client, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", 47)
            return
        }
        guard let colon = hostPort.lastIndex(of: ":"), let port = UInt16(hostPort[hostPort.index(after: colon)...]) else { return }
        let host = String(hostPort[..<colon])
        // A `.test` name (RFC 6761: never resolves) stands for a remote API
        // host that only the proxy can reach: it too is relayed to 127.0.0.1.
        guard host == "127.0.0.1" || host == "localhost" || host.hasSuffix(".test") else {
            let refusal = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
            _ = write(client, refusal, refusal.utf8.count)
            return
        }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return }
        defer { Glibc.close(upstream) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(port.bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            let refusal = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"
            _ = write(client, refusal, refusal.utf8.count)
            return
        }
        if method == "CONNECT" {
            let ok = "HTTP/1.1 200 Connection established\r\n\r\n"
            _ = write(client, ok, ok.utf8.count)
            if end < head.count { forward = Array(head[end...]) }
        }
        if !forward.isEmpty { _ = forward.withUnsafeBytes { write(upstream, $0.baseAddress, $0.count) } }
        listener.relay(client, upstream)
    }
}

/// A self-signed certificate for 127.0.0.1 and localhost, made with the
/// `openssl` command in `directory`: (certificate, key) PEM paths.
func makeLoopbackCertificate(in directory: URL) async throws -> (cert: String, key: String) {
    let cert = directory.appendingPathComponent("cert.pem").path
    let key = directory.appendingPathComponent("key.pem").path
    let r = try await runTool("openssl", [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
        "-subj", "/CN=coclick test CA", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-addext", "basicConstraints=critical,CA:TRUE",
    ], env: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"], search: true, timeout: 60)
    guard let r, r.status == 0 else { throw PaneError(message: "openssl failed: \(r?.err ?? "timeout")") }
    return (cert, key)
}

/// Runs `body` with a simulator on 127.0.0.1 and its base URL, and stops it on every path.
func withRunningSimulator(_ options: SimulatorOptions = SimulatorOptions(), _ body: (Simulator, URL) async throws -> Void) async throws {
    let sim = Simulator(options: options)
    let url = try await sim.start()
    do {
        try await body(sim, url)
    } catch {
        await offPool { await sim.stop() }
        throw error
    }
    await offPool { await sim.stop() }
}

/// As `withRunningSimulator`, with the environment that points coclick at the
/// simulator under its demo credentials.
func withSimulatorEnvironment(_ options: SimulatorOptions = SimulatorOptions(), _ body: (Simulator, [String: String]) async throws -> Void) async throws {
    try await withRunningSimulator(options) { sim, url in
        try await body(sim, [
            "COCLICK_API_URL": url.absoluteString,
            "COCLICK_SECRET_ID": Simulator.demoCredentials.secretID,
            "COCLICK_SECRET_KEY": Simulator.demoCredentials.secretKey,
        ])
    }
}

/// A listening socket on 127.0.0.1 whose accept loop (a thread of its own,
/// never the cooperative pool) hands each connection to `serve` on another
/// thread, counting them, until `stop`.
final class LoopbackListener: @unchecked Sendable {
    let fd: Int32
    let port: Int
    private let lock = NSLock()
    private var _connections = 0
    private var stopped = false

    var connections: Int { lock.withLock { _connections } }

    init() throws { (fd, port) = try listeningSocket() }

    func start(serve: @escaping @Sendable (Int32) -> Void) {
        let t = Thread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    return
                }
                if lock.withLock({ stopped }) { Glibc.close(client); return }
                lock.withLock { _connections += 1 }
                let t = Thread { serve(client) }
                t.start()
            }
        }
        t.start()
    }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }

    /// Copies bytes both ways between `a` and `b` until either closes or the listener stops.
    func relay(_ a: Int32, _ b: Int32) {
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var buf = [UInt8](repeating: 0, count: 16384)
        while !lock.withLock({ stopped }) {
            let r = poll(&fds, 2, 500)
            if r < 0 { if errno == EINTR { continue } else { return } }
            for i in 0..<2 where fds[i].revents != 0 {
                let n = read(fds[i].fd, &buf, buf.count)
                if n <= 0 { return }
                let other = i == 0 ? b : a
                var off = 0
                while off < n {
                    let w = buf[off..<n].withUnsafeBytes { write(other, $0.baseAddress, $0.count) }
                    if w <= 0 { return }
                    off += w
                }
            }
        }
    }
}

/// A server on loopback that answers every request with the same bytes
/// (`response`, built from the request line) and closes: a rate-limiting
/// API, a proxy that wants credentials. It counts connections and keeps
/// each request line.
final class CannedServer: @unchecked Sendable {
    private let listener: LoopbackListener
    var port: Int { listener.port }
    private let response: @Sendable (String) -> String
    private let lock = NSLock()
    private var _lines: [String] = []

    var requestLines: [String] { lock.withLock { _lines } }
    var connections: Int { listener.connections }
    var url: String { "http://127.0.0.1:\(port)" }

    init(_ response: @escaping @Sendable (String) -> String) throws {
        listener = try LoopbackListener()
        self.response = response
        listener.start { [self] client in serve(client) }
    }

    func stop() { listener.stop() }

    private func serve(_ client: Int32) {
        defer { Glibc.close(client) }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while data.count < 65536, !String(decoding: data, as: UTF8.self).contains("\r\n\r\n") {
            let n = read(client, &buf, buf.count)
            if n <= 0 { return }
            data += buf[0..<n]
        }
        let line = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
        lock.withLock { _lines.append(line) }
        let answer = Array(response(line).utf8)
        _ = answer.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        // Let the client read the answer before the connection goes.
        shutdown(client, Int32(SHUT_WR))
        _ = read(client, &buf, buf.count)
    }
}

/// Relays TCP connections on loopback to `127.0.0.1:target`, counting them:
/// how many times a client connected (TLS included, which no HTTP log sees).
final class CountingRelay: @unchecked Sendable {
    private let listener: LoopbackListener
    var port: Int { listener.port }
    let target: Int

    var connections: Int { listener.connections }

    init(to target: Int) throws {
        listener = try LoopbackListener()
        self.target = target
        listener.start { [self] client in serve(client) }
    }

    func stop() { listener.stop() }

    private func serve(_ client: Int32) {
        defer { Glibc.close(client) }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return }
        defer { Glibc.close(upstream) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(target).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return }
        listener.relay(client, upstream)
    }
}

/// A certificate for 127.0.0.1 and localhost that expired yesterday, signed
/// by a CA made here (`openssl ca` takes explicit dates; `req -days` cannot
/// go into the past): (CA certificate, server certificate, server key) PEM paths.
func makeExpiredLoopbackCertificate(in directory: URL) async throws -> (ca: String, cert: String, key: String) {
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    let env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    func openssl(_ args: [String]) async throws {
        let r = try await runTool("openssl", args, env: env, search: true, timeout: 60)
        guard let r, r.status == 0 else { throw PaneError(message: "openssl \(args.first ?? "") failed: \(r?.err ?? "timeout")") }
    }
    try FileManager.default.createDirectory(atPath: path("newcerts"), withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path("index.txt"), contents: Data())
    try "1000\n".write(toFile: path("serial"), atomically: true, encoding: .utf8)
    try """
    [ca]
    default_ca = test
    [test]
    dir = \(directory.path)
    database = $dir/index.txt
    new_certs_dir = $dir/newcerts
    serial = $dir/serial
    default_md = sha256
    policy = anything
    copy_extensions = copy
    [anything]
    commonName = supplied
    [server]
    subjectAltName = IP:127.0.0.1,DNS:localhost
    basicConstraints = CA:FALSE
    """.write(toFile: path("ca.cnf"), atomically: true, encoding: .utf8)
    try await openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("ca-key.pem"), "-out", path("ca.pem"),
                       "-days", "30", "-subj", "/CN=coclick expired-test CA", "-addext", "basicConstraints=critical,CA:TRUE"])
    try await openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("key.pem"), "-out", path("server.csr"), "-subj", "/CN=127.0.0.1"])
    let day: TimeInterval = 86_400
    func stamp(_ d: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d%02d%02d000000Z", c.year!, c.month!, c.day!)
    }
    try await openssl(["ca", "-batch", "-config", path("ca.cnf"), "-cert", path("ca.pem"), "-keyfile", path("ca-key.pem"),
                       "-in", path("server.csr"), "-out", path("cert.pem"), "-extensions", "server", "-notext",
                       "-startdate", stamp(Date().addingTimeInterval(-10 * day)), "-enddate", stamp(Date().addingTimeInterval(-2 * day))])
    return (path("ca.pem"), path("cert.pem"), path("key.pem"))
}

/// A test's own HTTP server: a Hummingbird router on 127.0.0.1, a free port.
struct LoopbackApp: Sendable {
    let port: Int
    private let task: Task<Void, Error>
    private let group: ServiceGroup

    /// `http://127.0.0.1:PORT/api/v1`.
    var apiURL: String { "http://127.0.0.1:\(port)/api/v1" }

    static func start(_ router: Router<BasicRequestContext>, label: String) async throws -> LoopbackApp {
        let ports = AsyncStream<Int>.makeStream()
        let quiet = Logger(label: label) { _ in SwiftLogNoOpLogHandler() }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  ports.continuation.yield(channel.localAddress?.port ?? 0)
                                  ports.continuation.finish()
                              }, logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: quiet))
        let task = Task { try await group.run() }
        var port = 0
        for await p in ports.stream { port = p }
        guard port > 0 else { task.cancel(); throw PaneError(message: "\(label) did not start") }
        return LoopbackApp(port: port, task: task, group: group)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
