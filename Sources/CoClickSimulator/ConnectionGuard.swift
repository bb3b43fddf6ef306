import CoClickAPI
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// How many connections are open; shared by every connection of one server.
final class OpenConnections: Sendable {
    private let count = Locked(0)
    let limit: Int

    init(limit: Int) { self.limit = max(1, limit) }

    /// Counts a new connection in; false (and not counted) when the server is full.
    func enter() -> Bool {
        count.withLock { n in
            guard n < limit else { return false }
            n += 1
            return true
        }
    }

    func leave() { count.withLock { $0 -= 1 } }
}

/// A server child channel that keeps the simulator up whatever clients do:
/// past `OpenConnections.limit` open connections a new one is closed at once
/// (rather than left queued, so a client learns at once that it must retry),
/// and every connection gets a `RequestGuard` right after the HTTP/1 decoder.
struct GuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    struct Full: Error {}

    let base: Base
    let connections: OpenConnections
    let maxBodyBytes: Int

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard connections.enter() else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(Full())
        }
        let connections = connections
        channel.closeFuture.whenComplete { _ in connections.leave() }
        let maxBodyBytes = maxBodyBytes
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestGuard(maxBodyBytes: maxBodyBytes), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Sits between the HTTP/1 decoder and Hummingbird, where the HTTP version
/// and the raw `Content-Length` are still known (Hummingbird's request type
/// keeps neither):
/// - a request announcing a body over `maxBodyBytes` is answered 413 at once,
///   before any of the body is read (what comes after is thrown away, and the
///   connection closes when the client stops sending, two seconds at most);
/// - an HTTP/1.0 request is answered in HTTP/1.0 with `Connection: close`,
///   and the connection is closed once the answer is written.
final class RequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let maxBodyBytes: Int
    private var version = HTTPVersion.http1_1
    /// After a 413 nothing more is read from this connection.
    private var refused = false

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }
        if case .head(let head) = unwrapInboundIn(data) {
            version = head.version
            if let length = head.headers["content-length"].first.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
               length > maxBodyBytes {
                refuse(context: context, head: head)
                return
            }
        }
        context.fireChannelRead(data)
    }

    private func refuse(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let version = head.version
        refused = true
        let body = Self.refusal(of: head, maxBodyBytes: maxBodyBytes).text(indent: 0)
        var headers = HTTPHeaders([("Content-Type", Response.jsonType)])
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .payloadTooLarge, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            // A lingering close: a client still sending the body it announced would
            // get a reset instead of the 413. Its bytes are read into nothing (see
            // `refused`) until it stops or `lingering` passes, then the connection closes.
            context.close(mode: .output, promise: nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingering) { context.close(promise: nil) }
        }
    }

    static let lingering = TimeAmount.seconds(2)

    /// The 413's body: for `POST /meetings` the documented rejected-meeting
    /// shape (as every refusal of a create), else the usual error body.
    static func refusal(of head: HTTPRequestHead, maxBodyBytes: Int) -> RawJSON {
        let message = "Payload Too Large: the body is over \(maxBodyBytes) bytes"
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let segments = path.split(separator: "/").joined(separator: "/")
        if head.method == .POST, segments == APIPath.base + "/" + APIPath.meetings {
            return MeetingRejection(.contentTooLarge, wholeRequest: message).json
        }
        return APIFailure.body(message)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if refused, let e = event as? ChannelEvent, e == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard version == .http1_0 else {
            context.write(data, promise: promise)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            head.version = .http1_0
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end(let trailers):
            let written = promise ?? context.eventLoop.makePromise()
            context.write(wrapOutboundOut(.end(trailers)), promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .body:
            context.write(data, promise: promise)
        }
    }
}
