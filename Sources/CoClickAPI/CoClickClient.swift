#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// How GETs are retried on 5xx and network failures: capped exponential backoff with jitter.
public struct RetryPolicy: Sendable, Hashable {
    /// Total tries, the first included.
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 4, baseDelay: TimeInterval = 0.3, maxDelay: TimeInterval = 5) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before try `attempt + 1` (attempt counts from 1): full-range jitter in [d/2, d].
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let d = min(maxDelay, baseDelay * Double(1 << min(30, max(0, attempt - 1))))
        return d * Double.random(in: 0.5...1.0)
    }
}

public struct ClientConfiguration: Sendable {
    public var baseURL: URL
    public var credentials: Credentials
    /// Seconds one operation (`meetings`, `meeting`, `createMeeting`,
    /// `authenticate`) may take in all: its authentication, every attempt
    /// and the waits between them.
    public var requestTimeout: TimeInterval
    /// When set, nothing this client does runs past it: a command's
    /// `--timeout` bounds the whole command, however many requests it makes.
    public var deadline: ContinuousClock.Instant?
    public var retry: RetryPolicy
    public var logger: Logger?
    /// Proxies and CA certificates (`HTTPS_PROXY`, `NO_PROXY`, `SSL_CERT_FILE`, ...).
    public var network: NetworkEnvironment

    public init(baseURL: URL, credentials: Credentials, requestTimeout: TimeInterval = 20,
                deadline: ContinuousClock.Instant? = nil, retry: RetryPolicy = RetryPolicy(),
                logger: Logger? = nil, network: NetworkEnvironment = .process) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.requestTimeout = requestTimeout
        self.deadline = deadline
        self.retry = retry
        self.logger = logger
        self.network = network
    }
}

