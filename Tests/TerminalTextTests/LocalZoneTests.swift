import Foundation
import TerminalText
import Testing

/// `TZ` read as the C library reads it, each form, and one it cannot read named as such.
@Suite("Local zone from TZ")
struct LocalZoneTests {
    /// 2027-01-15 08:00 UTC and 2027-07-15 08:00 UTC.
    let winter = Date(timeIntervalSince1970: 1_800_000_000)
    let summer = Date(timeIntervalSince1970: 1_800_000_000 + 181 * 86_400)

    @Test func aZoneNameWithOrWithoutTheColon() {
        for tz in ["Europe/Paris", ":Europe/Paris"] {
            let z = LocalZone.resolve(tz: tz)
            #expect(z.zone.identifier == "Europe/Paris", "\(tz)")
            #expect(z.name(at: winter) == "Europe/Paris (UTC+01:00)")
            #expect(z.abbreviation(at: winter) == "CET")
            #expect(z.abbreviation(at: summer) == "CEST")
            #expect(z.unreadTZ == nil)
        }
    }

    @Test func aPOSIXRuleWithSummerTimeFollowsIt() {
        let z = LocalZone.resolve(tz: "CET-1CEST,M3.5.0,M10.5.0/3")
        #expect(z.zone.secondsFromGMT(for: winter) == 3600)
        #expect(z.zone.secondsFromGMT(for: summer) == 7200)
        #expect(z.name(at: winter) == "CET (UTC+01:00)")
        #expect(z.name(at: summer) == "CEST (UTC+02:00)")
        #expect(z.name(at: summer, withOffset: false) == "CEST")
    }

    @Test func aFixedPOSIXRuleIsItsOffsetEastOfUTC() {
        let jst = LocalZone.resolve(tz: "JST-9")
        #expect(jst.zone.secondsFromGMT(for: winter) == 9 * 3600)
        #expect(jst.name(at: winter) == "JST (UTC+09:00)")
        #expect(jst.abbreviation(at: summer) == "JST")
        let india = LocalZone.resolve(tz: "<+0530>-5:30")
        #expect(india.zone.secondsFromGMT(for: winter) == 5 * 3600 + 1800)
        #expect(india.name(at: winter) == "+0530 (UTC+05:30)")
        // West is positive in a rule: GMT+5 is five hours behind UTC (not Foundation's GMT+5).
        #expect(LocalZone.resolve(tz: "GMT+5").zone.secondsFromGMT(for: winter) == -5 * 3600)
    }

    @Test func aPathToAZoneFile() throws {
        for tz in ["/usr/share/zoneinfo/Asia/Tokyo", ":/usr/share/zoneinfo/Asia/Tokyo"] {
            let z = LocalZone.resolve(tz: tz)
            #expect(z.zone.identifier == "Asia/Tokyo", "\(tz)")
            #expect(z.abbreviation(at: winter) == "JST")
        }
        // A copy elsewhere has no name: its own rule names it.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-zone-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("my-zone")
        try FileManager.default.copyItem(atPath: "/usr/share/zoneinfo/Europe/Paris", toPath: copy.path)
        let z = LocalZone.resolve(tz: copy.path)
        #expect(z.zone.secondsFromGMT(for: summer) == 7200)
        #expect(z.name(at: summer) == "CEST (UTC+02:00)")
    }

    @Test func aTZThatCannotBeReadIsNamedNotPassedOffAsUTC() {
        for tz in ["Foo/Bar", ":Foo/Bar", "Nowhere", "/no/such/file"] {
            let z = LocalZone.resolve(tz: tz)
            #expect(z.unreadTZ == tz)
            #expect(z.zone.secondsFromGMT(for: winter) == 0)
            #expect(z.name(at: winter) == "TZ '\(tz)' unknown · UTC")
        }
        #expect(LocalZone.resolve(tz: "x\u{1B}]0;t\u{07}").name(at: winter).contains("\\x1b"))
    }

    @Test func emptyIsUTCAndUnsetIsTheSystemZone() {
        #expect(LocalZone.resolve(tz: "").name(at: winter) == "UTC")
        #expect(LocalZone.resolve(tz: "UTC").name(at: winter) == "UTC")
        #expect(LocalZone.resolve(tz: "UTC0").name(at: winter) == "UTC")
        #expect(LocalZone.resolve(tz: nil).unreadTZ == nil)
    }

    @Test func countdownsFollowPhaseAndTime() {
        func text(_ p: Countdown.Phase, _ offset: TimeInterval) -> String {
            Countdown.text(p, startsAt: winter.addingTimeInterval(offset), now: winter)
        }
        // Live before its start: the start is still ahead.
        #expect(text(.live, 3 * 60 + 20) == "starts in 3m")
        #expect(text(.live, 30) == "starts in <1m")
        #expect(text(.live, -12 * 60) == "live 12m")
        #expect(text(.upcoming, 250) == "in 4m 10s")
        // A status the client does not know: its name, no countdown words.
        #expect(text(.unknown("on_hold"), -600) == "on_hold")
        #expect(text(.unknown("on_hold"), 600) == "on_hold")
        #expect(text(.unknown("x\u{1B}[31m"), 0) == "x\\x1b[31m")
        #expect(!Countdown.isWithinReminder(.unknown("scheduled_soon"), startsAt: winter.addingTimeInterval(60), now: winter, minutes: 5))
        #expect(Countdown.isWithinReminder(.upcoming, startsAt: winter.addingTimeInterval(60), now: winter, minutes: 5))
    }
}
