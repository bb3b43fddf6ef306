import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// The countdown words for the API's typed status.
extension Countdown {
    public static func text(status: MeetingStatus, startsAt: Date?, now: Date) -> String {
        text(status: status.rawValue, startsAt: startsAt, now: now)
    }

    public static func isWithinReminder(status: MeetingStatus, startsAt: Date?, now: Date, minutes: Int) -> Bool {
        isWithinReminder(status: status.rawValue, startsAt: startsAt, now: now, minutes: minutes)
    }
}
