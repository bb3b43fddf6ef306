import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One HTTP answer: status, headers and the body's bytes as the server sent
/// them (so `--json` can print them unchanged).
public struct APIResponse: Sendable {
    public var status: Int
    /// Header names as sent; look up with `header(_:)` (case-insensitive).
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// A request that failed, and whether its bytes all left this machine: a
/// request that was never completely sent cannot have been carried out.
struct TransportFailure: Error {
    var error: APIError
    var sent: Bool
}

/// HTTP over AsyncHTTPClient on one NIO event-loop thread, shared by every
/// client in the process. Waiting for an answer costs no CPU (epoll), idle
/// keep-alive connections are reused and closed after a minute, and a
/// request's deadline is a hard bound (connect, TLS, proxy and answer
/// included). URLSession on Linux busy-polled here and carried libcurl and ICU.
final class Transport: Sendable {
    /// The one event-loop thread every transport runs on.
    static let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Transports by settings; they live as long as the process (an HTTPClient
    /// must be shut down before it is released, and there is nothing to gain).
    private static let cache = Mutex<[Key: Transport]>([:])

    struct Key: Hashable {
        var proxy: ProxyServer?
        var caFile: String?
        var caDirectory: String?
    }

    let client: HTTPClient
    let key: Key

    /// The transport for a base URL under these settings; throws a
    /// `.configuration` error for an unusable proxy or CA setting.
    static func forURL(scheme: String, host: String, environment: NetworkEnvironment) throws -> Transport {
        let proxy = try environment.proxy(scheme: scheme, host: host)
        var key = Key(proxy: proxy, caFile: nil, caDirectory: nil)
        if scheme.lowercased() == "https" {
            key.caFile = environment.caFile
            key.caDirectory = environment.caDirectory
            for (name, path) in [("SSL_CERT_FILE", key.caFile), ("SSL_CERT_DIR", key.caDirectory)] {
                guard let path else { continue }
                if access(path, R_OK) != 0 {
                    throw APIError.configuration("\(name) names '\(path)', which cannot be read: point it at a PEM bundle of the CA certificates to trust")
                }
            }
        }
        return try cache.withLock { transports in
            if let t = transports[key] { return t }
            let t = try Transport(key: key)
            transports[key] = t
            return t
        }
    }

    private init(key: Key) throws {
        self.key = key
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = key.caFile {
            // As curl and OpenSSL do: SSL_CERT_FILE replaces the system store.
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(file)
            } catch {
                throw APIError.configuration("SSL_CERT_FILE '\(file)' holds no PEM certificate")
            }
            guard !certificates.isEmpty else {
                throw APIError.configuration("SSL_CERT_FILE '\(file)' holds no PEM certificate")
            }
            tls.trustRoots = .certificates(certificates)
        } else if let dir = key.caDirectory {
            tls.trustRoots = .file(dir)
        }
        var config = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(30), read: nil),
            connectionPool: .init(idleTimeout: .seconds(60)),
            proxy: key.proxy.map(Self.proxy),
            decompression: .disabled
        )
        // Fail a refused or unresolvable connection at once: the client's own
        // retry policy decides whether and when to try again.
        config.connectionPool.retryConnectionEstablishment = false
        config.httpVersion = .automatic
        client = HTTPClient(eventLoopGroupProvider: .shared(Self.eventLoopGroup), configuration: config)
    }

    private static func proxy(_ p: ProxyServer) -> HTTPClient.Configuration.Proxy {
        switch p.kind {
        case .socks5:
            return .socksServer(host: p.host, port: p.port)
        case .http:
            let auth = p.username.map { HTTPClient.Authorization.basic(username: $0, password: p.password ?? "") }
            return .server(host: p.host, port: p.port, authorization: auth)
        }
    }

    /// Sends one request and collects the whole answer, by `deadline`.
    func perform(
        method: String, url: String, headers: [(String, String)], body: Data?, deadline: ContinuousClock.Instant
    ) async throws(TransportFailure) -> APIResponse {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { throw TransportFailure(error: .timeout, sent: false) }
        var h = HTTPHeaders()
        for (name, value) in headers { h.add(name: name, value: value) }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(
                url: url, method: HTTPMethod(rawValue: method), headers: h,
                body: body.map { .bytes(Array($0)) }
            )
        } catch {
            throw TransportFailure(error: .configuration("API URL '\(APIEndpoint.redacted(url))' cannot be requested: \(error)"), sent: false)
        }
        let collector = ResponseCollector()
        let nanos = remaining.components.seconds * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000
        let task = client.execute(
            request: request, delegate: collector, eventLoop: .indifferent,
            deadline: .now() + .nanoseconds(max(1, nanos)), logger: nil
        )
        let response: APIResponse
        do {
            response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch {
            let sent = collector.requestSent
            if Task.isCancelled { throw TransportFailure(error: .offline("cancelled"), sent: sent) }
            var failure = Self.apiError(error, proxy: key.proxy)
            if failure == .timeout, let p = key.proxy {
                // Through a proxy, silence before the request went out is the
                // proxy's (a CONNECT or a handshake it never answered): say so,
                // not that the API was slow.
                failure = .offline(sent ? "no answer in time through the proxy \(p.host):\(p.port)"
                                        : "the proxy \(p.host):\(p.port) did not answer in time")
            }
            if failure == .tls(.untrusted), key.proxy == nil, let u = URL(string: url), let host = u.host {
                failure = await Self.diagnoseRefusedCertificate(host: host, port: u.port ?? 443, deadline: deadline) ?? failure
            }
            throw TransportFailure(error: failure, sent: sent)
        }
        // A plain-http request through a proxy gets the proxy's 407 as its
        // answer: the request went no further, so it was not carried out.
        if response.status == 407, let p = key.proxy {
            throw TransportFailure(error: .proxyAuthentication(proxy: "\(p.host):\(p.port)", hadCredentials: p.username != nil), sent: false)
        }
        return response
    }

    /// BoringSSL says only that verification failed. A certificate that is
    /// out of its dates is told apart by looking at it once more, unverified,
    /// on a connection that sends nothing.
    static func diagnoseRefusedCertificate(host: String, port: Int, deadline: ContinuousClock.Instant) async -> APIError? {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let isAddress = (try? SocketAddress(ipAddress: bare, port: 0)) != nil
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .milliseconds(100) else { return nil }
        do {
            let context = try NIOSSLContext(configuration: tls)
            let done = eventLoopGroup.next().makePromise(of: Void.self)
            // Completed at most once more by the waiter; a second completion is ignored.
            defer { done.fail(ChannelError.alreadyClosed) }
            let channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(.milliseconds(min(5000, remaining.milliseconds)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : bare)
                        try channel.pipeline.syncOperations.addHandler(handler)
                        try channel.pipeline.syncOperations.addHandler(HandshakeWaiter(done))
                    }
                }
                .connect(host: bare, port: port).get()
            defer { channel.close(promise: nil) }
            let timeout = channel.eventLoop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
            defer { timeout.cancel() }
            try await done.futureResult.get()
            guard let certificate = try await channel.nioSSL_peerCertificate().get() else { return nil }
            let now = time(nil)
            if certificate.notValidAfter < now { return .tls(.expired) }
            if certificate.notValidBefore > now { return .tls(.notYetValid) }
            return nil
        } catch {
            return nil
        }
    }

    // MARK: Errors in words

    static func apiError(_ error: Error, proxy: ProxyServer?) -> APIError {
        if let e = error as? APIError { return e }
        let via = proxy.map { " (through the proxy \($0.host):\($0.port))" } ?? ""
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout:
                return .timeout
            case .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
                return .offline("the proxy\(via) did not answer")
            case .remoteConnectionClosed:
                return .offline("connection lost")
            case .cancelled:
                return .offline("cancelled")
            case .proxyAuthenticationRequired:
                if let p = proxy { return .proxyAuthentication(proxy: "\(p.host):\(p.port)", hadCredentials: p.username != nil) }
                return .offline("a proxy wants credentials (407)")
            case .invalidProxyResponse:
                return .offline("the proxy\(via) refused the connection")
            default:
                return .offline("HTTP error: \(e)")
            }
        }
        if let e = error as? NIOConnectionError {
            if let first = e.connectionErrors.first { return apiError(first.error, proxy: proxy) }
            if e.dnsAError != nil || e.dnsAAAAError != nil { return .offline("host not found\(via)") }
            return .offline("cannot connect\(via)")
        }
        if let e = error as? IOError {
            switch e.errnoCode {
            case ECONNREFUSED: return .offline("connection refused\(via)")
            case ENETUNREACH, EHOSTUNREACH: return .offline("no network connection\(via)")
            case ECONNRESET, EPIPE: return .offline("connection lost")
            case ETIMEDOUT: return .timeout
            default: return .offline("network error: \(String(cString: strerror(e.errnoCode)))")
            }
        }
        if error is SocketAddressError { return .offline("host not found\(via)") }
        if let e = error as? ChannelError {
            switch e {
            case .connectTimeout: return .timeout
            case .ioOnClosedChannel, .eof, .alreadyClosed, .outputClosed, .inputClosed: return .offline("connection lost")
            default: return .offline("network error: \(e)")
            }
        }
        if let e = error as? NIOSSLError {
            return tlsError(String(describing: e))
        }
        if let e = error as? NIOSSLExtraError {
            return tlsError(String(describing: e))
        }
        if error is HTTPParserError {
            return .invalidResponse("malformed HTTP response")
        }
        if error is CancellationError { return .offline("cancelled") }
        return .offline("network error: \(String(describing: type(of: error)))")
    }

    static func tlsError(_ detail: String) -> APIError {
        let d = detail.uppercased()
        // BoringSSL names the verify result after the reason ("CERTIFICATE_VERIFY_FAILED"
        // comes with every one of them): the specific reasons are looked at first.
        if d.contains("EXPIRED") { return .tls(.expired) }
        if d.contains("NOT YET VALID") || d.contains("NOT_YET_VALID") { return .tls(.notYetValid) }
        if d.contains("HOSTNAME") || d.contains("DOESNOTMATCH") || d.contains("DOES NOT MATCH") {
            return .tls(.wrongHost)
        }
        if d.contains("CERTIFICATE_VERIFY_FAILED") || d.contains("CERTIFICATE VERIFY FAILED") || d.contains("UNABLE_TO_GET_ISSUER") || d.contains("SELF_SIGNED") {
            return .tls(.untrusted)
        }
        return .tls(.handshake)
    }
}

