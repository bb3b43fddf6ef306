import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// The ready-to-send text for a meeting's prospect: `i` in the dashboard
/// copies it, `coclick meetings show ID --invitation` prints it. One
/// function makes it for both, from the config's `invitation` template.
public enum Invitation {
    /// What a template may name, as `{start}`.
    public enum Placeholder: String, CaseIterable, Sendable {
        /// "Tue 8 Dec, 10:00" (the year too when it is not this one).
        case start
        /// "–11:00" (with its dash; the day too when it is another), empty when `duration` is unknown.
        case end
        /// "CET": the zone's own abbreviation at the start.
        case zone
        case prospectURL = "prospect_url"
        /// The cobrowsing site.
        case site
        /// The meeting's owner.
        case user
    }

    public static let defaultTemplate = """
        Hello,

        Here is the link to our co-browsing session on {start}{end} {zone}:
        {prospect_url}

        Open it at that time in your browser: nothing to install. We will go through {site} together.

        See you then,
        {user}
        """

    /// Why a template cannot be used (an unknown `{name}`), or nil.
    public static func problem(in template: String) -> String? {
        let unknown = names(in: template).filter { Placeholder(rawValue: $0) == nil }
        guard let first = unknown.first else { return nil }
        let known = Placeholder.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")
        return "unknown placeholder {\(SafeText.escape(first))} (use \(known))"
    }

    /// Why a meeting has no invitation.
    public enum Refusal: Error, Sendable, Hashable {
        case noStart
        case noProspectURL
        /// Pasted, control characters would act on whatever terminal gets them (escaped here).
        case controlCharacters(String)

        public func message(_ m: Meeting) -> String {
            switch self {
            case .noStart: return "Meeting \(SafeText.escape(m.shortID)) has no start time: no invitation"
            case .noProspectURL: return "Meeting \(SafeText.escape(m.shortID)) has no \(RoomLink.prospect.label): no invitation"
            case .controlCharacters(let url): return "The \(RoomLink.prospect.label) holds control characters; no invitation: \(url)"
            }
        }
    }

    /// The invitation for `m` (a detail: the list has no room URLs), its
    /// times in `zone`. Server text in it is escaped.
    public static func text(template: String, meeting m: Meeting, zone: LocalZone, now: Date) -> Result<String, Refusal> {
        guard let start = m.startsAt?.date else { return .failure(.noStart) }
        guard let raw = RoomLink.prospect.url(in: m) else { return .failure(.noProspectURL) }
        let url = SafeText.escape(raw)
        guard url == raw else { return .failure(.controlCharacters(url)) }
        let cal = LocalTime.calendar(zone.zone)
        var end = ""
        if let seconds = m.duration, seconds > 0 {
            let finish = start.addingTimeInterval(TimeInterval(seconds))
            end = "–" + (cal.isDate(finish, inSameDayAs: start) ? Agenda.clock(finish, cal) : when(finish, cal, now: now))
        }
        let values: [Placeholder: String] = [
            .start: when(start, cal, now: now), .end: end, .zone: SafeText.escape(zone.abbreviation(at: start)),
            .prospectURL: url, .site: SafeText.escape(m.cobrowsingURL ?? ""), .user: SafeText.escape(m.user ?? ""),
        ]
        // One pass, so a value holding "{user}" is never expanded again.
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = rest[rest.index(after: open)..<close]
            if let p = Placeholder(rawValue: String(name)) {
                out += rest[..<open]
                out += values[p] ?? ""
            } else {
                out += rest[...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return .success(out + rest)
    }

    /// "Tue 8 Dec, 10:00"; "Fri 7 Jan 2028, 09:30" in another year.
    static func when(_ date: Date, _ cal: Calendar, now: Date) -> String {
        let c = cal.dateComponents([.year, .month, .day, .weekday], from: date)
        var day = "\(Agenda.weekdays[((c.weekday ?? 1) - 1 + 7) % 7]) \(c.day ?? 0) \(Agenda.months[((c.month ?? 1) - 1 + 12) % 12])"
        if c.year != cal.component(.year, from: now) { day += " \(c.year ?? 0)" }
        return day + ", " + Agenda.clock(date, cal)
    }

    /// The `{name}`s a template holds: letters and `_` between braces (other braces are text).
    static func names(in template: String) -> [String] {
        var out: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = rest[rest.index(after: open)..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { out.append(String(name)) }
            rest = rest[rest.index(after: close)...]
        }
        return out
    }
}

extension Reducer {
    /// `i`: the invitation for the selected meeting, fetched first from the list (it has no room URLs).
    static func invitationRequest(_ state: inout AppState, id: String?) -> [Effect] {
        withDetail(&state, id: id, fetching: "Fetching the meeting for its invitation…", purpose: .invitation, copyInvitation)
    }

    static func copyInvitation(_ state: inout AppState, _ m: Meeting) -> [Effect] {
        switch Invitation.text(template: state.invitation, meeting: m, zone: state.zone, now: state.now) {
        case .failure(let refusal):
            say(&state, refusal.message(m), error: true, seconds: uncopiedURLSeconds)
            return []
        case .success(let text):
            if state.clipboardMode == .off {
                say(&state, "Copying is off (clipboard = off): coclick meetings show \(SafeText.escape(m.shortID)) --invitation prints it", seconds: uncopiedURLSeconds)
                return []
            }
            say(&state, "Copying the invitation…")
            return [.copy(text: text, label: "invitation for \(SafeText.escape(m.shortID))")]
        }
    }
}
