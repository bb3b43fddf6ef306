#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A timestamp as the API writes it: ISO 8601 with optional fractional
/// seconds and any UTC offset. The offset is kept so a screen can show the
/// time as the server wrote it as well as in local time.
public struct APIDate: Sendable, Hashable, Codable, Comparable {
    public let date: Date
    /// Seconds east of UTC of the original text.
    public let offsetSeconds: Int

    public init(date: Date, offsetSeconds: Int = 0) {
        self.date = date
        self.offsetSeconds = offsetSeconds
    }

    public static func < (a: APIDate, b: APIDate) -> Bool { a.date < b.date }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let parsed = APIDate.parse(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 date: \(text)")
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    /// `2021-10-30T14:29:33.000+02:00`: the API's own format, in the original offset.
    public var text: String { APIDate.format(date, offsetSeconds: offsetSeconds) }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fff…]](Z|±HH:MM|±HHMM|±HH)`; a space may replace `T`.
    public static func parse(_ text: String) -> APIDate? {
        let s = Array(text.trimmed.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var v = 0
            for k in 0..<n {
                let ch = s[i + k]
                guard ch >= 48, ch <= 57 else { return nil }
                v = v * 10 + Int(ch - 48)
            }
            i += n
            return v
        }
        func expect(_ ch: UInt8) -> Bool {
            guard i < s.count, s[i] == ch else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")),
              let month = digits(2), expect(UInt8(ascii: "-")),
              let day = digits(2) else { return nil }
        guard i < s.count, s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2) else { return nil }
        var second = 0
        var nanos = 0
        if expect(UInt8(ascii: ":")) {
            guard let sec = digits(2) else { return nil }
            second = sec
            if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
                i += 1
                var scale = 100_000_000
                var any = false
                while i < s.count, s[i] >= 48, s[i] <= 57 {
                    nanos += Int(s[i] - 48) * scale
                    scale /= 10
                    i += 1
                    any = true
                }
                guard any else { return nil }
            }
        }
        var offset = 0
        guard i < s.count else { return nil }
        if s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z") {
            i += 1
        } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2) else { return nil }
            var om = 0
            if expect(UInt8(ascii: ":")) {
                guard let m = digits(2) else { return nil }
                om = m
            } else if i < s.count, let m = digits(2) {
                om = m
            }
            guard oh <= 23, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour <= 23, minute <= 59, second <= 60 else { return nil }
        var comps = DateComponents()
        comps.year = year; comps.month = month; comps.day = day
        comps.hour = hour; comps.minute = minute; comps.second = second
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: offset) ?? TimeZone(identifier: "UTC")!
        guard let base = cal.date(from: comps) else { return nil }
        // Reject 2021-02-31 and the like, which Calendar would roll over.
        let back = cal.dateComponents([.year, .month, .day], from: base)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return APIDate(date: base.addingTimeInterval(Double(nanos) / 1e9), offsetSeconds: offset)
    }

    /// Formats with milliseconds and a `±HH:MM` offset, as the API does.
    public static func format(_ date: Date, offsetSeconds rawOffset: Int) -> String {
        // The text can only say whole minutes: a historical offset such as
        // St John's -03:30:52 is written -03:30, and the clock time with it,
        // so the text still names the same instant.
        let offsetSeconds = (-18 * 3600...18 * 3600).contains(rawOffset) ? rawOffset / 60 * 60 : 0
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: offsetSeconds) ?? TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        let millis = min(999, Int((Double(c.nanosecond ?? 0) / 1e6).rounded()))
        let sign = offsetSeconds < 0 ? "-" : "+"
        let abs = Swift.abs(offsetSeconds)
        func p(_ v: Int?, _ w: Int = 2) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(c.year, 4))-\(p(c.month))-\(p(c.day))T\(p(c.hour)):\(p(c.minute)):\(p(c.second)).\(p(millis, 3))\(sign)\(p(abs / 3600)):\(p((abs % 3600) / 60))"
    }

    /// The date in the given time zone's offset at that instant (local time by default).
    public static func inZone(_ date: Date, _ zone: TimeZone = .current) -> APIDate {
        APIDate(date: date, offsetSeconds: zone.secondsFromGMT(for: date))
    }
}
