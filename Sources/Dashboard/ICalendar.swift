import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Meetings as an iCalendar file (RFC 5545), for a calendar app to import or
/// subscribe to: one VEVENT per meeting, times in UTC, CRLF line ends, lines
/// folded at 75 octets, TEXT values escaped. Server text is never trusted to be
/// a line: control characters are dropped, so nothing it holds can end a
/// property or start one (`END:VEVENT` in a site name stays text).
public enum ICalendar {
    public static let productID = "-//coclick//coclick meetings//EN"
    /// UIDs are `<meeting id>@coclick`: globally unique as RFC 5545 asks, stable across exports.
    public static let uidDomain = "coclick"
    /// Longest a line may be, in octets, before it is folded (RFC 5545 section 3.1).
    public static let lineOctets = 75

    /// The file: a VCALENDAR holding one VEVENT per meeting that has a start
    /// (a meeting without one cannot be placed in a calendar and is left out).
    public static func calendar(_ meetings: [Meeting], defaultMinutes: Int, stamp: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:" + text(productID),
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + text("CoClick meetings"),
        ]
        for m in meetings {
            lines += event(m, defaultMinutes: defaultMinutes, stamp: stamp)
        }
        lines.append("END:VCALENDAR")
        return lines.map { fold($0) + "\r\n" }.joined()
    }

    /// The VEVENT's lines (unfolded), or none for a meeting without a start.
    public static func event(_ m: Meeting, defaultMinutes: Int, stamp: Date) -> [String] {
        guard let start = m.startsAt?.date else { return [] }
        let seconds = (m.duration ?? 0) > 0 ? TimeInterval(m.duration!) : TimeInterval(max(1, defaultMinutes) * 60)
        let end = start.addingTimeInterval(seconds)
        var lines = [
            "BEGIN:VEVENT",
            "UID:" + text(m.id + "@" + uidDomain),
            "DTSTAMP:" + utc(stamp),
            "DTSTART:" + utc(start),
            "DTEND:" + utc(end),
            "SUMMARY:" + text(summary(m)),
        ]
        if let url = uri(m.presenterRoomURL) { lines.append("URL:" + url) }
        lines.append("DESCRIPTION:" + text(description(m)))
        lines.append("STATUS:" + (m.status == .cancelled ? "CANCELLED" : "CONFIRMED"))
        lines.append("END:VEVENT")
        return lines
    }

    /// "hugh@example.com · www.example.com": the owner and the site.
    public static func summary(_ m: Meeting) -> String {
        let owner = m.user.flatMap { $0.isEmpty ? nil : $0 } ?? "CoClick meeting"
        let site = RowExtras.site(m.cobrowsingURL)
        return site.isEmpty ? owner : owner + " · " + site
    }

    /// Both room links, one a line, and the site.
    public static func description(_ m: Meeting) -> String {
        var parts = [
            "Presenter room: " + (m.presenterRoomURL ?? "—"),
            "Prospect room: " + (m.prospectRoomURL ?? "—"),
        ]
        if let site = m.cobrowsingURL, !site.isEmpty { parts.append("Site: " + site) }
        return parts.joined(separator: "\n")
    }

    /// A TEXT value: backslash, semicolon, comma and newline escaped (section
    /// 3.3.11), every other control character (CR, TAB, ESC, DEL, C1) dropped.
    public static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            default:
                if isControl(u) { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A URI value (section 3.3.13) is not escaped: one with control
    /// characters or spaces, or not http(s), is no link and is left out.
    public static func uri(_ s: String?) -> String? {
        guard let s, let scheme = s.split(separator: ":", maxSplits: 1).first?.lowercased(),
              scheme == "https" || scheme == "http",
              !s.unicodeScalars.contains(where: { isControl($0) || $0 == " " }) else { return nil }
        return s
    }

    /// C0, DEL and C1 controls: none may appear in a content line (section 3.1).
    public static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (0x7F...0x9F).contains(u.value)
    }

    /// "20261205T143000Z".
    public static func utc(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ v: Int?, _ width: Int) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
    }

    /// A content line folded (section 3.1): at most 75 octets a line, each
    /// continuation starting with one space, never inside a UTF-8 character.
    /// Lines are joined with CRLF; the caller adds the last one.
    public static func fold(_ line: String) -> String {
        guard line.utf8.count > lineOctets else { return line }
        var out = ""
        var used = 0
        for u in line.unicodeScalars {
            let n = String(u).utf8.count
            if used + n > lineOctets {
                out += "\r\n "
                used = 1  // the space
            }
            out.unicodeScalars.append(u)
            used += n
        }
        return out
    }
}
