#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The zone local times are shown in, read from `TZ` the way the C library
/// reads it: `Europe/Paris` or `:Europe/Paris`, a path to a zone file, or a
/// POSIX rule (`JST-9`, `CET-1CEST,M3.5.0,M10.5.0/3`). Foundation's
/// `TimeZone.current` takes only the first form and shows UTC for the others.
/// A `TZ` that cannot be read is kept, so that it is named as unknown, never
/// passed off as UTC.
public struct LocalZone: Sendable, Hashable {
    /// What calendars use.
    public var zone: TimeZone
    /// The zone's own abbreviations ("CET", "CEST"; "+0530" for `<+0530>`),
    /// from its zone file's rule or the `TZ` rule; nil when none is known.
    public var standardName: String?
    public var daylightName: String?
    /// True when the name to show is the abbreviation: `TZ` was a rule, or a
    /// zone file Foundation has no name for.
    public var namedByRule = false
    /// The `TZ` value that could not be read (`zone` is then UTC).
    public var unreadTZ: String?
    /// A rule with summer time that no zone of the system follows: its
    /// standard offset is used all year.
    public var daylightNotFollowed = false

    public init(zone: TimeZone) { self.zone = zone }

    /// The zone of this process, resolved once.
    public static let process = LocalZone.resolve(tz: ProcessInfo.processInfo.environment["TZ"])

    /// Where the system's zone files are (glibc's default `TZDIR`).
    public static let zoneinfo = "/usr/share/zoneinfo"

    /// Reads `tz` (nil: unset) as the C library would, with zone files from `directory`.
    public static func resolve(tz: String?, directory: String = LocalZone.zoneinfo) -> LocalZone {
        guard let tz else {
            // Unset: /etc/localtime, which Foundation reads too.
            var z = LocalZone(zone: .current)
            z.abbreviations(from: footer(ofFile: "/etc/localtime") ?? footer(ofFile: directory + "/" + z.zone.identifier))
            return z
        }
        var spec = Substring(tz)
        if spec.first == ":" { spec = spec.dropFirst() }
        let name = String(spec)
        // The C library: an empty TZ is UTC.
        if name.isEmpty { return LocalZone(zone: TimeZone(identifier: "UTC") ?? .gmt) }

        // A file first, as the C library looks: a path, or a name under the zone directory.
        let path = name.hasPrefix("/") ? name : directory + "/" + name
        if !name.contains(".."), let rule = footer(ofFile: path) {
            let id = name.hasPrefix("/") ? name.firstRange(of: "/zoneinfo/").map { String(name[$0.upperBound...]) } : name
            if let id, let known = TimeZone(identifier: id) {
                var z = LocalZone(zone: known)
                z.abbreviations(from: rule)
                return z
            }
            if let z = fromRule(rule, directory: directory) { return z }
        }
        if let z = fromRule(name, directory: directory) { return z }
        // A zone name Foundation knows though no file has it (a system without zone files).
        if name.contains("/"), let known = TimeZone(identifier: name) { return LocalZone(zone: known) }
        var unknown = LocalZone(zone: TimeZone(identifier: "UTC") ?? .gmt)
        unknown.unreadTZ = tz
        return unknown
    }

    /// A POSIX rule: a fixed offset as is; one with summer time as the system
    /// zone whose own rule it is (a zone file ends with its rule for the
    /// years after its table), else its standard offset all year.
    static func fromRule(_ text: String, directory: String) -> LocalZone? {
        guard let rule = POSIXRule(text) else { return nil }
        var z: LocalZone
        if rule.daylight == nil {
            guard let fixed = TimeZone(secondsFromGMT: rule.standardOffset) else { return nil }
            z = LocalZone(zone: fixed)
        } else if let id = zoneFollowing(text, directory: directory), let known = TimeZone(identifier: id) {
            z = LocalZone(zone: known)
        } else {
            guard let fixed = TimeZone(secondsFromGMT: rule.standardOffset) else { return nil }
            z = LocalZone(zone: fixed)
            z.daylightNotFollowed = true
        }
        z.standardName = rule.standard
        z.daylightName = rule.daylight
        z.namedByRule = true
        return z
    }

