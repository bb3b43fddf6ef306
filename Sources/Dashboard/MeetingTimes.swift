import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// A meeting's times as the list shows them, with what the state knows of it
/// (the list row, or its detail once loaded).
extension AppState {
    /// Start plus `duration` (seconds), when the server said how long it lasts.
    public func end(of m: Meeting) -> Date? {
        guard let seconds = m.duration ?? details[m.id]?.duration, seconds > 0,
              let start = m.startsAt?.date else { return nil }
        return start.addingTimeInterval(TimeInterval(seconds))
    }

    /// The row's countdown: "ends in 12m" for a live meeting whose end is
    /// known and ahead, else the status's words.
    public func countdownText(_ m: Meeting) -> String {
        if m.status == .inProgress, let start = m.startsAt?.date, start <= now, let end = end(of: m), end > now {
            return "ends in " + Countdown.duration(end.timeIntervalSince(now), style: .minutes)
        }
        return Countdown.text(status: m.status, startsAt: m.startsAt?.date, now: now)
    }

    /// "10:00" or, with the end known, "10:00–11:00".
    public func timeText(_ m: Meeting, withEnd: Bool) -> String {
        guard let start = m.startsAt?.date else { return "—" }
        let cal = Agenda.calendar(timeZone)
        let from = Agenda.clock(start, cal)
        guard withEnd, let end = end(of: m) else { return from }
        return from + "–" + Agenda.clock(end, cal)
    }
}
