import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

extension MeetingStatus {
    /// Where the meeting is, for its countdown words.
    public var phase: Countdown.Phase {
        switch self {
        case .scheduled: return .upcoming
        case .inProgress: return .live
        case .closed: return .ended
        case .cancelled: return .cancelled
        case .other(let name): return .unknown(name)
        }
    }
}

/// The countdown words for the API's typed status.
extension Countdown {
    public static func text(status: MeetingStatus, startsAt: Date?, now: Date) -> String {
        text(status.phase, startsAt: startsAt, now: now)
    }

    public static func isWithinReminder(status: MeetingStatus, startsAt: Date?, now: Date, minutes: Int) -> Bool {
        isWithinReminder(status.phase, startsAt: startsAt, now: now, minutes: minutes)
    }
}

/// Status words as people read them: "in progress"; the other documented
/// values as they are; anything else exactly as the server sent it (escaped).
public enum StatusWord {
    /// At most 6 cells, for a narrow list: "sched", "live", "closed", "cancel".
    public static func short(_ status: MeetingStatus) -> String {
        switch status {
        case .scheduled: return "sched"
        case .inProgress: return "live"
        case .closed: return "closed"
        case .cancelled: return "cancel"
        case .other(let name): return SafeText.escape(String(name.prefix(6)))
        }
    }

    public static func text(_ status: MeetingStatus) -> String {
        switch status {
        case .inProgress: return "in progress"
        case .scheduled, .closed, .cancelled: return status.rawValue
        case .other(let name): return SafeText.escape(name)
        }
    }
}
