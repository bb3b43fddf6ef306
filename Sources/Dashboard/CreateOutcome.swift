import CoClickAPI

extension APIError {
    /// The request may have reached the server and been carried out, but no
    /// answer came back: a timeout, a dropped connection, an unreadable reply.
    /// A refused connection or an unknown host never reached it.
    var createMayHaveSucceeded: Bool {
        switch self {
        case .timeout, .invalidResponse: return true
        case .offline(let detail):
            return !["connection refused", "host not found", "no network connection", "TLS handshake failed"].contains(detail)
        default: return false
        }
    }
}
