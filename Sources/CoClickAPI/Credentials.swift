#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The API key pair. The secret key never appears in a description, a dump
/// or a log line: every printable form of this value redacts it.
public struct Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var secretID: String
    public var secretKey: String

    public init(secretID: String, secretKey: String) {
        self.secretID = secretID
        self.secretKey = secretKey
    }

    public var description: String { "Credentials(secret_id: \(secretID), secret_key: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["secretID": secretID, "secretKey": "<redacted>"]) }
}

/// Where the API lives, checked before any request is sent.
public enum APIEndpoint {
    /// Parses and checks a base URL: http(s) only, and plain `http://` only to
    /// a loopback host unless the user explicitly allows it.
    public static func baseURL(_ text: String, allowInsecureHTTP: Bool = false) throws -> URL {
        let trimmed = text.trimmed
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
              let host = url.host, !host.isEmpty else {
            throw APIError.configuration("API URL '\(trimmed)' is not a valid URL (expected e.g. https://www.coclick.io/api/v1)")
        }
        switch scheme {
        case "https":
            return url
        case "http":
            if isLoopback(host) || allowInsecureHTTP { return url }
            throw APIError.configuration("refusing plain http:// API URL to non-loopback host '\(host)': the secret key would travel unencrypted; use https:// or pass --allow-insecure-http")
        default:
            throw APIError.configuration("API URL '\(trimmed)' must start with https:// (or http:// for a loopback host)")
        }
    }

    /// "127.0.0.1:8080", "[::1]:8080", "api.example.com": the server as a
    /// person tells it apart, the port only when it is not the scheme's own.
    public static func hostAndPort(_ url: URL) -> String {
        guard let host = url.host, !host.isEmpty else { return url.absoluteString }
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let scheme = url.scheme?.lowercased()
        guard let port = url.port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) else { return shown }
        return "\(shown):\(port)"
    }

    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().filter { $0 != "[" && $0 != "]" }
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }
}
