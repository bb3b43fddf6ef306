#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The proxy and CA settings a client reads from its environment, the way
/// curl and OpenSSL read them: `https_proxy`/`HTTPS_PROXY` for https URLs,
/// `http_proxy`/`HTTP_PROXY` for http URLs, `all_proxy`/`ALL_PROXY` for both,
/// `no_proxy`/`NO_PROXY` for hosts that bypass the proxy, and
/// `SSL_CERT_FILE` / `SSL_CERT_DIR` for the CA certificates to trust.
/// The lower-case name wins when both are set (as in curl). Unlike curl,
/// upper-case `HTTP_PROXY` is honoured too: coclick never runs as a CGI
/// program, where an attacker's `Proxy:` header could set it.
public struct NetworkEnvironment: Sendable, Hashable {
    public var httpsProxy: String?
    public var httpProxy: String?
    public var allProxy: String?
    public var noProxy: String?
    public var caFile: String?
    public var caDirectory: String?

    public init(httpsProxy: String? = nil, httpProxy: String? = nil, allProxy: String? = nil,
                noProxy: String? = nil, caFile: String? = nil, caDirectory: String? = nil) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.allProxy = allProxy
        self.noProxy = noProxy
        self.caFile = caFile
        self.caDirectory = caDirectory
    }

    /// Read from an environment dictionary (e.g. `ProcessInfo.processInfo.environment`).
    public init(environment env: [String: String]) {
        func value(_ name: String) -> String? {
            for key in [name.lowercased(), name.uppercased()] {
                if let v = env[key]?.trimmed, !v.isEmpty { return v }
            }
            return nil
        }
        self.init(
            httpsProxy: value("https_proxy"), httpProxy: value("http_proxy"), allProxy: value("all_proxy"),
            noProxy: value("no_proxy"),
            caFile: env["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 },
            caDirectory: env["SSL_CERT_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        )
    }

    /// This process's environment.
    public static var process: NetworkEnvironment {
        NetworkEnvironment(environment: ProcessInfo.processInfo.environment)
    }

    /// The proxy to use for a URL with this scheme and host, or nil to connect directly.
    /// A literal loopback address never goes through a proxy: plain http is
    /// allowed to it only because it never leaves this machine, and a proxy
    /// would carry the secret key across the network in clear.
    public func proxy(scheme: String, host: String) throws -> ProxyServer? {
        let chosen = (scheme.lowercased() == "https" ? httpsProxy : httpProxy) ?? allProxy
        guard let chosen else { return nil }
        if APIEndpoint.isLoopback(host) || bypassesProxy(host: host) { return nil }
        return try ProxyServer(chosen)
    }

    /// `NO_PROXY` as curl reads it: a comma-separated list of host names,
    /// domain suffixes (`example.com` and `.example.com` both match
    /// `api.example.com`), IP addresses, IPv4 CIDR ranges, or `*` for every host.
    /// A `:port` on an entry is ignored.
    public func bypassesProxy(host rawHost: String) -> Bool {
        guard let noProxy else { return false }
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        for raw in noProxy.split(separator: ",") {
            var entry = raw.trimmed.lowercased()
            if entry.isEmpty { continue }
            if entry == "*" { return true }
            if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
                entry = String(entry[entry.index(after: entry.startIndex)..<close])
            } else if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") {
                entry = String(entry[..<colon])
            }
            while entry.hasPrefix(".") { entry.removeFirst() }
            if entry.hasSuffix(".") { entry.removeLast() }
            if entry.isEmpty { continue }
            if entry.contains("/") {
                if Self.ipv4(host, inCIDR: entry) { return true }
                continue
            }
            if host == entry || host.hasSuffix("." + entry) { return true }
        }
        return false
    }

    static func ipv4(_ host: String, inCIDR cidr: String) -> Bool {
        let parts = cidr.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let bits = Int(parts[1]), (0...32).contains(bits),
              let net = ipv4Value(String(parts[0])), let addr = ipv4Value(host) else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
        return (net & mask) == (addr & mask)
    }

    static func ipv4Value(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var v: UInt32 = 0
        for o in octets {
            guard let n = UInt8(o) else { return nil }
            v = v << 8 | UInt32(n)
        }
        return v
    }
}

/// A proxy named by an environment variable: `[http://][user:password@]host[:port]`
/// (port 1080 if none, as in curl) or `socks5://` / `socks5h://host[:port]`.
public struct ProxyServer: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case http, socks5 }
    public var kind: Kind
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?

    public init(kind: Kind = .http, host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.kind = kind
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    public init(_ text: String) throws {
        var rest = Substring(text.trimmed)
        var kind = Kind.http
        if let schemeEnd = rest.firstRange(of: "://") {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            switch scheme {
            case "http": kind = .http
            case "socks5", "socks5h": kind = .socks5
            default:
                throw APIError.configuration("proxy '\(APIEndpoint.redacted(text))': the \(scheme):// scheme is not supported (use http:// or socks5://)")
            }
            rest = rest[schemeEnd.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var user: String?
        var pass: String?
        if let at = rest.lastIndex(of: "@") {
            let info = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = info.firstIndex(of: ":") {
                user = MeetingQuery.percentDecode(String(info[..<colon]))
                pass = MeetingQuery.percentDecode(String(info[info.index(after: colon)...]))
            } else {
                user = MeetingQuery.percentDecode(String(info))
                pass = ""
            }
        }
        var host = String(rest)
        var port = 1080
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                    throw APIError.configuration("proxy '\(APIEndpoint.redacted(text))' has an invalid port")
                }
                port = p
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]), (1...65535).contains(p) else {
                throw APIError.configuration("proxy '\(APIEndpoint.redacted(text))' has an invalid port")
            }
            port = p
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { throw APIError.configuration("proxy '\(APIEndpoint.redacted(text))' names no host") }
        self.init(kind: kind, host: host, port: port, username: user, password: pass)
    }
}
