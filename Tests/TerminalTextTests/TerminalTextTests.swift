import Foundation
import Testing
import TerminalText
#if canImport(Glibc)
import Glibc
#endif

@Suite("TerminalText")
struct TerminalTextTests {
    @Test func charsetFollowsTheLocaleVariablesInOrder() {
        #expect(TerminalCharset.from(environment: [:]) == .ascii)
        #expect(TerminalCharset.from(environment: ["LANG": "C"]) == .ascii)
        #expect(TerminalCharset.from(environment: ["LANG": "POSIX"]) == .ascii)
        #expect(TerminalCharset.from(environment: ["LANG": "en_US.UTF-8"]) == .utf8)
        #expect(TerminalCharset.from(environment: ["LANG": "C.utf8"]) == .utf8)
        #expect(TerminalCharset.from(environment: ["LANG": "en_US.UTF-8", "LC_ALL": "C"]) == .ascii)
        #expect(TerminalCharset.from(environment: ["LANG": "C", "LC_CTYPE": "fr_FR.UTF-8"]) == .utf8)
        #expect(TerminalCharset.from(environment: ["LANG": "fr_FR.ISO-8859-1"]) == .ascii)
    }

    @Test func asciiStandInsForEveryGlyph() {
        for g in Glyph.allCases {
            #expect(g.ascii.utf8.allSatisfy { $0 < 0x80 }, "\(g)")
            #expect(TerminalCharset.ascii.fit(g.rawValue) == g.ascii)
            #expect(TerminalCharset.utf8.fit(g.rawValue) == g.rawValue)
        }
        #expect(TerminalCharset.ascii.fit("CoClick · café — 日本 …") == "CoClick - caf\\u00e9 - \\u65e5\\u672c ...")
        #expect(TerminalCharset.ascii.fit("plain") == "plain")
    }

    @Test func widthsWithoutTouchingTheProcessLocale() {
        let before = String(cString: setlocale(LC_ALL, nil))
        #expect(TextWidth.width("abc") == 3)
        #expect(TextWidth.width("日本") == 4)
        #expect(TextWidth.width("e\u{301}") == 1)
        #expect(TextWidth.width("👩‍💻") == 2)
        #expect(TextWidth.width("é") == 1)
        #expect(String(cString: setlocale(LC_ALL, nil)) == before)
    }

    @Test func durationsAreSeconds() {
        #expect(MeetingDuration.text(seconds: 3600) == "1h 00m")
        #expect(MeetingDuration.text(seconds: 1800) == "30m")
        #expect(MeetingDuration.text(seconds: 5400) == "1h 30m")
        #expect(MeetingDuration.text(seconds: 45) == "45s")
        #expect(MeetingDuration.text(seconds: 0) == "0s")
    }

    @Test func relativeTimes() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(Countdown.relative(now.addingTimeInterval(-3 * 3600), now: now) == "3h ago")
        #expect(Countdown.relative(now.addingTimeInterval(-245 * 86_400), now: now) == "245d ago")
        #expect(Countdown.relative(now.addingTimeInterval(-10), now: now) == "now")
        #expect(Countdown.relative(now.addingTimeInterval(90), now: now) == "in 1m 30s")
    }

    @Test func zoneNamedOnce() {
        let winter = Date(timeIntervalSince1970: 1_798_761_600) // 2027-01-01
        #expect(LocalTime.zoneName(TimeZone(identifier: "Europe/Paris")!, at: winter) == "Europe/Paris (UTC+01:00)")
        #expect(LocalTime.zoneName(TimeZone(secondsFromGMT: -5 * 3600 - 1800)!, at: winter) == "UTC-05:30")
        // A narrow header drops the offset after a name, and names the rest the same way.
        func short(_ zone: TimeZone) -> String { LocalTime.zoneName(zone, at: winter, withOffset: false) }
        #expect(short(TimeZone(identifier: "Asia/Tokyo")!) == "Asia/Tokyo")
        #expect(short(TimeZone(identifier: "UTC")!) == "UTC")
        #expect(short(TimeZone(identifier: "Etc/Zulu")!) == "UTC")
        #expect(short(TimeZone(secondsFromGMT: 5 * 3600 + 1800)!) == "UTC+05:30")
    }
}