/// Fulfils `done` when the TLS handshake has finished (or fails with the connection).
private final class HandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let promise: EventLoopPromise<Void>
    init(_ promise: EventLoopPromise<Void>) { self.promise = promise }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? TLSUserEvent, case .handshakeCompleted = e { promise.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        promise.fail(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ChannelError.alreadyClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        promise.fail(ChannelError.alreadyClosed)
    }
}

/// Collects one response on the event loop and remembers whether the whole
/// request was written to the connection.
final class ResponseCollector: HTTPClientResponseDelegate, Sendable {
    typealias Response = APIResponse

    /// Larger answers are refused: no meeting list comes near it.
    static let maxBody = 64 << 20

    private struct State {
        var sent = false
        var head: HTTPResponseHead?
        var body = ByteBuffer()
    }

    private let state = Mutex(State())

    var requestSent: Bool { state.withLock { $0.sent } }

    func didSendRequest(task: HTTPClient.Task<APIResponse>) {
        state.withLock { $0.sent = true }
    }

    func didReceiveHead(task: HTTPClient.Task<APIResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLock { $0.head = head }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<APIResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let tooLarge = state.withLock { s -> Bool in
            guard s.body.readableBytes + buffer.readableBytes <= Self.maxBody else { return true }
            var b = buffer
            s.body.writeBuffer(&b)
            return false
        }
        if tooLarge {
            return task.eventLoop.makeFailedFuture(APIError.invalidResponse("the answer is larger than \(Self.maxBody >> 20) MiB"))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<APIResponse>) throws -> APIResponse {
        try state.withLock { s in
            guard let head = s.head else { throw APIError.invalidResponse("malformed HTTP response") }
            return APIResponse(
                status: Int(head.status.code),
                headers: head.headers.map { ($0.name, $0.value) },
                body: Data(s.body.readableBytesView)
            )
        }
    }
}
