#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Dates as people type them, read in a time zone (`zone`); the result keeps
/// that zone's offset so the exact timestamp sent can be shown.
///
/// - ISO 8601 with an offset (`2026-12-01T14:30:00+01:00`, `…Z`) keeps its own offset.
/// - A day: `2026-12-01`, `today`, `tomorrow`, `yesterday`, a weekday
///   (`monday`: the coming one, today included unless its time has passed;
///   `next monday`: after today), `Dec 1`, `1 Dec` (a day already gone this
///   year is next year's), `December 1 2027`, `1 Dec 2027`, and the
///   dashboard's own headings (`Mon 7 Dec`, `Today · Mon 7 Dec 2027`), whose
///   weekday must match.
/// - A day alone is its start (00:00); with a time: `tomorrow 9:00`,
///   `monday 10am`, `Dec 1 14:30`, `2026-12-01 2:30pm`, `today at noon`.
/// - A time alone is today: `14:30`, `9am`, `2:30pm`.
/// - Relative: `now`, `in 2h`, `in 2h 30m`, `+2h`, `+1d 3h`, `in 2 hours`;
///   rounded to the minute (a meeting starts on one) unless seconds were typed.
///
/// A local time that does not exist (the hour skipped when clocks go forward)
/// is refused in words that name the gap. Every input gives a date or a
/// typed `Failure`; nothing traps.
public enum DateInput {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            case empty, unreadable, noSuchDay, nonexistentLocalTime
        }
        public let kind: Kind
        public let message: String
        public init(_ kind: Kind, _ message: String) {
            self.kind = kind
            self.message = message
        }
        public var description: String { message }
    }

    /// A date and whether a time of day was given (`--to 2026-12-01` means the whole day).
    public struct Parsed: Sendable, Equatable {
        public var date: APIDate
        public var hasTime: Bool
    }

    public static let examples = "e.g. 2026-12-01 14:30, tomorrow 9am, monday 10:00, Dec 1 14:30, in 2h"

    public static func parse(_ raw: String, now: Date = Date(), zone: TimeZone = .current) -> Result<APIDate, Failure> {
        parseDetailed(raw, now: now, zone: zone).map(\.date)
    }

    /// For the end of a range: a day without a time means the end of that day
    /// (its last millisecond), so `--to 2026-12-01` includes all of it.
    public static func parseEnd(_ raw: String, now: Date = Date(), zone: TimeZone = .current) -> Result<APIDate, Failure> {
        parseDetailed(raw, now: now, zone: zone).map { p in
            guard !p.hasTime else { return p.date }
            let cal = calendar(zone)
            let next = cal.date(byAdding: .day, value: 1, to: p.date.date) ?? p.date.date.addingTimeInterval(86_400)
            let end = cal.startOfDay(for: next).addingTimeInterval(-0.001)
            return APIDate.inZone(end, zone)
        }
    }

    public static func parseDetailed(_ raw: String, now: Date = Date(), zone: TimeZone = .current) -> Result<Parsed, Failure> {
        let result = parseAnyForm(raw, now: now, zone: zone)
        // Whatever the form, the date must be one the API's format can
        // write (years 1 to 9999): "in 99999999999999999999h" is refused.
        if case .success(let p) = result, APIDate.parse(p.date.text) == nil {
            let shown = echo(raw.trimmed)
            return .failure(Failure(.unreadable, "'\(shown)' is too far away (years 1 to 9999)"))
        }
        return result
    }

    private static func parseAnyForm(_ raw: String, now: Date, zone: TimeZone) -> Result<Parsed, Failure> {
        let trimmed = raw.trimmed
        guard !trimmed.isEmpty else { return .failure(Failure(.empty, "is required")) }
        let shown = echo(trimmed)
        func unreadable() -> Failure { Failure(.unreadable, "'\(shown)' is not a date (\(examples))") }
        guard trimmed.count <= 64 else { return .failure(unreadable()) }
        if let iso = APIDate.parse(trimmed) { return .success(Parsed(date: iso, hasTime: true)) }

        let text = trimmed.lowercased()
        let cal = calendar(zone)
        if text == "now" { return .success(Parsed(date: APIDate.inZone(now, zone), hasTime: true)) }
        if text.hasPrefix("in ") || text.hasPrefix("+") {
            let rest = text.hasPrefix("+") ? String(text.dropFirst()) : String(text.dropFirst(3))
            guard let relative = relativeSeconds(rest) else {
                return .failure(Failure(.unreadable, "'\(shown)' is not a duration (try in 2h, in 2h 30m, +1d 3h)"))
            }
            var date = now.addingTimeInterval(relative.seconds)
            if !relative.exact { date = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded() * 60) }
            return .success(Parsed(date: APIDate.inZone(date, zone), hasTime: true))
        }

        var tokens = tokenize(text)
        // The dashboard's headings: "Today · Mon 7 Dec" (the separator may be
        // drawn as an ASCII stand-in); the date after the word says the day.
        tokens.removeAll { $0 == "at" || $0 == "," || $0 == "·" || $0 == "-" || $0 == "|" }
        if tokens.count > 2, ["today", "tomorrow", "yesterday"].contains(tokens[0]), weekday(tokens[1]) != nil {
            tokens.removeFirst()
        }
        // "Mon 7 Dec": the weekday is checked against the date, not used to find it.
        var statedWeekday: Int?
        if tokens.count > 2, let wd = weekday(tokens[0]),
           (month(tokens[1]) != nil && dayNumber(tokens[2]) != nil) || (dayNumber(tokens[1]) != nil && month(tokens[2]) != nil) {
            statedWeekday = wd
            tokens.removeFirst()
        }
        guard !tokens.isEmpty else { return .failure(unreadable()) }
        let today = cal.dateComponents([.year, .month, .day], from: now)

        // The day: consumed from the front of the tokens.
        var day: DateComponents?
        var i = 0
        func offsetDay(_ n: Int) -> DateComponents {
            let d = cal.date(byAdding: .day, value: n, to: cal.startOfDay(for: now)) ?? now
            return cal.dateComponents([.year, .month, .day], from: d)
        }
        /// A month and day without a year: this year's, or next year's once it is gone.
        func coming(_ m: Int, _ d: Int) -> DateComponents {
            let y = today.year ?? 2000
            let passed = (m, d) < (today.month ?? 1, today.day ?? 1)
            var c = DateComponents(year: passed ? y + 1 : y, month: m, day: d)
            // A heading's weekday names the year (a past day's heading is this year's).
            if let wd = statedWeekday, weekdayOf(c) != wd {
                let other = DateComponents(year: passed ? y : y + 1, month: m, day: d)
                if weekdayOf(other) == wd { c = other }
            }
            return c
        }
        func weekdayOf(_ c: DateComponents) -> Int? {
            var noon = c
            noon.hour = 12
            return cal.date(from: noon).map { cal.component(.weekday, from: $0) }
        }
        let first = tokens[0]
        if first == "today" { day = today; i = 1 }
        else if first == "tomorrow" { day = offsetDay(1); i = 1 }
        else if first == "yesterday" { day = offsetDay(-1); i = 1 }
        else if (first == "next" || first == "this"), tokens.count > 1, let wd = weekday(tokens[1]) {
            let current = cal.component(.weekday, from: now)
            var ahead = (wd - current + 7) % 7
            if first == "next", ahead == 0 { ahead = 7 }
            day = offsetDay(ahead); i = 2
        } else if let wd = weekday(first) {
            let current = cal.component(.weekday, from: now)
            let ahead = (wd - current + 7) % 7
            day = offsetDay(ahead); i = 1
            // "fri 14:30" typed on Friday at 15:00 means the coming Friday, not an hour ago.
            if ahead == 0, tokens.count == 2, let c = clockTime(tokens[1]),
               let at = cal.date(bySettingHour: c.0, minute: c.1, second: c.2, of: now), at < now {
                day = offsetDay(7)
            }
        } else if let isoDay = calendarDay(first) {
            day = isoDay; i = 1
            // `2026-12-01t14:30` (no offset) is local.
            if let t = first.firstIndex(of: "t") {
                guard tokens.count == 1 else { return .failure(unreadable()) }
                tokens = [String(first[..<t]), String(first[first.index(after: t)...])]
            }
        } else if let m = month(first), tokens.count > 1, let d = dayNumber(tokens[1]) {
            // Dec 1 [2027]
            day = DateComponents(year: today.year, month: m, day: d); i = 2
            if tokens.count > 2, let y = yearNumber(tokens[2]) { day?.year = y; i = 3 } else { day = coming(m, d) }
        } else if let d = dayNumber(first), tokens.count > 1, let m = month(tokens[1]) {
            // 1 Dec [2027]
            day = DateComponents(year: today.year, month: m, day: d); i = 2
            if tokens.count > 2, let y = yearNumber(tokens[2]) { day?.year = y; i = 3 } else { day = coming(m, d) }
        }
        if let wd = statedWeekday, let day, let actual = weekdayOf(day), actual != wd {
            return .failure(Failure(.noSuchDay, "'\(shown)': \(day.year ?? 0)-\(day.month ?? 0)-\(day.day ?? 0) is a \(titled(weekdayNames[actual - 1])), not a \(titled(weekdayNames[wd - 1]))"))
        }

        // The time: what is left, if anything.
        let rest = Array(tokens[i...])
        var hasTime = true
        var clock: (Int, Int, Int)
        if rest.isEmpty {
            guard day != nil else { return .failure(unreadable()) }
            hasTime = false
            clock = (0, 0, 0)
        } else if rest.count == 1, let c = clockTime(rest[0]) {
            clock = c
        } else {
            return .failure(unreadable())
        }
        var comps = day ?? today
        guard let y = comps.year, let mo = comps.month, let d = comps.day else { return .failure(unreadable()) }
        // The day first (noon exists every day), so 2026-02-30 is "no such day", not a gap.
        comps.hour = 12; comps.minute = 0; comps.second = 0
        guard let noon = cal.date(from: comps),
              cal.dateComponents([.year, .month, .day], from: noon) == DateComponents(year: y, month: mo, day: d) else {
            return .failure(Failure(.noSuchDay, "'\(shown)': there is no such day (\(y)-\(mo)-\(d))"))
        }
        comps.hour = clock.0; comps.minute = clock.1; comps.second = clock.2
        guard let date = cal.date(from: comps) else { return .failure(unreadable()) }
        let back = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard back.year == y, back.month == mo, back.day == d, back.hour == clock.0, back.minute == clock.1 else {
            return .failure(gap(shown: shown, comps: comps, near: date, zone: zone))
        }
        return .success(Parsed(date: APIDate.inZone(date, zone), hasTime: hasTime))
    }

    /// The words for a local time the clocks skip.
    static func gap(shown: String, comps: DateComponents, near date: Date, zone: TimeZone) -> Failure {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let wall = "\(comps.year ?? 0)-\(two(comps.month ?? 0))-\(two(comps.day ?? 0)) \(two(comps.hour ?? 0)):\(two(comps.minute ?? 0))"
        var detail = ""
        if let t = zone.nextDaylightSavingTimeTransition(after: date.addingTimeInterval(-12 * 3600)) {
            // The wall clock just before the jump (old offset) and just after it (new offset).
            var gmt = Calendar(identifier: .gregorian)
            gmt.timeZone = TimeZone(secondsFromGMT: 0)!
            func wallClock(_ offset: Int) -> String {
                let c = gmt.dateComponents([.hour, .minute], from: t.addingTimeInterval(TimeInterval(offset)))
                return "\(two(c.hour ?? 0)):\(two(c.minute ?? 0))"
            }
            let from = wallClock(zone.secondsFromGMT(for: t.addingTimeInterval(-1)))
            let to = wallClock(zone.secondsFromGMT(for: t))
            detail = ": the clocks go from \(from) straight to \(to) that night"
        }
        return Failure(.nonexistentLocalTime,
                       "'\(shown)': \(wall) does not exist in \(zone.identifier) (daylight saving time)\(detail); pick a time outside the gap")
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return cal
    }

    /// What was typed, made safe to print back (no control characters), and short.
    static func echo(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars.prefix(64) {
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value) {
                out += "?"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Splits into words, keeping `am`/`pm` with their number (`9 am` -> `9am`) and `,` apart.
    static func tokenize(_ s: String) -> [String] {
        var out: [String] = []
        for word in s.replacing(",", with: " , ").split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            let w = String(word)
            if (w == "am" || w == "pm"), let last = out.last, last.allSatisfy({ $0.isNumber || $0 == ":" }) {
                out[out.count - 1] = last + w
            } else {
                out.append(w)
            }
        }
        return out
    }

    static func titled(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july",
                             "august", "september", "october", "november", "december"]
    static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// 1...12 for `dec`, `december`, `sept`.
    static func month(_ s: String) -> Int? {
        let w = s.hasSuffix(".") ? String(s.dropLast()) : s
        guard w.count >= 3 else { return nil }
        return monthNames.firstIndex { $0.hasPrefix(w) }.map { $0 + 1 }
    }

    /// Calendar weekday (1 = Sunday) for `mon`, `monday`, `tues`.
    static func weekday(_ s: String) -> Int? {
        guard s.count >= 3 else { return nil }
        return weekdayNames.firstIndex { $0.hasPrefix(s) }.map { $0 + 1 }
    }

    /// `1`, `01`, `1st`, `22nd`.
    static func dayNumber(_ s: String) -> Int? {
        var w = s
        for suffix in ["st", "nd", "rd", "th"] where w.hasSuffix(suffix) { w.removeLast(2); break }
        guard (1...2).contains(w.count), w.allSatisfy(\.isASCIIDigit), let d = Int(w), (1...31).contains(d) else { return nil }
        return d
    }

    static func yearNumber(_ s: String) -> Int? {
        guard s.count == 4, s.allSatisfy(\.isASCIIDigit), let y = Int(s), y >= 1970 else { return nil }
        return y
    }

    /// `2026-12-01`, also the day part of `2026-12-01t14:30`.
    static func calendarDay(_ s: String) -> DateComponents? {
        let dayPart = s.split(separator: "t", maxSplits: 1).first.map(String.init) ?? s
        let p = dayPart.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, (1...2).contains(p[1].count), (1...2).contains(p[2].count),
              p.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let y = Int(p[0]), let mo = Int(p[1]), let d = Int(p[2]),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        return DateComponents(year: y, month: mo, day: d)
    }

    /// `9:00`, `09:00:30`, `9am`, `9:30pm`, `17h`, `noon`, `midnight`.
    static func clockTime(_ raw: String) -> (Int, Int, Int)? {
        if raw == "noon" { return (12, 0, 0) }
        if raw == "midnight" { return (0, 0, 0) }
        var s = raw
        var pm: Bool?
        if s.hasSuffix("am") { pm = false; s.removeLast(2) } else if s.hasSuffix("pm") { pm = true; s.removeLast(2) }
        if pm == nil, s.hasSuffix("h") { s.removeLast() }
        let p = s.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(p.count), p.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isASCIIDigit) }),
              var h = Int(p[0]) else { return nil }
        // A bare number is an hour only with am/pm or h ("9am", "17h"), never alone ("9").
        if p.count == 1, pm == nil, !raw.hasSuffix("h") { return nil }
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

    /// `2h`, `30m`, `1d 2h`, `1h30m`, `90s`, `2 hours`, `2h 30m`; `exact` when seconds were given.
    static func relativeSeconds(_ s: String) -> (seconds: TimeInterval, exact: Bool)? {
        var exact = false
        var total: TimeInterval = 0
        var number = ""
        var unit = ""
        var any = false
        func flush() -> Bool {
            guard !number.isEmpty else { return unit.isEmpty }
            guard number.count <= 6, let n = Double(number) else { return false }
            let mult: Double
            switch unit {
            case "s", "sec", "secs", "second", "seconds": mult = 1; exact = true
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
            if ch.isASCIIDigit {
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
        guard flush(), any, total <= 10 * 365 * 86_400 else { return nil }
        return (total, exact)
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
