import CoClickAPI
import Dashboard
import Foundation
import TerminalText

extension LocalTime {
    /// "2026-12-01 14:30" in local time, `—` for no date.
    static func full(_ d: APIDate?, zone: TimeZone = LocalZone.process.zone) -> String {
        guard let d else { return Glyph.dash.rawValue }
        return startText(d.date, zone: zone)
    }
}

/// A meeting as text, every field, each server string escaped.
enum MeetingText {
    /// `customData`: the server's own custom_data, shown with its key order and exact numbers.
    static func detail(_ m: Meeting, customData: RawJSON? = nil, now: Date = Date(), zone: LocalZone = .process) -> String {
        var rows: [(String, String)] = [
            (MeetingKey.id.name, SafeText.escape(m.id)),
            (MeetingKey.status.name, StatusWord.text(m.status)),
            (MeetingField.startsAt.name, m.startsAt.map { "\(LocalTime.full($0, zone: zone.zone)) \(zone.name(at: $0.date)), \(Countdown.text(status: m.status, startsAt: $0.date, now: now)) (API \($0.text))" } ?? Glyph.dash.rawValue),
            (MeetingKey.duration.name, m.duration.map { MeetingDuration.text(seconds: $0) } ?? Glyph.dash.rawValue),
            (MeetingField.user.name, Output.safe(m.user)),
            (MeetingField.cobrowsingURL.name, Output.safe(m.cobrowsingURL)),
            (MeetingField.presenterIframe.name, Output.safe(m.presenterWaitingRoomIframeURL)),
            (MeetingField.prospectIframe.name, Output.safe(m.prospectWaitingRoomIframeURL)),
            (MeetingKey.prospectRoomURL.name, Output.safe(m.prospectRoomURL)),
            (MeetingKey.presenterRoomURL.name, Output.safe(m.presenterRoomURL)),
        ]
        let cookies = m.cookies ?? []
        let cookiesRow = rows.count
        rows.append(("cookies", cookies.isEmpty ? "none" : "\(cookies.count)"))
        let customData = customData.flatMap { $0.members != nil ? $0 : nil } ?? m.customDataRaw
        let customDataRow = rows.count
        rows.append((MeetingField.customData.name, m.customData == nil && customData == nil ? Glyph.dash.rawValue : ""))
        // The tables that go right under a row: the cookies under "cookies", the custom data under its own.
        var below: [Int: [String]] = [:]
        if !cookies.isEmpty {
            var table = TextTable(header: ["DOMAIN", "NAME", "VALUE"])
            table.rows = cookies.map { [Output.safe($0.domain), Output.safe($0.name), Output.safe($0.value)] }
            below[cookiesRow] = table.render().split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        if let text = customData.map({ $0.text(indent: 2) }) ?? m.customData?.prettyText() {
            below[customDataRow] = SafeText.escapeLines(text).map { "  " + $0 }
        }
        let width = rows.map { $0.0.count }.max() ?? 0
        var lines: [String] = []
        for (i, (label, value)) in rows.enumerated() {
            lines.append(value.isEmpty ? label : label + String(repeating: " ", count: width - label.count + 2) + value)
            lines += below[i] ?? []
        }
        return lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
    }
}

extension SafeText {
    /// Escapes each line of a multi-line text separately, keeping the line breaks.
    public static func escapeLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }
    }
}