/// The CoClick API over AsyncHTTPClient (see `Transport`). Keeps the bearer
/// token in memory, renews it a minute before it expires, and
/// re-authenticates once on a 401.
public actor CoClickClient {
    public nonisolated let configuration: ClientConfiguration
    private var transport: Transport?
    private let now: @Sendable () -> Date
    private var current: AuthSession?
    /// When `current` was obtained: short-lived tokens renew at half their life, not a minute before.
    private var currentIssuedAt = Date.distantPast
    private var pendingAuth: Task<AuthSession, Error>?

    /// Renew the token this long before `expires_at` (or at half its life, if that is shorter).
    public static let renewalMargin: TimeInterval = 60

    public init(configuration: ClientConfiguration, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.now = now
    }

    /// The company name of the last authentication, if any.
    public var company: String? { current?.company }

    // MARK: Authentication

    /// `POST /authenticate`. Concurrent callers share one request.
    @discardableResult
    public func authenticate() async throws -> AuthSession {
        try await authenticate(by: operationDeadline())
    }

    private func authenticate(by deadline: ContinuousClock.Instant) async throws -> AuthSession {
        if let pendingAuth { return try await pendingAuth.value }
        let task = Task { try await self.requestToken(by: deadline) }
        pendingAuth = task
        defer { pendingAuth = nil }
        let issued = now()
        let session = try await task.value
        current = session
        currentIssuedAt = issued
        return session
    }

    /// A token that is valid for at least the renewal margin, authenticating if needed.
    public func validSession() async throws -> AuthSession {
        try await validSession(by: operationDeadline())
    }

    private func validSession(by deadline: ContinuousClock.Instant) async throws -> AuthSession {
        if let s = current {
            let lifetime = s.expiresAt.date.timeIntervalSince(currentIssuedAt)
            let margin = min(Self.renewalMargin, max(0, lifetime / 2))
            if s.expiresAt.date.timeIntervalSince(now()) > margin { return s }
        }
        return try await authenticate(by: deadline)
    }

    private func requestToken(by deadline: ContinuousClock.Instant) async throws -> AuthSession {
        let creds = configuration.credentials
        guard !creds.secretID.isEmpty, !creds.secretKey.isEmpty else {
            throw APIError.configuration("no API key: set COCLICK_SECRET_ID and COCLICK_SECRET_KEY (or secret_id / secret_key in the config file)")
        }
        let body = RawJSON.object([.init(AuthField.secretID, .string(creds.secretID)), .init(AuthField.secretKey, .string(creds.secretKey))]).data
        let response = try await send(method: "POST", path: APIPath.authenticate, body: body, authorized: false, retryable: true, deadline: deadline)
        return try decode(AuthSession.self, from: response.body, what: "an authentication token")
    }

    // MARK: Meetings

    /// One page of `GET /meetings`; `body` keeps the server's bytes.
    public func meetings(_ query: MeetingQuery) async throws -> MeetingPage {
        try await meetings(query, deadline: operationDeadline())
    }

    private func meetings(_ query: MeetingQuery, deadline: ContinuousClock.Instant) async throws -> MeetingPage {
        let headers = [(PageHeader.page.rawValue, String(query.page)), (PageHeader.per.rawValue, String(query.per))]
        let response = try await send(method: "GET", path: APIPath.meetings, query: query.queryString, headers: headers, retryable: true, deadline: deadline)
        let list = try decode([Meeting].self, from: response.body, what: "a list of meetings")
        func number(_ header: String) -> Int? {
            response.header(header).flatMap { Int($0.trimmed) }
        }
        let total = number(PageHeader.total.rawValue)
        let link = response.header("Link").map { $0.contains("rel=\"next\"") || $0.contains("rel=next") }
        // A server may clamp the page size (e.g. X-Per 500 -> 100): count with what it used.
        let per = number(PageHeader.per.rawValue).flatMap { $0 > 0 ? $0 : nil } ?? query.per
        var page = MeetingPage(meetings: list, page: query.page, per: per, total: total, linkHasNext: link)
        page.body = response.body
        return page
    }

    /// How a walk over pages ended.
    public enum PageWalkEnd: Sendable, Equatable {
        /// An empty page, or one shorter than the first: nothing more.
        case complete
        /// Page `page` held the same meetings as the page before it (a server
        /// that ignores `X-Page`); `full` when that page was as long as asked
        /// for, so meetings may be missing.
        case repeated(page: Int, full: Bool)
        /// `pages` pages were read and the server still had more.
        case capped(pages: Int)
    }

    /// Every page from `query.page` on, handed to `body` one at a time (so a
    /// caller can print and drop each). The API documents no totals and a
    /// server may clamp `X-Per` without saying so, so a page is the last only
    /// when it is empty or shorter than the first page (1,000 meetings at 100
    /// a page: 11 requests). A page with the same ids as the one before (a
    /// server that ignores `X-Page`) ends the walk and is not handed on; so
    /// does reading `maxPages` pages.
    public nonisolated func walkPages(
        _ query: MeetingQuery, maxPages: Int = 10_000, _ body: (MeetingPage) async throws -> Void
    ) async throws -> PageWalkEnd {
        let deadline = await operationDeadline(pages: true)
        var q = query
        var previousIDs: [String]?
        var firstCount: Int?
        for _ in 0..<maxPages {
            let page = try await meetings(q, deadline: deadline)
            if page.meetings.isEmpty { try await body(page); return .complete }
            let ids = page.meetings.map(\.id)
            if ids == previousIDs { return .repeated(page: q.page, full: ids.count >= query.per) }
            try await body(page)
            previousIDs = ids
            if let firstCount {
                if ids.count < firstCount { return .complete }
            } else {
                firstCount = ids.count
            }
            q.page += 1
        }
        return .capped(pages: maxPages)
    }

    /// Every page from `query.page` on, kept (see `walkPages`).
    public func allPages(_ query: MeetingQuery, maxPages: Int = 10_000) async throws -> [MeetingPage] {
        var pages: [MeetingPage] = []
        _ = try await walkPages(query, maxPages: maxPages) { pages.append($0) }
        return pages
    }

    /// The meetings of every page from `query.page` on (see `allPages`).
    public func allMeetings(_ query: MeetingQuery, maxPages: Int = 10_000) async throws -> [Meeting] {
        try await allPages(query, maxPages: maxPages).flatMap(\.meetings)
    }

    /// `GET /meetings/<id>`.
    public func meeting(id: String) async throws -> Meeting {
        try await meetingResponse(id: id).meeting
    }

    /// `GET /meetings/<id>`, with the server's bytes.
    public func meetingResponse(id: String) async throws -> (meeting: Meeting, body: Data) {
        let trimmed = id.trimmed
        guard !trimmed.isEmpty else { throw APIError.notFound("a meeting id is required") }
        do {
            let response = try await send(method: "GET", path: APIPath.meetings + "/" + MeetingQuery.percentEncode(trimmed), retryable: true, deadline: operationDeadline())
            var meeting = try decode(Meeting.self, from: response.body, what: "a meeting")
            meeting.keepRawCustomData(from: response.body)
            return (meeting, response.body)
        } catch APIError.notFound {
            throw APIError.notFound("no meeting with id \(trimmed)")
        }
    }

    /// `POST /meetings`. Never retried on its own. When the request was sent
    /// and its answer lost (a timeout, a dropped connection, an unreadable
    /// reply), it throws `.unconfirmed`: the meeting may exist. Any other
    /// failure means it was not created.
    public func createMeeting(_ new: NewMeeting) async throws -> Meeting {
        try await createMeetingResponse(new).meeting
    }

    /// `POST /meetings`, with the server's bytes. The body is `NewMeeting.jsonBody()`:
    /// custom data exactly as typed (key order, big integers, decimals).
    public func createMeetingResponse(_ new: NewMeeting) async throws -> (meeting: Meeting, body: Data) {
        let body = new.jsonBody()
        let response = try await send(method: "POST", path: APIPath.meetings, body: body, retryable: false, deadline: operationDeadline())
        if let errors = Self.validationErrors(in: response.body), !errors.isEmpty {
            throw APIError.validation(errors)
        }
        do {
            var meeting = try decode(Meeting.self, from: response.body, what: "the created meeting")
            meeting.keepRawCustomData(from: response.body)
            return (meeting, response.body)
        } catch let error as APIError {
            // A 2xx came back but cannot be read: it was probably created.
            throw APIError.unconfirmed(error)
        }
    }

    // MARK: Transport

    /// A raw request to the API, for callers that need the server's bytes:
    /// authenticated, retried (when `retryable`) and bounded like every other call.
    public func send(
        method: String, path: String, query: String = "", headers: [(String, String)] = [],
        body: Data? = nil, retryable: Bool
    ) async throws -> APIResponse {
        try await send(method: method, path: path, query: query, headers: headers, body: body, authorized: true,
                       retryable: retryable, deadline: operationDeadline())
    }

    /// The latest moment an operation may end: the client's deadline, else
    /// (for one operation) one attempt per retry with its waits, or (for a
    /// walk over pages) no limit of its own.
    private func operationDeadline(pages: Bool = false) -> ContinuousClock.Instant {
        if let d = configuration.deadline { return d }
        let attempts = Double(configuration.retry.maxAttempts)
        let seconds = pages ? 86_400 : configuration.requestTimeout * (attempts + 1) + configuration.retry.maxDelay * attempts
        return ContinuousClock.now.advanced(by: .milliseconds(Int64(seconds * 1000)))
    }

    private func url(path: String, query: String) -> String {
        var base = configuration.baseURL.absoluteString
        if base.hasSuffix("/") { base.removeLast() }
        return base + "/" + path + (query.isEmpty ? "" : "?" + query)
    }

    private func openTransport() throws -> Transport {
        if let transport { return transport }
        let url = configuration.baseURL
        let t = try Transport.forURL(scheme: url.scheme ?? "https", host: url.host ?? "", environment: configuration.network)
        transport = t
        return t
    }

    private func send(
        method: String, path: String, query: String = "", headers: [(String, String)] = [],
        body: Data? = nil, authorized: Bool = true, retryable: Bool, deadline: ContinuousClock.Instant
    ) async throws -> APIResponse {
        let transport = try openTransport()
        let label = "\(method) /\(path)\(query.isEmpty ? "" : "?" + query)"
        var attempt = 0
        var reauthenticated = false
        while true {
            attempt += 1
            var h: [(String, String)] = [("User-Agent", "coclick/0.1"), ("Accept", "application/json")]
            h += headers
            if body != nil { h.append(("Content-Type", "application/json")) }
            if authorized {
                let token = try await validSession(by: deadline).token
                h.append((BearerAuthorization.header, BearerAuthorization.value(token)))
            }
            let attemptDeadline = min(deadline, ContinuousClock.now.advanced(by: .milliseconds(Int64(configuration.requestTimeout * 1000))))
            let started = ContinuousClock.now
            do {
                let response: APIResponse
                do {
                    response = try await transport.perform(method: method, url: url(path: path, query: query), headers: h, body: body, deadline: attemptDeadline)
                } catch {
                    configuration.logger?.warning("\(label) failed", metadata: ["error": "\(error.error)", "sent": "\(error.sent)"])
                    // A request that was sent and never answered may have been carried out.
                    if !retryable, error.sent, error.error.answerMayBeLost { throw APIError.unconfirmed(error.error) }
                    throw error.error
                }
                configuration.logger?.info("\(label) -> \(response.status)", metadata: ["ms": "\(started.duration(to: .now).milliseconds)", "bytes": "\(response.body.count)"])
                switch response.status {
                case 200..<300:
                    return response
                case 401 where authorized && !reauthenticated:
                    // The token may have been revoked or expired early: one fresh token, one retry.
                    reauthenticated = true
                    current = nil
                    attempt -= 1
                    continue
                case 429:
                    throw APIError.rateLimited(retryAfter: Self.retryAfter(response.header("Retry-After"), now: now()))
                default:
                    throw Self.error(status: response.status, body: response.body)
                }
            } catch let error as APIError {
                guard retryable, error.isTransient, attempt < configuration.retry.maxAttempts else { throw error }
                let wait = configuration.retry.delay(afterAttempt: attempt)
                let waitDuration = Duration.milliseconds(Int64(wait * 1000))
                // No time left for another try: say what went wrong rather than wait.
                guard ContinuousClock.now.advanced(by: waitDuration) < deadline else { throw error }
                configuration.logger?.info("retrying after error", metadata: ["error": "\(error)", "attempt": "\(attempt)", "wait_ms": "\(Int(wait * 1000))"])
                try await Task.sleep(for: waitDuration)
            }
        }
    }

    static func error(status: Int, body: Data) -> APIError {
        switch status {
        case 400, 422:
            if let errors = validationErrors(in: body), !errors.isEmpty { return .validation(errors) }
            return status == 400 ? .badRequest(message(in: body)) : .unexpectedStatus(status)
        case 401: return .unauthorized
        case 404: return .notFound("the requested resource does not exist")
        case 503: return .maintenance
        case 500...599: return .server(status: status)
        default: return .unexpectedStatus(status)
        }
    }

    /// `Retry-After` (RFC 9110): seconds, or an HTTP date, as seconds from `now`.
    static func retryAfter(_ value: String?, now: Date) -> Double? {
        guard let value = value?.trimmed, !value.isEmpty else { return nil }
        if let seconds = Int(value) { return seconds >= 0 ? Double(seconds) : nil }
        // IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", the form servers send.
        let parts = value.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]),
              let month = months.firstIndex(of: String(parts[2])) else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        var comps = DateComponents()
        comps.year = year; comps.month = month + 1; comps.day = day
        comps.hour = time[0]; comps.minute = time[1]; comps.second = time[2]
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let date = cal.date(from: comps) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    static func validationErrors(in body: Data) -> ValidationErrors? {
        struct Envelope: Decodable { let errors: ValidationErrors? }
        return (try? JSONDecoder().decode(Envelope.self, from: body))?.errors
    }

    static func message(in body: Data) -> String? {
        struct Envelope: Decodable { let error: String?; let message: String? }
        guard let e = try? JSONDecoder().decode(Envelope.self, from: body) else { return nil }
        return e.error ?? e.message
    }

    private func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws -> T {
        // The same limit as RawJSON's, which prints and keeps what this decodes.
        if RawJSON.nestsTooDeep(data) {
            throw APIError.invalidResponse("JSON nested more than \(RawJSON.maxDepth) levels deep (expected \(what))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            let detail: String
            if data.isEmpty {
                detail = "empty body where \(what) was expected"
            } else if (try? JSONValue.parse(String(decoding: data, as: UTF8.self))) == nil {
                detail = "body is not JSON (expected \(what))"
            } else {
                detail = "JSON is not \(what)"
            }
            throw APIError.invalidResponse(detail)
        }
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
