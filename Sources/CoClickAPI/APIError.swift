
/// Everything a call to the API can fail with, each with a sentence a person
/// understands. No case ever carries the secret key or a token.
public enum APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400 without an `errors` object.
    case badRequest(String?)
    /// 401: the secret id/key (or a renewed token) was refused.
    case unauthorized
    /// 404.
    case notFound(String)
    /// 400 or 422 with the documented `errors` object.
    case validation(ValidationErrors)
    /// 500 and other 5xx but 503.
    case server(status: Int)
    /// 503: maintenance.
    case maintenance
    /// Any other unexpected HTTP status.
    case unexpectedStatus(Int)
    /// The request or the connection timed out.
    case timeout
    /// No connection: refused, unreachable host, DNS failure, dropped connection.
    case offline(String)
    /// 407 from the proxy (`host:port`): it wants credentials, or refused the
    /// ones in the proxy URL. Asking again gets the same answer.
    case proxyAuthentication(proxy: String, hadCredentials: Bool)
    /// The server's certificate was refused: trying again gets the same certificate.
    case tls(TLSProblem)
    /// 429: the API asks to slow down, for `retryAfter` seconds when it says
    /// (`Retry-After`, counted from when the answer came).
    case rateLimited(retryAfter: Double?)
    /// A body that is not the JSON the documentation describes.
    case invalidResponse(String)
    /// A setting the client cannot use (bad base URL, missing credentials).
    case configuration(String)
    /// A request that is never retried (`POST /meetings`) was sent in full
    /// and its answer lost (the inner error says how): it may have been
    /// carried out. Every other failure of such a request means it was not.
    indirect case unconfirmed(APIError)

    public var description: String {
        switch self {
        case .badRequest(let m):
            return "the API refused the request as invalid (400)" + (m.map { ": \($0)" } ?? "")
        case .unauthorized:
            return "authentication failed (401): the API key (secret id / secret key) was rejected"
        case .notFound(let what):
            return "not found (404): \(what)"
        case .validation(let errors):
            let parts = errors.orderedFields.map { "\($0.field): \($0.messages.joined(separator: "; "))" }
            return "the API rejected the meeting: " + parts.joined(separator: ", ")
        case .server(let status):
            return "the CoClick server had a problem (\(status)); try again later"
        case .maintenance:
            return "the CoClick API is offline for maintenance (503); try again later"
        case .unexpectedStatus(let s):
            return "unexpected HTTP status \(s) from the API"
        case .timeout:
            return "the API did not answer in time (timeout)"
        case .offline(let detail):
            return "cannot reach the API: \(detail)"
        case .proxyAuthentication(let proxy, let had):
            return had
                ? "the proxy \(proxy) refused the user and password in the proxy URL (407 Proxy Authentication Required)"
                : "the proxy \(proxy) wants credentials (407 Proxy Authentication Required): put user:password@ in the proxy URL"
        case .tls(let problem):
            return "cannot reach the API: " + problem.description
        case .rateLimited(let after):
            guard let after else { return "the API is limiting requests (429); try again later" }
            return "the API is limiting requests (429) and asks to wait \(Self.span(after)) before trying again"
        case .invalidResponse(let detail):
            return "the API sent a response that is not the expected JSON: \(detail)"
        case .configuration(let m):
            return m
        case .unconfirmed(let inner):
            return inner.description
        }
    }

    /// Worth trying again for a GET: the server or the network may recover.
    public var isTransient: Bool {
        switch self {
        case .server, .maintenance, .timeout, .offline, .invalidResponse: return true
        default: return false
        }
    }

    /// The request was sent and then no readable answer came back: a timeout,
    /// a dropped connection, an unreadable reply. (A refused connection or a
    /// TLS failure never gets that far: the request is not sent.)
    var answerMayBeLost: Bool {
        switch self {
        case .timeout, .offline, .invalidResponse: return true
        default: return false
        }
    }

    /// "59m", "2h 5m", "30s": a wait as people say it, rounded up.
    public static func span(_ seconds: Double) -> String {
        let s = Int(max(0, seconds.rounded(.up)))
        if s < 60 { return "\(s)s" }
        let m = (s + 59) / 60
        if m < 60 { return "\(m)m" }
        return m % 60 == 0 ? "\(m / 60)h" : "\(m / 60)h \(m % 60)m"
    }

    /// The failure itself, without the `.unconfirmed` wrapper.
    public var underlying: APIError {
        if case .unconfirmed(let inner) = self { return inner.underlying }
        return self
    }

    /// True for `.unconfirmed`: the request was sent, so what it asked for may have happened.
    public var mayHaveBeenCarriedOut: Bool {
        if case .unconfirmed = self { return true }
        return false
    }
}

/// Why a TLS connection was refused, in the words a person can act on.
public enum TLSProblem: Sendable, Equatable, CustomStringConvertible {
    /// Signed by no CA this machine trusts (self-signed, unknown issuer).
    case untrusted
    case expired
    case notYetValid
    case wrongHost
    /// Anything else the handshake failed on.
    case handshake

    public var description: String {
        switch self {
        case .untrusted:
            return "TLS: the server's certificate is not trusted by this machine (if a proxy inspects TLS here, set SSL_CERT_FILE to its CA bundle)"
        case .expired:
            return "TLS: the server's certificate has expired (check the server's certificate, and this machine's clock)"
        case .notYetValid:
            return "TLS: the server's certificate is not valid yet (check this machine's clock)"
        case .wrongHost:
            return "TLS: the server's certificate is for another host name"
        case .handshake:
            return "TLS handshake failed"
        }
    }
}
