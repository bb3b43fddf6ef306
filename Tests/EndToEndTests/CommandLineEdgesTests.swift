import CoClickAPI
import CoClickSimulator
import Foundation
import Testing

/// The real `coclick` binary on the command line's edges: where a notice
/// lands on a terminal, ranges and orders said in messages, option order,
/// id prefixes, config files that are not regular files, and which exit code
/// each kind of local refusal gets.
@Suite("command-line edges", .serialized)
struct CommandLineEdgesTests {
    /// On a terminal stdout and stderr share the screen: the "more on page 2"
    /// notice is read below the table it is about.
    @Test func moreMeetingsNoticeComesAfterTheTableOnATerminal() async throws {
        #expect(Pane.available, "tmux is needed: apt-get install tmux")
        try await withSimulatorEnvironment(SimulatorOptions(fixture: .count(12))) { _, env in
            // Kept alive after: tmux scrolls a dead pane's first line into its history.
            let command = "\"$COCLICK\" meetings list --every-date --per 5; echo \"exit=$?\"; sleep 60"
            try await Pane.with(width: 160, height: 30, command: command, env: env) { pane in
                let screen = try await pane.waitForScreen("the list to end", timeout: 60) { $0.contains("exit=") }
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let header = try #require(lines.firstIndex { $0.hasPrefix("ID ") }, "\(screen)")
                let notice = try #require(lines.firstIndex { $0.contains("on page 2") }, "\(screen)")
                // The header and its five rows, then the notice.
                #expect(notice == header + 6, "\(screen)")
                #expect(lines[notice].contains("--page 2"), "\(screen)")
                #expect(screen.contains("exit=0"), "\(screen)")
            }
            // Not a terminal: the notice stays on stderr, the table alone on stdout.
            let piped = try await runCoclick(["meetings", "list", "--every-date", "--per", "5"], env: env)
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(piped.stderr.contains("on page 2"))
            #expect(!piped.stdout.contains("page 2"))
            #expect(piped.stdout.split(separator: "\n").count == 6)
        }
    }

    /// 0 is refused, and the message gives the range that is taken.
    @Test func anOutOfRangeTimeoutSaysTheRealRange() async throws {
        for value in ["0", "601", "nan"] {
            let r = try await runCoclick(["meetings", "list", "--timeout", value], env: ["COCLICK_API_URL": "http://127.0.0.1:9/api/v1"])
            #expect(r.status == 2, "\(value): \(r.stderr)")
            #expect(r.stderr.contains("more than 0 and at most 600 seconds"), "\(value): \(r.stderr)")
            #expect(!r.stderr.contains("between 0"), "\(value): \(r.stderr)")
        }
    }

    /// `COCLICK_CONFIG=/dev/null` is no config at all; a regular file keeps its checks.
    @Test func devNullIsAnEmptyConfig() async throws {
        try await withSimulatorEnvironment { _, env in
            var withNull = env
            withNull["COCLICK_CONFIG"] = "/dev/null"
            let r = try await runCoclick(["auth", "check"], env: withNull)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("Company: Demo Company"))
            #expect(r.stderr.isEmpty, "\(r.stderr)")
            let flag = try await runCoclick(["auth", "check", "--config", "/dev/null"], env: env)
            #expect(flag.status == 0, "\(flag.stderr)")

            // A device that never ends is not taken for a config file.
            let zero = try await runCoclick(["auth", "check", "--config", "/dev/zero"], env: env)
            #expect(zero.status == 2)
            #expect(zero.stderr.contains("not a config file"), "\(zero.stderr)")

            let dir = try makeTempDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }

