import CoClickAPI
import Dashboard
import Foundation

/// Local-time renderings of API dates for the commands' text output, the same as the dashboard's.
enum LocalTime {
    static func full(_ d: APIDate?, zone: TimeZone = .current) -> String {
        guard let d else { return "—" }
        return Countdown.startText(d.date, zone: zone)
    }
}

/// A meeting as text, every field, each server string escaped.
enum MeetingText {
    static func detail(_ m: Meeting) -> String {
        var rows: [(String, String)] = [
            ("id", SafeText.escape(m.id)),
            ("status", Output.safe(m.status.rawValue)),
            ("starts_at", m.startsAt.map { "\(LocalTime.full($0)) local (\($0.text))" } ?? "—"),
            ("duration", m.duration.map { "\($0) min" } ?? "—"),
            ("user", Output.safe(m.user)),
            ("cobrowsing_url", Output.safe(m.cobrowsingURL)),
        ]
        let cookies = m.cookies ?? []
        rows.append(("cookies", cookies.isEmpty ? "none" : "\(cookies.count)"))
        rows.append(("presenter_waiting_room_iframe_url", Output.safe(m.presenterWaitingRoomIframeURL)))
        rows.append(("prospect_waiting_room_iframe_url", Output.safe(m.prospectWaitingRoomIframeURL)))
        rows.append(("prospect_room_url", Output.safe(m.prospectRoomURL)))
        rows.append(("presenter_room_url", Output.safe(m.presenterRoomURL)))
        let width = rows.map { $0.0.count }.max() ?? 0
        var lines = rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 }
        if !cookies.isEmpty {
            var table = TextTable(header: ["  DOMAIN", "NAME", "VALUE"])
            table.rows = cookies.map { ["  " + Output.safe($0.domain), Output.safe($0.name), Output.safe($0.value)] }
            lines.append(table.render())
        }
        lines.append("custom_data" + String(repeating: " ", count: width - 11 + 2) + (m.customData == nil ? "—" : ""))
        if let data = m.customData {
            lines += SafeText.escapeLines(data.prettyText()).map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}

extension SafeText {
    /// Escapes each line of a multi-line text separately, keeping the line breaks.
    public static func escapeLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }
    }
}
