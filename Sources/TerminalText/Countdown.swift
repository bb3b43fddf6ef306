#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The words for time: the live countdown column, a meeting's duration, how
/// long ago something was. The caller says where a meeting is in its life
/// (`Phase`): this module knows no API status names.
public enum Countdown {
    /// Where a meeting is, as far as its countdown words go.
    public enum Phase: Sendable, Hashable {
        /// Not started yet.
        case upcoming
        /// Running.
        case live
        case ended
        case cancelled
        /// A status the client does not know: only its name is said.
        case unknown(String)
    }

    /// "in 4m 12s" (< 1h), "in 2h 05m" (< 1d), "in 3d 04h", "live 12m",
    /// "ended", "cancelled"; an upcoming meeting past its start is "due now"
    /// for its first minute, then "late 3m"; a live one whose start is still
    /// ahead "starts in 3m"; an unknown status its name (escaped), and no
    /// countdown, which only a known status could justify.
    public static func text(_ phase: Phase, startsAt: Date?, now: Date) -> String {
        switch phase {
        case .cancelled: return "cancelled"
        case .ended: return "ended"
        case .unknown(let name): return SafeText.escape(name)
        case .live:
            guard let s = startsAt else { return "live" }
            let left = s.timeIntervalSince(now)
            // Started early: the start time is still the truth to count to.
            if left >= 60 { return "starts in " + duration(left, style: .minutes) }
            if left > 0 { return "starts in <1m" }
            return "live " + duration(-left, style: .minutes)
        case .upcoming:
            guard let s = startsAt else { return Glyph.dash.rawValue }
            let left = s.timeIntervalSince(now)
            if left > 0 { return "in " + duration(left, style: .countdown) }
            if left > -60 { return "due now" }
            return "late " + duration(-left, style: .minutes)
        }
    }

    /// A time relative to now, for a date being typed: "in 2h 05m", "now", "3h ago".
    public static func relative(_ date: Date, now: Date) -> String {
        let delta = date.timeIntervalSince(now)
        if delta >= 1 { return "in " + duration(delta, style: .countdown) }
        if delta > -60 { return "now" }
        return duration(-delta, style: .coarse) + " ago"
    }

    public enum Style: Sendable { case countdown, minutes, coarse }

    /// Whole seconds, truncated, so the text changes exactly once a second.
    public static func duration(_ interval: TimeInterval, style: Style) -> String {
        let total = Int(interval.rounded(.down))
        let d = total / 86_400, h = (total % 86_400) / 3600, m = (total % 3600) / 60, s = total % 60
        switch style {
        case .countdown:
            if total < 3600 { return "\(m)m \(s.zeroPadded())s" }
            if total < 86_400 { return "\(h)h \(m.zeroPadded())m" }
            return "\(d)d \(h.zeroPadded())h"
        case .minutes:
            if total < 3600 { return "\(m)m" }
            if total < 86_400 { return "\(h)h \(m.zeroPadded())m" }
            return "\(d)d \(h.zeroPadded())h"
        case .coarse:
            // "3h ago", "2d ago": one unit is enough for the past.
            if total < 60 { return "\(total)s" }
            if total < 3600 { return "\(total / 60)m" }
            if total < 86_400 { return "\(total / 3600)h" }
            return "\(total / 86_400)d"
        }
    }

    /// True for an upcoming meeting that starts within `minutes` from now.
    public static func isWithinReminder(_ phase: Phase, startsAt: Date?, now: Date, minutes: Int) -> Bool {
        guard phase == .upcoming, let s = startsAt, minutes > 0 else { return false }
        let left = s.timeIntervalSince(now)
        return left >= -60 && left <= Double(minutes) * 60
    }
}

/// A meeting's `duration`. The API documents no unit: coclick reads it as
/// seconds (Rails' convention for a stored duration) and shows "1h 00m".
public enum MeetingDuration {
    public static func text(seconds: Int) -> String {
        guard seconds >= 0 else { return "\(seconds)s" }
        let h = seconds / 3600, m = (seconds % 3600) / 60, s = seconds % 60
        if h > 0 { return "\(h)h \(m.zeroPadded())m" + (s > 0 ? " \(s.zeroPadded())s" : "") }
        if m > 0 { return "\(m)m" + (s > 0 ? " \(s.zeroPadded())s" : "") }
        return "\(s)s"
    }
}

/// Local dates and times, the same in the commands and the dashboard.
public enum LocalTime {
    /// "2026-12-01 14:30" in `zone`.
    public static func startText(_ date: Date, zone: TimeZone) -> String {
        let c = calendar(zone).dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(c.year ?? 0)-\((c.month ?? 0).zeroPadded())-\((c.day ?? 0).zeroPadded()) \((c.hour ?? 0).zeroPadded()):\((c.minute ?? 0).zeroPadded())"
    }

    /// The start of the day that holds `now` in `zone`: where "today" begins
    /// for the dashboard's list and `meetings list`.
    public static func startOfDay(_ now: Date, zone: TimeZone) -> Date {
        calendar(zone).startOfDay(for: now)
    }

    /// "Europe/Paris (UTC+01:00)": the zone named once, in a header; "Europe/Paris"
    /// without the offset. A zone that is UTC is "UTC"; one that is only an offset
    /// ("GMT+0530", "Etc/GMT-3") is that offset, "UTC+05:30", either way.
    public static func zoneName(_ zone: TimeZone, at date: Date, withOffset: Bool = true) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let utc = offsetText(offset)
        let id = zone.identifier
        if ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Universal", "Zulu", "Etc/Universal", "Etc/Zulu"].contains(id), offset == 0 { return "UTC" }
        if id.isEmpty || id.hasPrefix("GMT") || id.hasPrefix("Etc/") { return utc }
        return withOffset ? "\(id) (\(utc))" : id
    }

    /// "UTC+05:30" for 19800 seconds east of UTC.
    public static func offsetText(_ offset: Int) -> String {
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return "UTC\(sign)\((a / 3600).zeroPadded()):\(((a % 3600) / 60).zeroPadded())"
    }

    public static func calendar(_ zone: TimeZone) -> Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return cal
    }
}
