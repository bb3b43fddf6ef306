import CoClickAPI
import CoClickSimulator
import Foundation
import Testing

/// The commands as people who know gh, kubectl and git use them: tables,
/// dates as typed, typos, global options first, LANG=C, version, completions.
@Suite("coclick habits end to end", .serialized)
struct CLIHabitsTests {
    func withSimulator(
        _ options: SimulatorOptions = SimulatorOptions(),
        _ body: (Simulator, [String: String]) async throws -> Void
    ) async throws {
        try await withSimulatorEnvironment(options) { sim, env in
            try await body(sim, env.merging(["TZ": "UTC"]) { $1 })
        }
    }

    func jsonArray(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test func listStartsTodayUnlessEveryDate() async throws {
        try await withSimulator { sim, env in
            // TZ=UTC in the child: today starts at midnight UTC.
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            let today = utc.startOfDay(for: Date())
            let r = try await runCoclick(["meetings", "list", "--json", "--per", "100"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            let items = try jsonArray(r.stdout)
            let starts = items.compactMap { ($0["starts_at"] as? String).flatMap(APIDate.parse)?.date }
            #expect(!starts.isEmpty)
            #expect(starts.allSatisfy { $0 >= today }, "a meeting from before today")
            #expect(starts == starts.sorted(), "not by start time")
            let past = sim.meetings.filter { ($0.startsAt?.date ?? .distantFuture) < today }
            #expect(!past.isEmpty, "the fixture has meetings before today")

            let every = try await runCoclick(["meetings", "list", "--every-date", "--json", "--per", "100"], env: env)
            #expect(try jsonArray(every.stdout).count == sim.meetings.count)

            let table = try await runCoclick(["meetings", "list", "--per", "100"], env: env)
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("ID") == true)
            #expect(lines.first?.contains("STARTS (UTC)") == true, "the zone, once, in the header: \(lines.first ?? "")")
            #expect(lines.first?.contains("WHEN") == true)
            #expect(table.stdout.contains("in progress") && !table.stdout.contains("in_progress"))
            #expect(table.stdout.contains("live ") && table.stdout.contains("in "))
            #expect(!table.stdout.contains("\u{1b}["), "colour when stdout is not a terminal")
            #expect(!table.stdout.split(separator: "\n").contains { $0.hasSuffix(" ") })
        }
    }

    @Test func morePagesAreAnnouncedOnStderr() async throws {
        try await withSimulator(SimulatorOptions(fixture: .count(45))) { _, env in
            let r = try await runCoclick(["meetings", "list", "--every-date", "--per", "20"], env: env)
            #expect(r.status == 0)
            #expect(r.stdout.split(separator: "\n").count == 21)
            #expect(r.stderr.contains("--page 2") && r.stderr.contains("--all"), "\(r.stderr)")
            #expect(!r.stdout.contains("--page"))
            let last = try await runCoclick(["meetings", "list", "--every-date", "--per", "20", "--page", "3"], env: env)
            #expect(!last.stderr.contains("--page"), "\(last.stderr)")
            let all = try await runCoclick(["meetings", "list", "--every-date", "--all", "--json"], env: env)
            #expect(try jsonArray(all.stdout).count == 45)
            #expect(!all.stderr.contains("--page"))
        }
    }

    @Test func typosGetSuggestions() async throws {
        let cmd = try await runCoclick(["metings"])
        #expect(cmd.status == 2)
        #expect(cmd.stderr.contains("Did you mean 'meetings'?"), "\(cmd.stderr)")
        #expect(!cmd.stderr.contains("dashboard"), "the dashboard's usage: \(cmd.stderr)")
        let sub = try await runCoclick(["meetings", "lst"])
        #expect(sub.status == 2)
        #expect(sub.stderr.contains("Did you mean 'meetings list'?"), "\(sub.stderr)")
        let opt = try await runCoclick(["meetings", "list", "--usr", "hugh"])
        #expect(opt.status == 2)
        #expect(opt.stderr.contains("Did you mean '--user'?"), "\(opt.stderr)")
        let far = try await runCoclick(["xyzzy"])
        #expect(far.status == 2)
        #expect(far.stderr.contains("unknown command 'xyzzy'") && far.stderr.contains("meetings"), "\(far.stderr)")
    }

    @Test func globalOptionsBeforeTheCommandAndShortForms() async throws {
        try await withSimulator { _, env in
            var bare = env
            let url = env["COCLICK_API_URL"] ?? ""
            bare["COCLICK_API_URL"] = nil
            let r = try await runCoclick(["--api-url", url, "--timeout", "10", "meetings", "list", "-u", "hugh", "-s", "scheduled", "--every-date", "--json"], env: bare)
            #expect(r.status == 0, "\(r.stderr)")
            let items = try jsonArray(r.stdout)
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { ($0["user"] as? String)?.contains("hugh") == true && $0["status"] as? String == "scheduled" })
            let eq = try await runCoclick(["--api-url=\(url)", "auth", "check"], env: bare)
            #expect(eq.status == 0, "\(eq.stderr)")
            let after = try await runCoclick(["auth", "check", "--api-url", url], env: bare)
            #expect(after.status == 0, "\(after.stderr)")
        }
    }

    @Test func versionNamesCommitAndSwift() async throws {
        let r = try await runCoclick(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("coclick 0."), "\(r.stdout)")
        #expect(r.stdout.contains("commit ") && r.stdout.contains("Swift 6"), "\(r.stdout)")
        // Built from this checkout: the commit is a hex id, not "unknown".
        let commit = r.stdout.split(separator: " ").drop { $0 != "(commit" }.dropFirst().first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
        #expect(commit.map { $0.count >= 7 && $0.allSatisfy(\.isHexDigit) } == true, "\(r.stdout)")
    }

    @Test func completionsAndManPage() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try await runCoclick(["completion", shell])
            #expect(r.status == 0, "\(shell): \(r.stderr)")
            #expect(r.stdout.contains("meetings") && r.stdout.contains("every-date"), "\(shell)")
        }
        // The bash script is valid bash.
        let dir = try makeTempDirectory()
        let script = dir.appendingPathComponent("coclick.bash")
        try (try await runCoclick(["completion", "bash"])).stdout.write(to: script, atomically: true, encoding: .utf8)
        let check = try #require(try await runTool("/bin/bash", ["-n", script.path], env: ["PATH": "/usr/bin:/bin"], timeout: 30))
        #expect(check.status == 0, "\(check.err)")
        let bad = try await runCoclick(["completion", "tcsh"])
        #expect(bad.status == 2)