            // A pipe (`--config <(...)`) is read too, the key in it included.
            let keys = dir.appendingPathComponent("keys.toml").path
            let keysText = "secret_id = \"\(env["COCLICK_SECRET_ID"]!)\"\nsecret_key = \"\(env["COCLICK_SECRET_KEY"]!)\"\n"
            _ = FileManager.default.createFile(atPath: keys, contents: Data(keysText.utf8), attributes: [.posixPermissions: 0o600])
            var environment = isolatedEnvironment(home: scratchHome)
            environment["COCLICK_API_URL"] = env["COCLICK_API_URL"]
            environment["KEYS"] = keys
            let piped = try #require(try await runTool("bash", ["-c", "\"$0\" auth check --config <(cat \"$KEYS\")", CoclickBinary.url.path],
                                                        env: environment, search: true, timeout: 60))
            #expect(piped.status == 0, "\(piped.err)")
            #expect(piped.out.contains("Company: Demo Company"), "\(piped.out)")

            // A regular file holding the key, readable by others, is still refused.
            let path = dir.appendingPathComponent("config.toml").path
            _ = FileManager.default.createFile(atPath: path, contents: Data("secret_key = \"k\"\n".utf8), attributes: [.posixPermissions: 0o644])
            var withFile = env
            withFile["COCLICK_CONFIG"] = path
            let open = try await runCoclick(["auth", "check"], env: withFile)
            #expect(open.status == 2)
            #expect(open.stderr.contains("chmod 600"), "\(open.stderr)")
        }
    }

    /// `--per` goes before the command like the global options.
    @Test func perGoesBeforeTheCommand() async throws {
        try await withSimulatorEnvironment { _, env in
            let r = try await runCoclick(["--per", "5", "meetings", "list", "--every-date", "--json"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            #expect((try json(r.stdout) as? [Any])?.count == 5)
            let joined = try await runCoclick(["--per=3", "--timeout", "30", "meetings", "list", "--every-date", "--json"], env: env)
            #expect(joined.status == 0, "\(joined.stderr)")
            #expect((try json(joined.stdout) as? [Any])?.count == 3)
            // Its range is checked there too.
            let bad = try await runCoclick(["--per", "0", "meetings", "list"], env: env)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("--per"), "\(bad.stderr)")
        }
    }

    /// `--sort` is in the help, orders the list, and refuses an order it does not know, naming those it does.
    @Test func sortIsDocumentedAndRefusesUnknownOrders() async throws {
        let help = try await runCoclick(["meetings", "list", "--help"])
        #expect(help.status == 0)
        for order in MeetingQuery.sortOrders { #expect(help.stdout.contains(order), "\(order) not in help:\n\(help.stdout)") }

        try await withSimulatorEnvironment { _, env in
            func starts(_ args: [String]) async throws -> [Date] {
                let r = try await runCoclick(["meetings", "list", "--every-date", "--per", "100", "--json"] + args, env: env)
                #expect(r.status == 0, "\(args): \(r.stderr)")
                let items = try #require(try json(r.stdout) as? [[String: Any]])
                return items.compactMap { ($0["starts_at"] as? String).flatMap(APIDate.parse)?.date }
            }
            let latestFirst = try await starts(["--sort", MeetingQuery.byStartDescending])
            #expect(latestFirst.count > 2)
            #expect(latestFirst == latestFirst.sorted(by: >))
            // Case and spacing do not matter.
            let loud = try await starts(["--sort", "  " + MeetingQuery.byStartDescending.uppercased().replacingOccurrences(of: " ", with: "   ")])
            #expect(loud == latestFirst)

            let bad = try await runCoclick(["meetings", "list", "--sort", "starts_at sideways"], env: env)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("'starts_at sideways'"), "\(bad.stderr)")
            for order in MeetingQuery.sortOrders { #expect(bad.stderr.contains("'\(order)'"), "\(bad.stderr)") }
        }
    }

    /// A prefix of an id (or the whole id) matches in any case.
    @Test func idPrefixMatchesWithoutRegardToCase() async throws {
        try await withSimulatorEnvironment { sim, env in
            let id = try #require(sim.meetings.first { $0.id.contains { $0.isLetter } }?.id)
            for typed in [String(id.prefix(8)).uppercased(), id.uppercased()] {
                let r = try await runCoclick(["meetings", "show", typed, "--json"], env: env)
                #expect(r.status == 0, "\(typed): \(r.stderr)")
                #expect((try json(r.stdout) as? [String: Any])?["token"] as? String == id)
            }
        }
    }

    /// Input coclick cannot read exits 2; a field the API would refuse,
    /// caught before sending, exits 5 as the API's own refusal does.
    @Test func eachKindOfLocalRefusalHasOneExitCode() async throws {
        try await withSimulatorEnvironment { sim, env in
            sim.clearRequests()
            let ok = ["--user", "ada@example.com", "--starts-at", "in 1h", "--cobrowsing-url", "https://x.example.com"]
            func create(replacing option: String, with value: String) -> [String] {
                var args = ok
                if let i = args.firstIndex(of: option) { args[i + 1] = value } else { args += [option, value] }
                return ["meetings", "create"] + args
            }
            let unreadable: [([String], String)] = [
                (create(replacing: "--starts-at", with: "next blursday"), "--starts-at"),
                (create(replacing: "--custom-data", with: "{\"a\": 1,}"), "not valid JSON"),
                (create(replacing: "--cookie", with: "example.com-session"), "DOMAIN:NAME=VALUE"),
            ]
            let refused: [([String], String)] = [
                (create(replacing: "--user", with: "ada"), "user: is not an email address"),
                (create(replacing: "--cobrowsing-url", with: "ftp://x.example.com"), "cobrowsing_url: must be an http(s) URL"),
                (create(replacing: "--custom-data", with: "[1, 2]"), "custom_data: must be a JSON object"),
                (create(replacing: "--custom-data", with: "{\"n\": 1e400}"), "custom_data: the number 1e400 is too large"),
            ]
            for (cases, code) in [(unreadable, Int32(2)), (refused, Int32(5))] {
                for (args, message) in cases {
                    let r = try await runCoclick(args, env: env)
                    #expect(r.status == code, "\(args.suffix(2)): \(r.stderr)")
                    #expect(r.stderr.contains(message), "\(args.suffix(2)): \(r.stderr)")
                }
            }
            #expect(!sim.requests.contains { $0.method == "POST" })
        }
    }

    /// Every option the commands share goes before the subcommand as well as
    /// after it, with the same outcome: the options `coclick auth check --help`
    /// lists (all shared, but `--json`) and `--per`. An option added to the
    /// shared ones and not movable fails here.
    @Test func everySharedOptionMayComeBeforeTheSubcommand() async throws {
        try await withSimulatorEnvironment { _, env in
            let help = try await runCoclick(["auth", "check", "--help"], env: env)
            let usage = try #require(help.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE:") })
            let names = usage.split(separator: "[").compactMap { $0.split(separator: " ").first.map(String.init) }
                .map { $0.hasSuffix("]") ? String($0.dropLast()) : $0 }
                .filter { $0.hasPrefix("--") && $0 != "--json" }
            #expect(names.count == 8, "\(usage)")
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-shared-\(UUID().uuidString).log").path
            defer { try? FileManager.default.removeItem(atPath: log) }
            let values = [
                "--config": ["/dev/null"], "--profile": ["nope"], "--api-url": [env["COCLICK_API_URL"]!],
                "--allow-insecure-http": [], "--log-file": [log], "--timeout": ["30"], "--me": ["hugh@example.com"], "--theme": ["mono"],
            ]
            for name in names {
                let value = try #require(values[name], "a value for \(name)")
                let after = try await runCoclick(["auth", "check", name] + value, env: env)
                let before = try await runCoclick([name] + value + ["auth", "check"], env: env)
                #expect(before.status == after.status, "\(name): \(before.stderr)")
                // stdout names the token's expiry, a time that may move between the two runs.
                #expect(before.stderr == after.stderr, "\(name): \(before.stderr) / \(after.stderr)")
            }
            let after = try await runCoclick(["meetings", "list", "--json", "--every-date", "--per", "3"], env: env)
            let before = try await runCoclick(["--per", "3", "meetings", "list", "--json", "--every-date"], env: env)
            #expect(after.status == 0 && before.status == 0, "\(before.stderr)")
            #expect(try json(before.stdout) as? [Any] != nil && before.stdout == after.stdout)
        }
    }
}
