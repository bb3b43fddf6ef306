import CoClickAPI
import Foundation

/// The live countdown column and the start-time text, from an injected clock.
public enum Countdown {
    /// "in 4m 12s" (< 1h), "in 2h 05m" (< 1d), "in 3d 04h", "live 12m",
    /// "ended", "cancelled"; a scheduled meeting past its start is "due now"
    /// for its first minute, then "late 3m".
    public static func text(status: MeetingStatus, startsAt: Date?, now: Date) -> String {
        switch status {
        case .cancelled: return "cancelled"
        case .closed: return "ended"
        case .inProgress:
            guard let s = startsAt else { return "live" }
            return "live " + duration(max(0, now.timeIntervalSince(s)), style: .minutes)
        case .scheduled, .other:
            guard let s = startsAt else { return "—" }
            let left = s.timeIntervalSince(now)
            if left > 0 { return "in " + duration(left, style: .countdown) }
            if left > -60 { return "due now" }
            return "late " + duration(-left, style: .minutes)
        }
    }

    enum Style { case countdown, minutes }

    /// Whole seconds, truncated, so the text changes exactly once a second.
    static func duration(_ interval: TimeInterval, style: Style) -> String {
        let total = Int(interval.rounded(.down))
        let d = total / 86_400, h = (total % 86_400) / 3600, m = (total % 3600) / 60, s = total % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        switch style {
        case .countdown:
            if total < 3600 { return "\(m)m \(two(s))s" }
            if total < 86_400 { return "\(h)h \(two(m))m" }
            return "\(d)d \(two(h))h"
        case .minutes:
            if total < 3600 { return "\(m)m" }
            if total < 86_400 { return "\(h)h \(two(m))m" }
            return "\(d)d \(two(h))h"
        }
    }

    /// True for a scheduled meeting that starts within `minutes` from now.
    public static func isWithinReminder(status: MeetingStatus, startsAt: Date?, now: Date, minutes: Int) -> Bool {
        guard status == .scheduled, let s = startsAt, minutes > 0 else { return false }
        let left = s.timeIntervalSince(now)
        return left >= -60 && left <= Double(minutes) * 60
    }

    /// "2026-12-01 14:30" in the given (local) zone.
    public static func startText(_ date: Date, zone: TimeZone) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }

    /// "12s ago", "3m ago", "2h ago".
    public static func age(_ interval: TimeInterval) -> String {
        let t = max(0, Int(interval.rounded(.down)))
        if t < 60 { return "\(t)s ago" }
        if t < 3600 { return "\(t / 60)m ago" }
        if t < 86_400 { return "\(t / 3600)h ago" }
        return "\(t / 86_400)d ago"
    }
}