        let man = try await runCoclick(["man"])
        #expect(man.status == 0)
        #expect(man.stdout.hasPrefix(".TH COCLICK 1"))
        for section in [".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS", ".SH ENVIRONMENT", ".SH EXIT STATUS", "meetings list", "\\-\\-every\\-date"] {
            #expect(man.stdout.contains(section), "man page lacks \(section)")
        }
    }

    @Test func datesAsTypedAndRefusedInWords() async throws {
        try await withSimulator { sim, env in
            var paris = env
            paris["TZ"] = "Europe/Paris"
            let gap = try await runCoclick(["meetings", "create", "-u", "ada@example.com", "--starts-at", "2027-03-28 02:30",
                                            "--cobrowsing-url", "https://example.com"], env: paris)
            #expect(gap.status == 2)
            #expect(gap.stderr.contains("2027-03-28 02:30 does not exist in Europe/Paris"), "\(gap.stderr)")
            #expect(gap.stderr.contains("02:00") && gap.stderr.contains("03:00"))
            let blursday = try await runCoclick(["meetings", "list", "--from", "next blursday"], env: env)
            #expect(blursday.status == 2)
            #expect(blursday.stderr.contains("--from: 'next blursday' is not a date"), "\(blursday.stderr)")
            #expect(!sim.requests.contains { $0.method == "POST" && $0.path.hasSuffix("/meetings") })

            // A weekday with a 12-hour time, sent in the local zone.
            let made = try await runCoclick(["meetings", "create", "-u", "ada@example.com", "--starts-at", "next monday 10am",
                                             "--cobrowsing-url", "https://example.com", "--json"], env: paris)
            #expect(made.status == 0, "\(made.stderr)")
            let created = try #require(sim.meetings.first { $0.user == "ada@example.com" && $0.cobrowsingURL == "https://example.com" })
            let start = try #require(created.startsAt)
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = TimeZone(identifier: "Europe/Paris")!
            #expect(cal.component(.weekday, from: start.date) == 2 && cal.component(.hour, from: start.date) == 10)

            // --to a day without a time takes in that whole day.
            let day = cal.dateComponents([.year, .month, .day], from: start.date)
            let dayText = String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!)
            let upTo = try await runCoclick(["meetings", "list", "--to", dayText, "-u", "ada", "--json", "--per", "100"], env: paris)
            #expect(upTo.status == 0, "\(upTo.stderr)")
            #expect(try jsonArray(upTo.stdout).contains { $0["id"] as? String == created.id })
        }
    }

    @Test func showListsCookiesUnderTheirLabelWithoutTrailingSpaces() async throws {
        try await withSimulator { sim, env in
            let id = sim.addMeeting(NewMeeting(
                user: "ada@example.com", startsAt: APIDate(date: Date().addingTimeInterval(3600)), cobrowsingURL: "https://example.com",
                cookies: [Cookie(domain: "shop.example.com", name: "sid", value: ""), Cookie(domain: "example.com", name: "lang", value: "fr")]
            ), duration: 3600)
            let r = try await runCoclick(["meetings", "show", id], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(!lines.contains { $0.hasSuffix(" ") }, "trailing spaces:\n\(r.stdout)")
            let label = try #require(lines.firstIndex { $0.hasPrefix("cookies") })
            #expect(lines[label].hasSuffix(" 2"))
            #expect(lines[label + 1].trimmingCharacters(in: .whitespaces).hasPrefix("DOMAIN"), "\(r.stdout)")
            #expect(lines[label + 2].contains("shop.example.com") && lines[label + 2].hasSuffix("\"\""), "\(lines[label + 2])")
            #expect(lines.contains { $0.hasPrefix("duration") && $0.hasSuffix("1h 00m") }, "\(r.stdout)")
            #expect(lines.contains { $0.hasPrefix("presenter_waiting_room_iframe_url") && $0.hasSuffix("—") })
        }
    }

    @Test func asciiOnlyUnderLangC() async throws {
        try await withSimulator(SimulatorOptions(fixture: .hostile)) { _, env in
            var c = env
            c["LANG"] = "C"
            for args in [["next"], ["meetings", "list", "--every-date", "--per", "100"]] {
                let r = try await runCoclick(args, env: c)
                #expect(r.status == 0, "\(args): \(r.stderr)")
                #expect(r.stdout.utf8.allSatisfy { $0 < 0x80 }, "\(args): raw UTF-8 under LANG=C:\n\(r.stdout)")
                #expect(r.stderr.utf8.allSatisfy { $0 < 0x80 }, "\(args): raw UTF-8 on stderr")
            }
            let list = try await runCoclick(["meetings", "list", "--every-date", "--per", "100"], env: c)
            #expect(list.stdout.contains("\\u65e5\\u672c"), "non-ASCII data escaped readably:\n\(list.stdout)")
            let next = try await runCoclick(["next"], env: c)
            #expect(!next.stdout.contains("·") && next.stdout.contains(" - "), "\(next.stdout)")
            // The same in UTF-8 keeps the characters.
            let utf8 = try await runCoclick(["meetings", "list", "--every-date", "--per", "100"], env: env)
            #expect(utf8.stdout.contains("日本語"))
        }
    }

    @Test func dashboardUnderLangCDrawsASCII() async throws {
        try await Pane.with(width: 100, height: 30, command: demoCommand(extraEnv: ["LANG": "C", "LC_ALL": "C"])) { t in
            let r = try await t.wait(timeout: 30) { $0.contains("STATUS") && $0.contains("scheduled") && $0.contains("in progress") }
            #expect(r.ok, "\(r.screen)")
            #expect(r.screen.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII on a LANG=C screen:\n\(r.screen)")
            #expect(r.screen.contains("CoClick - "), "\(r.screen)")
            try await t.keys("?")
            let help = try await t.wait(for: "+-")
            #expect(help.ok, "the help box drawn in ASCII:\n\(help.screen)")
            #expect(help.screen.unicodeScalars.allSatisfy { $0.isASCII }, "\(help.screen)")
        }
    }

    @Test func tablesAreColouredOnlyOnATerminalAndNeverWithNoColor() async throws {
        try await withSimulator { _, env in
            for noColor in [false, true] {
                var paneEnv = env
                if noColor { paneEnv["NO_COLOR"] = "1" }
                try await Pane.with(width: 120, height: 40, command: "\"$COCLICK\" meetings list --every-date --per 30; echo list-done", env: paneEnv) { t in
                    let r = try await t.wait(for: "list-done", timeout: 30)
                    #expect(r.ok, "\(r.screen)")
                    let styled = try await t.tmux("capture-pane", "-p", "-e", "-t", t.session).out
                    #expect(styled.contains("in progress"))
                    if noColor {
                        #expect(!styled.contains("\u{1b}["), "colour with NO_COLOR:\n\(styled)")
                    } else {
                        #expect(styled.contains("\u{1b}[32m") || styled.contains("\u{1b}[1m") || styled.contains("\u{1b}[36m"),
                                "no colour on a terminal:\n\(styled)")
                    }
                }
            }
        }
    }
}
