import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
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
        let d = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return d * Double.random(in: 0.5...1.0)
    }
}

public struct ClientConfiguration: Sendable {
    public var baseURL: URL
    public var credentials: Credentials
    /// Seconds a single request may take, connect included.
    public var requestTimeout: TimeInterval
    public var retry: RetryPolicy
    public var logger: Logger?

    public init(baseURL: URL, credentials: Credentials, requestTimeout: TimeInterval = 20,
                retry: RetryPolicy = RetryPolicy(), logger: Logger? = nil) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.logger = logger
    }
}

/// The CoClick API over URLSession. Keeps the bearer token in memory, renews
/// it a minute before it expires, and re-authenticates once on a 401.
public actor CoClickClient {
    public nonisolated let configuration: ClientConfiguration
    private let session: URLSession
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
        let cfg = URLSessionConfiguration.ephemeral
        cfg.timeoutIntervalForRequest = configuration.requestTimeout
        cfg.timeoutIntervalForResource = configuration.requestTimeout * 2
        cfg.httpShouldSetCookies = false
        cfg.httpCookieAcceptPolicy = .never
        cfg.urlCache = nil
        cfg.requestCachePolicy = .reloadIgnoringLocalCacheData
        cfg.httpAdditionalHeaders = ["User-Agent": "coclick/0.1", "Accept": "application/json"]
        session = URLSession(configuration: cfg)
    }

    deinit { session.invalidateAndCancel() }

    /// The company name of the last authentication, if any.
    public var company: String? { current?.company }

    // MARK: Authentication

    /// `POST /authenticate`. Concurrent callers share one request.
    @discardableResult
    public func authenticate() async throws -> AuthSession {
        if let pendingAuth { return try await pendingAuth.value }
        let task = Task { try await self.requestToken() }
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
        if let s = current {
            let lifetime = s.expiresAt.date.timeIntervalSince(currentIssuedAt)
            let margin = min(Self.renewalMargin, max(0, lifetime / 2))
            if s.expiresAt.date.timeIntervalSince(now()) > margin { return s }
        }
        return try await authenticate()
    }

    private func requestToken() async throws -> AuthSession {
        struct Body: Encodable {
            let secret_id: String
            let secret_key: String
        }
        let creds = configuration.credentials
        guard !creds.secretID.isEmpty, !creds.secretKey.isEmpty else {
            throw APIError.configuration("no API key: set COCLICK_SECRET_ID and COCLICK_SECRET_KEY (or secret_id / secret_key in the config file)")
        }
        let body = try JSONEncoder().encode(Body(secret_id: creds.secretID, secret_key: creds.secretKey))
        let (data, _) = try await send(method: "POST", path: "authenticate", body: body, authorized: false, retryable: true)
        return try decode(AuthSession.self, from: data, what: "an authentication token")
    }

    // MARK: Meetings

    /// One page of `GET /meetings`.
    public func meetings(_ query: MeetingQuery) async throws -> MeetingPage {
        let headers = ["X-Page": String(query.page), "X-Per": String(query.per)]
        let (data, response) = try await send(method: "GET", path: "meetings", query: query.queryString, headers: headers, retryable: true)
        let list = try decode([Meeting].self, from: data, what: "a list of meetings")
        func number(_ header: String) -> Int? {
            response.value(forHTTPHeaderField: header).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        let total = number("X-Total")
        let link = response.value(forHTTPHeaderField: "Link").map { $0.contains("rel=\"next\"") || $0.contains("rel=next") }
        // A server may clamp the page size (e.g. X-Per 500 -> 100): count with what it used.
        let per = number("X-Per").flatMap { $0 > 0 ? $0 : nil } ?? query.per
        var page = MeetingPage(meetings: list, page: query.page, per: per, total: total, linkHasNext: link)
        page.body = data
        return page
    }

    /// Every page from `query.page` on. A server may clamp `X-Per` without
    /// saying so, so a page is the last only when it is empty or shorter than
    /// the first page (or the totals say the end).
    public func allPages(_ query: MeetingQuery, maxPages: Int = 10_000) async throws -> [MeetingPage] {
        var q = query
        var pages: [MeetingPage] = []
        var firstCount: Int?
        for _ in 0..<maxPages {
            let page = try await meetings(q)
            if page.meetings.isEmpty { pages.append(page); break }
            if let previousFirst = pages.last?.meetings.first?.id, previousFirst == page.meetings.first?.id { break }
            pages.append(page)
            if page.linkHasNext == false { break }
            if let total = page.total, page.page * page.per >= total { break }
            if let firstCount {
                if page.meetings.count < firstCount { break }
            } else {
                firstCount = page.meetings.count
            }
            q.page += 1
        }
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
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw APIError.notFound("a meeting id is required") }
        do {
            let (data, _) = try await send(method: "GET", path: "meetings/" + MeetingQuery.percentEncode(trimmed), retryable: true)
            return (try decode(Meeting.self, from: data, what: "a meeting"), data)
        } catch APIError.notFound {
            throw APIError.notFound("no meeting with id \(trimmed)")
        }
    }

    /// `POST /meetings`. Never retried on its own: a lost answer may mean it was created.
    public func createMeeting(_ new: NewMeeting) async throws -> Meeting {
        try await createMeetingResponse(new).meeting
    }

    /// `POST /meetings`, with the server's bytes. The body is `NewMeeting.jsonBody()`:
    /// custom data exactly as typed.
    public func createMeetingResponse(_ new: NewMeeting) async throws -> (meeting: Meeting, body: Data) {
        let (data, _) = try await send(method: "POST", path: "meetings", body: new.jsonBody(), retryable: false)
        if let errors = Self.validationErrors(in: data), !errors.isEmpty {
            throw APIError.validation(errors)
        }
        return (try decode(Meeting.self, from: data, what: "the created meeting"), data)
    }

    // MARK: Transport

    private func url(path: String, query: String) -> URL {
        var base = configuration.baseURL.absoluteString
        if base.hasSuffix("/") { base.removeLast() }
        let text = base + "/" + path + (query.isEmpty ? "" : "?" + query)
        return URL(string: text) ?? configuration.baseURL
    }

    private func send(
        method: String, path: String, query: String = "", headers: [String: String] = [:],
        body: Data? = nil, authorized: Bool = true, retryable: Bool
    ) async throws -> (Data, HTTPURLResponse) {
        var attempt = 0
        var reauthenticated = false
        while true {
            attempt += 1
            var request = URLRequest(url: url(path: path, query: query))
            request.httpMethod = method
            request.timeoutInterval = configuration.requestTimeout
            for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
            if let body {
                request.httpBody = body
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            if authorized {
                let token = try await validSession().token
                request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")
            }
            do {
                let (data, response) = try await perform(request, label: "\(method) /\(path)\(query.isEmpty ? "" : "?" + query)")
                switch response.statusCode {
                case 200..<300:
                    return (data, response)
                case 401 where authorized && !reauthenticated:
                    // The token may have been revoked or expired early: one fresh token, one retry.
                    reauthenticated = true
                    current = nil
                    attempt -= 1
                    continue
                default:
                    throw Self.error(status: response.statusCode, body: data)
                }
            } catch let error as APIError {
                guard retryable, error.isTransient, attempt < configuration.retry.maxAttempts else { throw error }
                let wait = configuration.retry.delay(afterAttempt: attempt)
                configuration.logger?.info("retrying after error", metadata: ["error": "\(error)", "attempt": "\(attempt)", "wait_ms": "\(Int(wait * 1000))"])
                try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            }
        }
    }

    private func perform(_ request: URLRequest, label: String) async throws -> (Data, HTTPURLResponse) {
        let started = Date()
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                throw APIError.invalidResponse("not an HTTP response")
            }
            configuration.logger?.info("\(label) -> \(http.statusCode)", metadata: ["ms": "\(Int(Date().timeIntervalSince(started) * 1000))", "bytes": "\(data.count)"])
            return (data, http)
        } catch let error as APIError {
            throw error
        } catch {
            let mapped = Self.error(transport: error)
            configuration.logger?.warning("\(label) failed", metadata: ["error": "\(mapped)"])
            throw mapped
        }
    }

    static func error(transport error: Error) -> APIError {
        if error is CancellationError { return .offline("cancelled") }
        guard let u = error as? URLError else { return .offline(String(describing: type(of: error))) }
        switch u.code {
        case .timedOut: return .timeout
        case .cannotConnectToHost: return .offline("connection refused")
        case .cannotFindHost, .dnsLookupFailed: return .offline("host not found")
        case .notConnectedToInternet: return .offline("no network connection")
        case .networkConnectionLost: return .offline("connection lost")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return .offline("TLS handshake failed")
        case .badServerResponse, .cannotParseResponse: return .invalidResponse("malformed HTTP response")
        case .cancelled: return .offline("cancelled")
        default: return .offline("network error \(u.code.rawValue)")
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
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            let detail: String
            if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) == nil {
                detail = data.isEmpty ? "empty body where \(what) was expected" : "body is not JSON (expected \(what))"
            } else {
                detail = "JSON is not \(what)"
            }
            throw APIError.invalidResponse(detail)
        }
    }
}
