import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// `coclick next`'s line for status bars: its formats, how far into the
/// reminder lead a meeting is, what a line says once its data is old, and when
/// a line can next read otherwise (so `--watch` sleeps until then).
public enum StatusBar {
    public enum Format: String, CaseIterable, Sendable {
        /// The text alone (i3blocks, polybar, a file).
        case plain
        /// tmux colour markup by status (`#[fg=…]`), for `status-right`.
        case tmux
        /// One JSON object a line (`text`, `tooltip`, `class`, `percentage`), for waybar's `return-type: json`.
        case waybar
    }

    /// 0 before the reminder lead, 100 at the start and while live: how far
    /// into the lead a meeting is (waybar's `percentage`).
    public static func percentage(_ m: Meeting, now: Date, leadMinutes: Int) -> Int {
        switch m.status {
        case .inProgress:
            return 100
        case .scheduled:
            guard let start = m.startsAt?.date, leadMinutes > 0 else { return 0 }
            let lead = TimeInterval(leadMinutes) * 60
            let left = start.timeIntervalSince(now)
            if left <= 0 { return 100 }
            if left >= lead { return 0 }
            return Int(((lead - left) / lead * 100).rounded(.down))
        default:
            return 0
        }
    }

    /// "offline · 3m old": what the connection is and how old the last answer
    /// is, in whole minutes (a line that counted seconds would wake every second).
    public static func staleText(_ state: ConnectionState, age: TimeInterval) -> String {
        let old = age < 60 ? "<1m" : Countdown.duration(age, style: .minutes)
        return "\(state.words) · \(old) old"
    }

    /// Whether the line's data is too old to stand alone: the API is away, not
    /// merely slow once (`retrying` keeps the last line as it is).
    public static func isStale(_ state: ConnectionState) -> Bool {
        switch state {
        case .offline, .maintenance, .rateLimited, .keyRejected: return true
        case .connecting, .ok, .retrying: return false
        }
    }

    /// tmux markup: the colour of the status (the list's colours), yellow in
    /// the reminder lead, red when the data is old. A `#` of the text is
    /// doubled, so server text cannot open tmux markup of its own.
    public static func tmux(_ text: String, status: MeetingStatus?, soon: Bool, stale: Bool) -> String {
        let style: String
        if stale {
            style = "fg=red"
        } else if soon {
            style = "fg=yellow,bold"
        } else {
            switch status {
            case .scheduled?: style = "fg=cyan"
            case .inProgress?: style = "fg=green,bold"
            case .closed?: style = "dim"
            case .cancelled?: style = "fg=red"
            case .other?: style = "fg=yellow"
            case nil: style = "default"
            }
        }
        var escaped = ""
        for ch in text { escaped += ch == "#" ? "##" : String(ch) }
        return "#[\(style)]" + escaped + "#[default]"
    }

    /// One line of JSON for waybar. `text` and `tooltip` are Pango markup to
    /// waybar, so `&`, `<` and `>` are written as entities.
    public static func waybar(text: String, tooltip: String, cssClass: String, percentage: Int) -> String {
        "{\"text\":\(json(markupEscaped(text))),\"tooltip\":\(json(markupEscaped(tooltip))),"
            + "\"class\":\(json(cssClass)),\"percentage\":\(max(0, min(100, percentage)))}"
    }

    static func markupEscaped(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A JSON string literal, controls as `\u00XX`.
    static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// The first moment after `now`, up to `limit`, at which `line` reads
    /// otherwise (found to within `precision`), or nil when it reads the same
    /// until `limit`. Each part of the line that moves with the clock (a
    /// countdown, an age, a percentage) moves one way only, so the same text
    /// at both ends means none changed between, and halving finds the first change.
    public static func nextChange(after now: Date, until limit: Date, precision: TimeInterval = 0.01,
                                  _ line: (Date) -> String) -> Date? {
        guard limit > now else { return nil }
        let current = line(now)
        guard line(limit) != current else { return nil }
        var same = now, differs = limit
        while differs.timeIntervalSince(same) > precision {
            let mid = same.addingTimeInterval(differs.timeIntervalSince(same) / 2)
            if line(mid) == current { same = mid } else { differs = mid }
        }
        return differs
    }
}
