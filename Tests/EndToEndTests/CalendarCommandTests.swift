import CoClickAPI
import CoClickSimulator
import Foundation
import Testing

/// `meetings list --ics`: the real binary against the simulator, the file read back line by line.
extension CommandTests {
    /// The file's content lines, unfolded (CRLF + one space joins a folded line).
    func icsLines(_ file: String) -> [String] {
        file.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    func utcText(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: date)
    }

    @Test func icsListsEveryMeetingOfTheWindowAsAnEvent() async throws {
        try await withSimulator { sim, env in
            let weird = sim.addMeeting(NewMeeting(
                user: "hugh@example.com", startsAt: APIDate(date: Date().addingTimeInterval(7200), offsetSeconds: 3600),
                cobrowsingURL: "https://shop.example/\r\nEND:VEVENT\r\nBEGIN:VEVENT;a,b\\c"
            ))
            let all = sim.meetings
            // Per 7: --all is implied, the pages are walked.
            let r = try await runCoclick(["meetings", "list", "--ics", "--every-date", "--per", "7", "--default-length", "25"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
            for physical in r.stdout.components(separatedBy: "\r\n") { #expect(physical.utf8.count <= 75) }
            let lines = icsLines(r.stdout)
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == all.count)
            #expect(lines.filter { $0 == "END:VEVENT" }.count == all.count)
            for m in all {
                #expect(lines.contains("UID:\(m.id)@coclick"))
            }
            // One event read whole: the block between its UID and END:VEVENT.
            func event(_ id: String) -> [String] {
                guard let at = lines.firstIndex(of: "UID:\(id)@coclick") else { return [] }
                return Array(lines[at..<(lines[at...].firstIndex(of: "END:VEVENT") ?? lines.endIndex)])
            }
            let timed = try #require(all.first { ($0.duration ?? 0) > 0 && $0.status == .scheduled })
            let start = try #require(timed.startsAt?.date)
            let e = event(timed.id)
            #expect(e.contains("DTSTART:\(utcText(start))"))
            #expect(e.contains("DTEND:\(utcText(start.addingTimeInterval(TimeInterval(timed.duration!))))"))
            #expect(e.contains("URL:\(timed.presenterRoomURL!)"))
            #expect(e.contains { $0.hasPrefix("DESCRIPTION:Presenter room: \(timed.presenterRoomURL!)\\nProspect room: \(timed.prospectRoomURL!)") })
            #expect(e.contains("STATUS:CONFIRMED"))
            // No duration: --default-length.
            let untimed = try #require(all.first { $0.duration == nil })
            let u = event(untimed.id)
            #expect(u.contains("DTEND:\(utcText(untimed.startsAt!.date.addingTimeInterval(25 * 60)))"), "\(u)")
            let cancelled = try #require(all.first { $0.status == .cancelled })
            #expect(event(cancelled.id).contains("STATUS:CANCELLED"))
            // The hostile site stays text inside its meeting's SUMMARY and DESCRIPTION.
            let w = event(weird)
            #expect(w.contains("SUMMARY:hugh@example.com · shop.example"), "\(w)")
            #expect(w.contains { $0.contains("Site: https://shop.example/\\nEND:VEVENT\\nBEGIN:VEVENT\\;a\\,b\\\\c") }, "\(w)")

            // A window and a filter: only those meetings.
            let mine = try await runCoclick(["meetings", "list", "--ics", "--status", "cancelled", "--every-date"], env: env)
            #expect(mine.status == 0, "\(mine.stderr)")
            let cancelledCount = all.filter { $0.status == .cancelled }.count
            #expect(icsLines(mine.stdout).filter { $0 == "BEGIN:VEVENT" }.count == cancelledCount)
            #expect(!icsLines(mine.stdout).contains("STATUS:CONFIRMED"))

            let clash = try await runCoclick(["meetings", "list", "--ics", "--json"], env: env)
            #expect(clash.status == 2 && clash.stdout.isEmpty)
        }
    }

    @Test func icsDefaultLengthComesFromTheConfig() async throws {
        try await withSimulator { sim, env in
            let untimed = try #require(sim.meetings.first { $0.duration == nil })
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-ics-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let config = dir.appendingPathComponent("config.toml")
            try "ics_default_minutes = 90\n".write(to: config, atomically: true, encoding: .utf8)
            let r = try await runCoclick(["meetings", "list", "--ics", "--every-date"], env: env.merging(["COCLICK_CONFIG": config.path]) { $1 })
            #expect(r.status == 0, "\(r.stderr)")
            let lines = icsLines(r.stdout)
            let at = try #require(lines.firstIndex(of: "UID:\(untimed.id)@coclick"))
            #expect(lines[at...].prefix(6).contains("DTEND:\(utcText(untimed.startsAt!.date.addingTimeInterval(90 * 60)))"))
            try "ics_default_minutes = 0\n".write(to: config, atomically: true, encoding: .utf8)
            let bad = try await runCoclick(["meetings", "list", "--ics"], env: env.merging(["COCLICK_CONFIG": config.path]) { $1 })
            #expect(bad.status == 2 && bad.stderr.contains("ics_default_minutes"), "\(bad.stderr)")
        }
    }
}
