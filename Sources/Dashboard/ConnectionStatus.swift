#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CoClickAPI
import TerminalText

/// The footer's connection line, in words (never colour alone):
///
/// - `ok · updated 12s ago`
/// - `retrying (3) · next try in 8s · data 40s old · the CoClick server had a problem (500)…`
/// - `offline · data 2m 10s old · next try in 16s · cannot reach the API: connection refused`
/// - `maintenance · data 1m 05s old · next try in 8s · the CoClick API is offline for maintenance (503)…`
/// - `rate limited · data 1m 05s old · next try in 59m · the API is limiting requests (429)…`
/// - `API key rejected · polling stopped, r retries · data 5m 00s old · authentication failed (401)…`
///
/// While a poll is in flight after failures, "next try in" reads "trying now…".
/// Rows drawn from the cache before the first answer add "cached 3m ago".
public struct ConnectionStatus: Sendable, Hashable {
    /// The coloured part: the state, with the failure count while retrying.
    public var badge: String
    /// Everything after it, starting with "· ".
    public var detail: String

    public var text: String { badge + " " + detail }

    public init(_ state: AppState) {
        let c = state.connection
        badge = c == .retrying ? "\(c.words) (\(state.consecutiveFailures))" : c.words
        var parts: [String] = []
        // Before the first answer the rows may come from the cache: say how old they are.
        let cached = state.lastSuccess == nil ? state.cachedAt : nil
        let age = (state.lastSuccess ?? cached).map { ConnectionStatus.span(state.now.timeIntervalSince($0)) }
        if let cached { parts.append("cached " + Countdown.duration(max(0, state.now.timeIntervalSince(cached)), style: .coarse) + " ago") }
        switch c {
        case .connecting:
            parts.append(state.isLoading ? "loading…" : cached == nil ? "no data yet" : "not refreshed yet")
        case .ok:
            parts.append(age.map { "updated \($0) ago" } ?? "no data yet")
        case .retrying, .offline, .maintenance, .rateLimited, .keyRejected:
            let next: String
            if state.isLoading {
                next = "trying now…"
            } else if c == .keyRejected {
                next = "polling stopped, \(state.keymap.keysText(.refresh, in: .list)) retries"
            } else {
                let at = state.nextPollAt ?? state.now.addingTimeInterval(state.nextPollDelay)
                let wait = max(0, at.timeIntervalSince(state.now))
                // A rate limit's wait can be an hour: minutes read better than 3600s.
                next = "next try in " + (wait < 120 ? "\(Int(wait.rounded(.up)))s" : APIError.span(wait))
            }
            let data = age.map { "data \($0) old" } ?? "no data yet"
            // Offline and maintenance lead with the data's age: that is what the presenter must know.
            parts += c == .retrying || c == .keyRejected || c == .rateLimited ? [next, data] : [data, next]
            if let e = state.lastError { parts.append(SafeText.escape(e)) }
        }
        detail = "· " + parts.joined(separator: " · ")
    }

    /// "40s", "2m 10s", "1h 05m", "3d 04h": an age that reads at a glance.
    public static func span(_ interval: TimeInterval) -> String {
        let t = max(0, Int(interval.rounded(.down)))
        if t < 60 { return "\(t)s" }
        if t < 3600 { return "\(t / 60)m \((t % 60).zeroPadded())s" }
        if t < 86_400 { return "\(t / 3600)h \(((t % 3600) / 60).zeroPadded())m" }
        return "\(t / 86_400)d \(((t % 86_400) / 3600).zeroPadded())h"
    }
}