    /// The first zone (by name) under `directory` whose file ends with `rule`.
    static func zoneFollowing(_ rule: String, directory: String) -> String? {
        let names = (try? FileManager.default.subpathsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() where !name.hasPrefix("posix") && !name.hasPrefix("right") && name.first?.isUppercase == true {
            if footer(ofFile: directory + "/" + name) == rule, TimeZone(identifier: name) != nil { return name }
        }
        return nil
    }

    /// The rule at the end of a zone file (TZif version 2 and later), or nil
    /// when the file is missing or no zone file.
    static func footer(ofFile path: String) -> String? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)), data.count > 44,
              data.prefix(4) == Data("TZif".utf8), data.last == 0x0A else { return nil }
        let body = data.dropLast()
        guard let start = body.lastIndex(of: 0x0A) else { return nil }
        return String(decoding: body[(start + 1)...], as: UTF8.self)
    }

    mutating func abbreviations(from rule: String?) {
        guard let rule, let r = POSIXRule(rule) else { return }
        standardName = r.standard
        daylightName = r.daylight
    }

    /// "CET" or "CEST" at `date`; "UTC+05:30" when the zone has no abbreviation.
    public func abbreviation(at date: Date) -> String {
        if let d = daylightName, zone.isDaylightSavingTime(for: date) { return d }
        if let s = standardName { return s }
        return LocalTime.offsetText(zone.secondsFromGMT(for: date))
    }

    /// The zone as a header names it: "Europe/Paris (UTC+01:00)", "CET
    /// (UTC+01:00)" for a rule, "TZ 'Foo/Bar' unknown · UTC"; without the
    /// offset after a name when `withOffset` is false.
    public func name(at date: Date, withOffset: Bool = true) -> String {
        if let tz = unreadTZ { return "TZ '\(SafeText.escape(tz))' unknown · UTC" }
        guard namedByRule else { return LocalTime.zoneName(zone, at: date, withOffset: withOffset) }
        let short = SafeText.escape(abbreviation(at: date))
        let offset = zone.secondsFromGMT(for: date)
        if offset == 0, ["UTC", "GMT"].contains(short) { return "UTC" }
        let note = daylightNotFollowed ? ", no summer time" : ""
        return withOffset || daylightNotFollowed ? "\(short) (\(LocalTime.offsetText(offset))\(note))" : short
    }
}

/// The parts of a POSIX `TZ` rule the zone needs: `std offset [dst [offset] [,start[/time],end[/time]]]`.
struct POSIXRule: Sendable, Hashable {
    var standard: String
    /// Seconds east of UTC (the rule writes west: `JST-9` is UTC+9).
    var standardOffset: Int
    var daylight: String?

    init?(_ text: String) {
        var rest = Substring(text)
        guard let std = Self.name(&rest), let west = Self.offset(&rest) else { return nil }
        standard = std
        standardOffset = -west
        if rest.isEmpty { daylight = nil; return }
        guard let dst = Self.name(&rest) else { return nil }
        daylight = dst
        if rest.first != ",", !rest.isEmpty { guard Self.offset(&rest) != nil else { return nil } }
        // The change dates: "M3.5.0,M10.5.0/3", "J60,J300", "60,300" (checked for shape only).
        if !rest.isEmpty {
            guard rest.first == ",", rest.dropFirst().split(separator: ",", omittingEmptySubsequences: false).count == 2,
                  rest.allSatisfy({ $0.isNumber || ",MJ./:+-".contains($0) }) else { return nil }
        }
    }

    /// `CET` (3 letters or more) or `<+0530>`.
    static func name(_ s: inout Substring) -> String? {
        if s.first == "<" {
            guard let end = s.firstIndex(of: ">") else { return nil }
            let inner = s[s.index(after: s.startIndex)..<end]
            guard inner.count >= 3, inner.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" }) else { return nil }
            s = s[s.index(after: end)...]
            return String(inner)
        }
        let letters = s.prefix { $0.isASCII && $0.isLetter }
        guard letters.count >= 3 else { return nil }
        s = s.dropFirst(letters.count)
        return String(letters)
    }

    /// `[+-]hh[:mm[:ss]]` in seconds west of UTC.
    static func offset(_ s: inout Substring) -> Int? {
        var sign = 1
        if s.first == "+" || s.first == "-" {
            if s.first == "-" { sign = -1 }
            s = s.dropFirst()
        }
        var parts: [Int] = []
        while parts.count < 3 {
            let digits = s.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 3, let v = Int(digits) else { return nil }
            parts.append(v)
            s = s.dropFirst(digits.count)
            guard s.first == ":" else { break }
            s = s.dropFirst()
        }
        guard parts[0] <= 24, parts.dropFirst().allSatisfy({ $0 < 60 }) else { return nil }
        return sign * (parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0))
    }
}
