
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
