#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
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
            throw APIError.configuration("API URL '\(redacted(trimmed))' is not a valid URL (expected e.g. https://www.coclick.io/api/v1)")
        }
        switch scheme {
        case "https":
            return url
        case "http":
            if isLoopback(host) || allowInsecureHTTP { return url }
            throw APIError.configuration("refusing plain http:// API URL to non-loopback host '\(host)': the secret key would travel unencrypted; use https:// or pass --allow-insecure-http")
        default:
            throw APIError.configuration("API URL '\(redacted(trimmed))' must start with https:// (or http:// for a loopback host)")
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

    /// True only for a literal loopback address: `localhost` itself, an IPv4
    /// literal in 127.0.0.0/8 (four decimal parts, as written in URLs), or an
    /// IPv6 literal for ::1 (or an IPv4-mapped 127.x address), with or
    /// without brackets. A host *name* such as `127.example.com` or
    /// `localhost.example.com` resolves wherever its owner says: not loopback.
    public static func isLoopback(_ host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("["), h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" { return true }
        if let v4 = ipv4Literal(h) { return v4 >> 24 == 127 }
        guard h.contains(":"), !h.contains("%") else { return false }
        var bytes = in6_addr()
        guard inet_pton(AF_INET6, h, &bytes) == 1 else { return false }
        let b = withUnsafeBytes(of: &bytes) { Array($0) }
        let loopback6 = b[0..<15].allSatisfy { $0 == 0 } && b[15] == 1
        let mapped127 = b[0..<10].allSatisfy { $0 == 0 } && b[10] == 0xff && b[11] == 0xff && b[12] == 127
        return loopback6 || mapped127
    }

    /// A dotted-quad IPv4 literal (`127.0.0.1`), nil for anything else.
    static func ipv4Literal(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = UInt8(part) else { return nil }
            value = value << 8 | UInt32(n)
        }
        return value
    }

    /// A proxy or API URL without the user and password written in it, for
    /// messages: `http://user:pw@host:1/x` becomes `http://***@host:1/x`.
    /// Only the authority (up to the first `/`, `?` or `#`) is looked at.
    public static func redacted(_ text: String) -> String {
        let start = text.firstRange(of: "://")?.upperBound ?? text.startIndex
        let end = text[start...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
        guard let at = text[start..<end].lastIndex(of: "@") else { return text }
        return String(text[..<start]) + "***@" + String(text[text.index(after: at)...])
    }
}
