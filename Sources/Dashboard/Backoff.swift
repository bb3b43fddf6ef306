import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Polling after failures: capped exponential backoff, so a broken or
/// maintained server is not hammered and the screen says what is going on.
/// The cap is a minute: a dashboard left open for days notices within a
/// minute that the server is back, without a key press.
public enum Backoff {
    public static let base: TimeInterval = 2
    public static let cap: TimeInterval = 60

    /// The wait before the next poll after `failures` consecutive failures (>= 1).
    public static func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures > 0 else { return 0 }
        let exp = min(failures - 1, 20)
        return min(cap, base * Double(1 << exp))
    }

    /// The longest a server's `Retry-After` holds polling back: a manual
    /// refresh still asks at once, and a day is as long as a dashboard waits unasked.
    public static let retryAfterCap: TimeInterval = 86_400

    /// The wait after a failed poll: the back-off, or what a rate-limiting
    /// API asked for when that is longer.
    public static func delay(afterFailures failures: Int, error: APIError?) -> TimeInterval {
        let backoff = delay(afterFailures: failures)
        guard case .rateLimited(let after?)? = error?.underlying else { return backoff }
        return max(backoff, min(after, retryAfterCap))
    }
}

/// The connection as shown in the footer, in words.
public enum ConnectionState: Sendable, Hashable {
    case connecting, ok, retrying, offline, maintenance, rateLimited, keyRejected

    public var words: String {
        switch self {
        case .connecting: return "connecting"
        case .ok: return "ok"
        case .retrying: return "retrying"
        case .offline: return "offline"
        case .maintenance: return "maintenance"
        case .rateLimited: return "rate limited"
        case .keyRejected: return "API key rejected"
        }
    }

    /// Network failures in a row before "retrying" becomes "offline": one
    /// dropped packet is not an outage.
    public static let offlineAfterFailures = 3

    /// The state after a failed poll; `failures` counts this one.
    public static func after(_ error: APIError, failures: Int) -> ConnectionState {
        switch error {
        case .unauthorized, .configuration: return .keyRejected
        case .maintenance: return .maintenance
        case .rateLimited: return .rateLimited
        case .offline, .timeout: return failures >= offlineAfterFailures ? .offline : .retrying
        default: return .retrying
        }
    }

    /// False once the API key was rejected: polling stops until the user retries.
    public var pollsAutomatically: Bool { self != .keyRejected }
}
