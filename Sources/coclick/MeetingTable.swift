import ArgumentParser
import CoClickAPI
import Dashboard
import Foundation
import TerminalText

/// The list as a table: short id, status word, local start, countdown, owner.
enum MeetingTable {
    static func render(_ meetings: [Meeting], now: Date, zone: LocalZone) -> String {
        table(meetings, now: now, zone: zone).render()
    }

    static func table(_ meetings: [Meeting], now: Date, zone: LocalZone) -> TextTable {
        let zoneText = zone.name(at: now)
        var table = TextTable(header: ["ID", "STATUS", "STARTS (\(zoneText))", "WHEN", "OWNER"])
        for m in meetings {
            table.rows.append([
                SafeText.escape(m.shortID), StatusWord.text(m.status), LocalTime.full(m.startsAt, zone: zone.zone),
                Countdown.text(status: m.status, startsAt: m.startsAt?.date, now: now), Output.safe(m.user),
            ])
        }
        table.style = { row, column in
            let m = meetings[row]
            switch column {
            case 1: return statusStyle(m.status)
            case 3: return Countdown.isWithinReminder(status: m.status, startsAt: m.startsAt?.date, now: now, minutes: 5) ? "1;33" : nil
            case 0: return "2"
            default: return nil
            }
        }
        return table
    }

    /// Never colour alone: the word is always there too.
    static func statusStyle(_ status: MeetingStatus) -> String? {
        switch status {
        case .scheduled: return "36"
        case .inProgress: return "1;32"
        case .closed: return "2"
        case .cancelled: return "31"
        case .other: return "33"
        }
    }
}
