import CoClickAPI
import Foundation

/// Reads what people type for a start time: ISO 8601 (`2026-12-01T14:30:00+01:00`),
/// plain local forms (`2026-12-01 14:30`, `tomorrow 9:00`, `today 17:00`) and
/// relative ones (`in 2h`, `in 30m`, `in 1d`, `in 1h30m`). The result carries
/// the local offset so the preview shows exactly what will be sent.
public enum StartsAtParser {
    public static func parse(_ raw: String, now: Date, zone: TimeZone) -> Result<APIDate, FieldProblem> {
        let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty else { return .failure(FieldProblem("is required")) }
        if let iso = APIDate.parse(raw) { return .success(iso) }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        if text == "now" { return .success(APIDate.inZone(now, zone)) }
        if text.hasPrefix("in ") {
            guard let seconds = relativeSeconds(String(text.dropFirst(3))) else {
                return .failure(FieldProblem("cannot read '\(raw)': try 'in 2h', 'in 30m', 'in 1d'"))
            }
            // Whole seconds: the API keeps milliseconds but people think in minutes.
            let d = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + seconds).rounded(.down))
            return .success(APIDate.inZone(d, zone))
        }
        for (word, days) in [("today", 0), ("tomorrow", 1)] where text.hasPrefix(word) {
            let rest = text.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
            guard let (h, m) = clock(rest) else {
                return .failure(FieldProblem("cannot read '\(raw)': try '\(word) 9:00'"))
            }
            guard let day = cal.date(byAdding: .day, value: days, to: cal.startOfDay(for: now)),
                  let d = cal.date(bySettingHour: h, minute: m, second: 0, of: day) else {
                return .failure(FieldProblem("no such time: '\(raw)'"))
            }
            return .success(APIDate.inZone(d, zone))
        }
        // `2026-12-01 14:30[:ss]` or `2026-12-01T14:30` without an offset: local time.
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "t" })
        if parts.count == 2 {
            let ymd = parts[0].split(separator: "-").compactMap { Int($0) }
            let hms = parts[1].split(separator: ":").compactMap { Int($0) }
            if ymd.count == 3, parts[0].split(separator: "-").count == 3, (2...3).contains(hms.count),
               parts[1].split(separator: ":").count == hms.count {
                var c = DateComponents()
                c.year = ymd[0]; c.month = ymd[1]; c.day = ymd[2]
                c.hour = hms[0]; c.minute = hms[1]; c.second = hms.count == 3 ? hms[2] : 0
                if (1...12).contains(ymd[1]), (1...31).contains(ymd[2]), (0...23).contains(hms[0]),
                   (0...59).contains(hms[1]), (0...59).contains(c.second ?? 0),
                   let d = cal.date(from: c), cal.component(.day, from: d) == ymd[2] {
                    return .success(APIDate.inZone(d, zone))
                }
                return .failure(FieldProblem("no such date: '\(raw)'"))
            }
        }
        return .failure(FieldProblem("cannot read '\(raw)': try 2026-12-01 14:30, tomorrow 9:00, in 2h or ISO 8601"))
    }

    /// `2h`, `30m`, `1d`, `1h30m`, `90s`, `2 h`.
    static func relativeSeconds(_ s: String) -> TimeInterval? {
        var total: TimeInterval = 0
        var number = ""
        var any = false
        for ch in s where ch != " " {
            if ch.isASCII, ch.isNumber {
                number.append(ch)
            } else {
                guard let n = Int(number), n <= 100_000 else { return nil }
                switch ch {
                case "d": total += Double(n) * 86_400
                case "h": total += Double(n) * 3600
                case "m": total += Double(n) * 60
                case "s": total += Double(n)
                default: return nil
                }
                number = ""
                any = true
            }
        }
        guard number.isEmpty, any else { return nil }
        return total
    }

    /// `9`, `9:00`, `17:30`.
    static func clock(_ s: String) -> (Int, Int)? {
        let p = s.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(p.count), let h = Int(p[0]), (0...23).contains(h) else { return nil }
        let m = p.count == 2 ? Int(p[1]) : 0
        guard let m, (0...59).contains(m), p.count == 1 || p[1].count == 2 else { return nil }
        return (h, m)
    }
}

/// A message shown next to a form field.
public struct FieldProblem: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
