import Foundation

/// Dates as people type them: ISO 8601 (`2026-12-01T14:30:00+01:00`), plain
/// local forms (`2026-12-01 14:30`, `2026-12-01`, `14:30`, `today 17:00`,
/// `tomorrow 9:00`, `tomorrow 9am`) and relative ones (`now`, `in 2h`,
/// `in 30m`, `in 1d 2h`). Plain forms are read in `zone`; the result carries
/// that zone's offset so the exact timestamp sent can be shown.
public enum DateInput {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static let examples = "ISO 8601, '2026-12-01 14:30', 'tomorrow 9:00' or 'in 2h'"

    public static func parse(_ raw: String, now: Date = Date(), zone: TimeZone = .current) -> Result<APIDate, Failure> {
        let result = parseAnyForm(raw, now: now, zone: zone)
        // Whatever the form, the date must be one the API's format can
        // write (years 1 to 9999): "in 99999999999999999999h" is refused.
        if case .success(let d) = result, APIDate.parse(d.text) == nil {
            return .failure(Failure(message: "is too far away (years 1 to 9999)"))
        }
        return result
    }

    private static func parseAnyForm(_ raw: String, now: Date, zone: TimeZone) -> Result<APIDate, Failure> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !text.isEmpty else { return .failure(Failure(message: "is required")) }
        guard text.count <= 64 else { return .failure(Failure(message: "is not a date (expected \(examples))")) }
        // Full ISO 8601 with an offset keeps its own offset.
        if let iso = APIDate.parse(raw.trimmingCharacters(in: .whitespacesAndNewlines)) { return .success(iso) }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        func local(_ d: Date) -> APIDate { APIDate.inZone(d, zone) }

        if text == "now" { return .success(local(now)) }
        if text.hasPrefix("in ") {
            guard let seconds = relativeSeconds(String(text.dropFirst(3))) else {
                return .failure(Failure(message: "is not a duration (try 'in 2h', 'in 30m', 'in 1d 3h')"))
            }
            return .success(local(now.addingTimeInterval(seconds)))
        }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var day: DateComponents?
        var timeText: String?
        if parts.count == 1 || parts.count == 2 {
            let first = parts[0]
            if first == "today" || first == "tomorrow" {
                let base = first == "today" ? now : (cal.date(byAdding: .day, value: 1, to: now) ?? now)
                day = cal.dateComponents([.year, .month, .day], from: base)
                timeText = parts.count == 2 ? parts[1] : nil
                if timeText == nil { return .failure(Failure(message: "needs a time, e.g. '\(first) 9:00'")) }
            } else if let d = calendarDay(first.replacingOccurrences(of: "t", with: " ").split(separator: " ").first.map(String.init) ?? first) {
                day = d
                // `2026-12-01T14:30` (no offset) counts as local too.
                if first.contains("t") {
                    guard parts.count == 1 else { return .failure(Failure(message: "is not a date (expected \(examples))")) }
                    timeText = String(first.split(separator: "t", maxSplits: 1).last ?? "")
                } else {
                    timeText = parts.count == 2 ? parts[1] : "00:00"
                }
            } else if parts.count == 1 {
                day = cal.dateComponents([.year, .month, .day], from: now)
                timeText = first
            }
        }
        guard var comps = day, let timeText, let (h, m, s) = clockTime(timeText) else {
            return .failure(Failure(message: "is not a date (expected \(examples))"))
        }
        comps.hour = h; comps.minute = m; comps.second = s
        guard let date = cal.date(from: comps) else {
            return .failure(Failure(message: "is not a valid date"))
        }
        let back = cal.dateComponents([.year, .month, .day], from: date)
        guard back.year == comps.year, back.month == comps.month, back.day == comps.day else {
            return .failure(Failure(message: "is not a valid date (no such day)"))
        }
        return .success(local(date))
    }

    /// `2026-12-01`.
    static func calendarDay(_ s: String) -> DateComponents? {
        let p = s.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, let y = Int(p[0]), let mo = Int(p[1]), let d = Int(p[2]),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        return DateComponents(year: y, month: mo, day: d)
    }

    /// `9:00`, `09:00:30`, `9am`, `9:30pm`, `17h`.
    static func clockTime(_ raw: String) -> (Int, Int, Int)? {
        var s = raw
        var pm: Bool?
        if s.hasSuffix("am") { pm = false; s.removeLast(2) } else if s.hasSuffix("pm") { pm = true; s.removeLast(2) }
        if pm == nil, s.hasSuffix("h") { s.removeLast() }
        let p = s.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(p.count), p.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isNumber) }),
              var h = Int(p[0]) else { return nil }
        let m = p.count > 1 ? Int(p[1]) ?? -1 : 0
        let sec = p.count > 2 ? Int(p[2]) ?? -1 : 0
        if let pm {
            guard (1...12).contains(h) else { return nil }
            if pm, h < 12 { h += 12 }
            if !pm, h == 12 { h = 0 }
        }
        guard (0...23).contains(h), (0...59).contains(m), (0...59).contains(sec) else { return nil }
        return (h, m, sec)
    }

    /// `2h`, `30m`, `1d 2h`, `1h30m`, `90s`, `2 hours`.
    static func relativeSeconds(_ s: String) -> TimeInterval? {
        var total: TimeInterval = 0
        var number = ""
        var unit = ""
        var any = false
        func flush() -> Bool {
            guard !number.isEmpty else { return unit.isEmpty }
            guard let n = Double(number) else { return false }
            let mult: Double
            switch unit {
            case "s", "sec", "secs", "second", "seconds": mult = 1
            case "m", "min", "mins", "minute", "minutes": mult = 60
            case "h", "hr", "hrs", "hour", "hours": mult = 3600
            case "d", "day", "days": mult = 86400
            case "w", "week", "weeks": mult = 604800
            default: return false
            }
            total += n * mult
            number = ""; unit = ""; any = true
            return true
        }
        for ch in s {
            if ch.isNumber {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(ch)
            } else if ch.isLetter {
                guard !number.isEmpty else { return nil }
                unit.append(ch)
            } else if ch == " " {
                continue
            } else {
                return nil
            }
        }
        guard flush(), any else { return nil }
        return total
    }
}
