import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// What the dashboard does to tell the presenter a meeting is near
/// (config `notify`).
public enum NotifyMode: String, Sendable, Hashable, CaseIterable {
    /// Bell, desktop notification (OSC 9 and OSC 777) and the window title.
    case all
    /// The terminal bell only.
    case bell
    /// Nothing beyond the list's marker.
    case off
}

/// One reminder: a meeting entered the reminder lead, or started.
/// A reminder given: which kind, for which meeting (each is given once).
public struct ReminderKey: Hashable, Sendable {
    public var kind: Reminder.Kind
    public var meetingID: String

    public init(_ kind: Reminder.Kind, _ meetingID: String) {
        self.kind = kind
        self.meetingID = meetingID
    }
}

public struct Reminder: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case lead, start }
    public var kind: Kind
    public var meetingID: String
    /// Short and escaped: "coclick".
    public var title: String
    /// Escaped, one line: "in 4m at 14:05: hugh@example.com (2a1aa39a)".
    public var body: String

    public init(kind: Kind, meetingID: String, title: String, body: String) {
        self.kind = kind
        self.meetingID = meetingID
        self.title = title
        self.body = body
    }
}

/// Which reminders are due, and the window title: pure, from the state's clock.
public enum Reminders {
    /// After this long past its start a meeting's start is old news (a late
    /// first load, a laptop waking up): no start reminder.
    public static let startWindow: TimeInterval = 120
    /// The reminders' query asks for at most this many meetings.
    public static let soonLimit = 100

    /// What reminders and the title look at: the meetings near now (asked for by
    /// start time) and the list's, each once; only `me`'s unless `remind = "all"`.
    static func candidates(_ state: AppState) -> [Meeting] {
        var seen = Set<String>()
        var out: [Meeting] = []
        // The list's rows first: a page refreshed this poll is the newest word on a meeting.
        for m in state.meetings + state.soon where seen.insert(m.id).inserted {
            if state.remindAll || state.isMine(m) { out.append(m) }
        }
        return out
    }

    /// The reminders due now that were not given yet; marks them given.
    /// Each meeting gets at most one lead reminder and one start reminder.
    static func due(_ state: inout AppState) -> [Reminder] {
        guard state.notifyMode != .off else { return [] }
        let lead = TimeInterval(state.remindBeforeMinutes) * 60
        var out: [Reminder] = []
        for m in candidates(state) {
            guard let start = m.startsAt?.date else { continue }
            let left = start.timeIntervalSince(state.now)
            let live = m.status == .scheduled || m.status == .inProgress
            if left <= 0, -left < startWindow, live, !state.reminded.contains(ReminderKey(.start, m.id)) {
                state.reminded.insert(ReminderKey(.start, m.id))
                state.reminded.insert(ReminderKey(.lead, m.id))
                out.append(reminder(.start, m, state))
            } else if left > 0, left <= lead, m.status == .scheduled, !state.reminded.contains(ReminderKey(.lead, m.id)) {
                state.reminded.insert(ReminderKey(.lead, m.id))
                out.append(reminder(.lead, m, state))
            }
        }
        return out
    }

    static func reminder(_ kind: Reminder.Kind, _ m: Meeting, _ state: AppState) -> Reminder {
        let at = m.startsAt.map { Agenda.clock($0.date, Agenda.calendar(state.timeZone)) } ?? "?"
        let who = "\(clean(m.user ?? "?", limit: 80)) (\(clean(m.shortID, limit: 16)))"
        let body: String
        switch kind {
        case .lead:
            let left = m.startsAt.map { $0.date.timeIntervalSince(state.now) } ?? 0
            body = "Meeting \(minutesText(left)) at \(at): \(who)"
        case .start:
            body = "Meeting starting now (\(at)): \(who)"
        }
        return Reminder(kind: kind, meetingID: m.id, title: "coclick", body: body)
    }

    /// "in 4m", "in <1m", "in 2h 05m", "in 3d 04h": a minute's precision, for titles and notifications.
    public static func minutesText(_ left: TimeInterval) -> String {
        left < 60 ? "in <1m" : "in " + Countdown.duration(left, style: .minutes)
    }

    /// "coclick · in 4m · hugh@…" for the next meeting to start; "coclick" when none is ahead.
    public static func windowTitle(_ state: AppState) -> String {
        let next = candidates(state).filter { m in
            m.status == .scheduled && (m.startsAt.map { $0.date > state.now } ?? false)
        }.min { ($0.startsAt?.date ?? .distantFuture) < ($1.startsAt?.date ?? .distantFuture) }
        guard let next, let start = next.startsAt?.date else { return "coclick" }
        let user = next.user ?? "?"
        let owner = user.split(separator: "@", maxSplits: 1).first.map { String($0) + (user.contains("@") ? "@…" : "") } ?? user
        return "coclick · \(minutesText(start.timeIntervalSince(state.now))) · \(clean(owner, limit: 24))"
    }

    /// Server text for a title or notification: escaped (no control bytes),
    /// no `;` (a field separator of OSC 777), at most `limit` characters.
    public static func clean(_ s: String, limit: Int) -> String {
        var t = SafeText.escape(s).replacing(";", with: ",")
        if t.count > limit { t = String(t.prefix(limit - 1)) + "…" }
        return t
    }

    /// The effects for reminders and the title after the clock or the list changed.
    static func effects(_ state: inout AppState) -> [Effect] {
        var out: [Effect] = due(&state).map { .remind($0) }
        if state.notifyMode == .all {
            let title = windowTitle(state)
            if title != state.windowTitle {
                state.windowTitle = title
                out.append(.setTitle(title))
            }
        }
        return out
    }
}

/// The bytes that reach the terminal for reminders and titles.
public enum TerminalAlert {
    /// Bell, then (for `.all`) OSC 9 and OSC 777 notify; each OSC wrapped in
    /// the multiplexer's passthrough (`envelope`), as copies are.
    public static func bytes(for r: Reminder, mode: NotifyMode, envelope: OSC52.Envelope) -> String {
        switch mode {
        case .off: return ""
        case .bell: return "\u{07}"
        case .all:
            let title = printable(r.title), body = printable(r.body)
            return "\u{07}" + envelope.wrap("\u{1B}]9;\(title): \(body)\u{07}")
                + envelope.wrap("\u{1B}]777;notify;\(title);\(body)\u{07}")
        }
    }

    /// OSC 2: the window title.
    public static func title(_ text: String) -> String {
        "\u{1B}]2;\(printable(text))\u{07}"
    }

    /// XTWINOPS: save the title on a stack, and give it back.
    public static let pushTitle = "\u{1B}[22;0t"
    public static let popTitle = "\u{1B}[23;0t"

    /// Last line of defence: no control character ever goes inside an OSC.
    static func printable(_ s: String) -> String {
        String(String.UnicodeScalarView(SafeText.escape(s).unicodeScalars.filter { !SafeText.needsEscape($0) }))
    }
}
