import CoClickAPI
import CoClickSimulator
import Foundation
import Testing

/// The real `coclick` binary against a simulator on 127.0.0.1: output, --json and exit codes.
@Suite("coclick commands end to end", .serialized)
struct CommandTests {
    /// Starts a simulator, runs `body` with the env that points coclick at it, stops it.
    func withSimulator(
        _ options: SimulatorOptions = SimulatorOptions(),
        _ body: (Simulator, [String: String]) async throws -> Void
    ) async throws {
        try await withSimulatorEnvironment(options, body)
    }


    @Test func authCheckPrintsCompanyAndExpiryButNeverTheToken() async throws {
        try await withSimulator { sim, env in
            let r = try await runCoclick(["auth", "check"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("Company: Demo Company"))
            #expect(r.stdout.contains("Token expires:"))
            #expect(!r.stdout.contains(Simulator.demoCredentials.secretKey))
            #expect(!r.stdout.contains("eyJ") && !r.stdout.lowercased().contains("bearer"))

            let j = try await runCoclick(["auth", "check", "--json"], env: env)
            #expect(j.status == 0)
            let obj = try #require(try json(j.stdout) as? [String: Any])
            #expect(obj["company"] as? String == "Demo Company")
            #expect((obj["expires_at"] as? String).flatMap(APIDate.parse) != nil)
            #expect(obj["token"] == nil)
        }
    }

    @Test func wrongCredentialsExit3() async throws {
        try await withSimulator { _, env in
            var bad = env
            bad["COCLICK_SECRET_KEY"] = "not-the-key"
            let r = try await runCoclick(["meetings", "list"], env: bad)
            #expect(r.status == 3)
            #expect(r.stderr.contains("authentication failed"))
            #expect(!r.stderr.contains("not-the-key"))
        }
    }

    @Test func missingCredentialsIsAUsageError() async throws {
        let r = try await runCoclick(["meetings", "list"], env: ["COCLICK_API_URL": "http://127.0.0.1:9/api/v1"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("COCLICK_SECRET_ID"))
    }

    @Test func listAsTableAndJSON() async throws {
        try await withSimulator { sim, env in
            let r = try await runCoclick(["meetings", "list", "--every-date", "--per", "100"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("ID") == true)
            #expect(lines.count == sim.meetings.count + 1)
            for status in ["scheduled", "in progress", "closed", "cancelled"] {
                #expect(r.stdout.contains(status), "table lacks \(status)")
            }

            let j = try await runCoclick(["meetings", "list", "--json", "--per", "5"], env: env)
            #expect(j.status == 0)
            let items = try #require(try json(j.stdout) as? [[String: Any]])
            #expect(items.count == 5)
            for item in items {
                #expect(Set(item.keys) == ["id", "user", "status", "starts_at"])
            }
        }
    }

    /// `coclick ... | head` is everyday use: a reader that goes away ends the
    /// command as it ends `cat` (SIGPIPE, status 141), never with a trap.
    @Test func aReaderThatGoesAwayEndsTheCommandQuietly() async throws {
        try await withSimulator { _, env in
            var environment = isolatedEnvironment(home: scratchHome)
            environment.merge(env) { $1 }
            for args in ["meetings list --json --every-date --per 100", "meetings list --every-date --per 100", "completion bash"] {
                // `true` reads nothing and exits at once, so every write after it finds no reader.
                let script = "\"$0\" \(args) | true; echo \"${PIPESTATUS[0]}\""
                let r = try #require(try await runTool("bash", ["-c", script, CoclickBinary.url.path],
                                                       env: environment, search: true, timeout: 60))
                #expect(r.out.trimmingCharacters(in: .whitespacesAndNewlines) == "141", "\(args): \(r.out) \(r.err)")
                #expect(r.err.isEmpty, "\(args): \(r.err)")
            }
        }
    }

    @Test func listFiltersAndAllPages() async throws {
        try await withSimulator(SimulatorOptions(fixture: .count(45))) { _, env in
            let all = try await runCoclick(["meetings", "list", "--every-date", "--all", "--per", "20", "--json"], env: env)
            #expect(all.status == 0, "\(all.stderr)")
            #expect((try json(all.stdout) as? [Any])?.count == 45)

            let page3 = try await runCoclick(["meetings", "list", "--every-date", "--page", "3", "--per", "20", "--json"], env: env)
            #expect((try json(page3.stdout) as? [Any])?.count == 5)

            let hugh = try await runCoclick(["meetings", "list", "--every-date", "--all", "--user", "hugh", "--json"], env: env)
            let items = try #require(try json(hugh.stdout) as? [[String: Any]])
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { ($0["user"] as? String)?.contains("hugh") == true })
        }
        try await withSimulator { _, env in
            let r = try await runCoclick(["meetings", "list", "--every-date", "--status", "cancelled", "--status", "closed", "--json", "--per", "100"], env: env)
            let items = try #require(try json(r.stdout) as? [[String: Any]])
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { ["cancelled", "closed"].contains($0["status"] as? String ?? "") })

            let future = try await runCoclick(["meetings", "list", "--from", "now", "--json", "--per", "100"], env: env)
            let upcoming = try #require(try json(future.stdout) as? [[String: Any]])
            let now = Date().addingTimeInterval(-5)
            #expect(!upcoming.isEmpty)
            #expect(upcoming.allSatisfy { (($0["starts_at"] as? String).flatMap(APIDate.parse)?.date ?? .distantPast) >= now })

            let badStatus = try await runCoclick(["meetings", "list", "--status", "bogus"], env: env)
            #expect(badStatus.status == 2)
            let badDate = try await runCoclick(["meetings", "list", "--from", "next blursday"], env: env)
            #expect(badDate.status == 2)
            #expect(badDate.stderr.contains("--from"))
        }
    }

    @Test func showEveryFieldAndNotFound() async throws {
        try await withSimulator { sim, env in
            let id = try #require(sim.meetings.first?.id)
            let r = try await runCoclick(["meetings", "show", id], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            for field in ["status", "starts_at", "duration", "cobrowsing_url", "prospect_room_url", "presenter_room_url", "custom_data"] {
                #expect(r.stdout.contains(field))
            }
            let j = try await runCoclick(["meetings", "show", id, "--json"], env: env)
            let obj = try #require(try json(j.stdout) as? [String: Any])
            #expect(obj["token"] as? String == id)
            #expect(obj.keys.contains("prospect_room_url"))

            let short = try await runCoclick(["meetings", "show", String(id.prefix(8)), "--json"], env: env)
            #expect(short.status == 0, "\(short.stderr)")
            #expect((try json(short.stdout) as? [String: Any])?["token"] as? String == id)

            let missing = try await runCoclick(["meetings", "show", String(repeating: "0", count: 64)], env: env)
            #expect(missing.status == 4)
            #expect(missing.stderr.contains("not found"))
        }
    }

    @Test func createValidMeeting() async throws {
        try await withSimulator { sim, env in
            let before = sim.meetings.count
            let r = try await runCoclick([
                "meetings", "create", "--user", "ada@example.com", "--starts-at", "in 2h",
                "--cobrowsing-url", "https://shop.example.com/cart",
                "--cookie", "shop.example.com:session=abc=def:1", "--custom-data", #"{"user_id": 17, "username": "Phil"}"#,
                "--presenter-waiting-room-iframe-url", "https://www.youtube.com/embed/x", "--json",
            ], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            let obj = try #require(try json(r.stdout) as? [String: Any])
            let id = try #require(obj["token"] as? String)
            #expect(sim.meetings.count == before + 1)
            let made = try #require(sim.meetings.first { $0.id == id })
            #expect(made.user == "ada@example.com")
            #expect(made.cookies == [Cookie(domain: "shop.example.com", name: "session", value: "abc=def:1")])
            #expect(made.customData == .object(["user_id": .int(17), "username": .string("Phil")]))
        }
    }

    @Test func createRejectedByTheServerExits5WithEachField() async throws {
        try await withSimulator { _, env in
            let r = try await runCoclick([
                "meetings", "create", "--user", "nobody@elsewhere.org", "--starts-at", "tomorrow 9:00",
                "--cobrowsing-url", "https://shop.example.com",
            ], env: env)
            #expect(r.status == 5)
            #expect(r.stderr.contains("user: User must exist"))
        }
    }

    @Test func createBadInputNeverReachesTheServer() async throws {
        try await withSimulator { sim, env in
            sim.clearRequests()
            let base = ["meetings", "create", "--user", "ada@example.com", "--starts-at", "in 1h", "--cobrowsing-url", "https://x.example.com"]
            let cases: [([String], Int32, String)] = [
                (base + ["--cookie", "no-separator"], 2, "DOMAIN:NAME=VALUE"),
                (base + ["--cookie", ":name=v"], 2, "domain and name"),
                (base + ["--custom-data", "[1,2]"], 5, "JSON object"),
                (base + ["--custom-data", "{nope"], 2, "not valid JSON"),
                (["meetings", "create", "--user", "ada@example.com", "--starts-at", "someday", "--cobrowsing-url", "https://x.example.com"], 2, "--starts-at"),
                (["meetings", "create", "--user", "ada@example.com", "--starts-at", "2020-01-01 10:00", "--cobrowsing-url", "https://x.example.com"], 2, "in the past"),
                (["meetings", "create", "--user", "not-an-email", "--starts-at", "in 1h", "--cobrowsing-url", "ftp://x"], 5, "cobrowsing_url"),
                (["meetings", "create", "--user", String(repeating: "a", count: 10_000) + "@example.com", "--starts-at", "in 1h", "--cobrowsing-url", "https://x.example.com"], 5, "too long"),
            ]
            for (args, code, message) in cases {
                let r = try await runCoclick(args, env: env)
                #expect(r.status == code, "\(args.suffix(2)): \(r.stderr)")
                #expect(r.stderr.contains(message), "\(args.suffix(2)): \(r.stderr)")
            }
            #expect(!sim.requests.contains { $0.method == "POST" && $0.path.hasSuffix("/meetings") })
        }
    }

    @Test func moreBadOptionsAreRefusedBeforeAnythingIsSent() async throws {
        try await withSimulator { sim, env in
            sim.clearRequests()
            let ok = ["--user", "ada@example.com", "--starts-at", "in 1h", "--cobrowsing-url", "https://x.example.com"]
            let tenKB = String(repeating: "x", count: 10 * 1024)
            let cases: [([String], Int32, String)] = [
                (["meetings", "create", "--user", "", "--starts-at", "in 1h", "--cobrowsing-url", "https://x.example.com"], 5, "user: is required"),
                (["meetings", "create", "--user", "ada@example.com", "--starts-at", "", "--cobrowsing-url", "https://x.example.com"], 2, "--starts-at"),
                (["meetings", "create", "--user", "ada@example.com", "--starts-at", "in 1h", "--cobrowsing-url", ""], 5, "cobrowsing_url: is required"),
                (["meetings", "create", "--user", "ada@example.com", "--starts-at", tenKB, "--cobrowsing-url", "https://x.example.com"], 2, "--starts-at"),
                (["meetings", "create", "--user", "ada@example.com", "--starts-at", "in 1h", "--cobrowsing-url", "https://x.example.com/" + tenKB], 5, "too long"),
                (["meetings", "create"] + ok + ["--custom-data", ""], 2, "not valid JSON"),
                (["meetings", "create"] + ok + ["--custom-data", "\"text\""], 5, "JSON object"),
                (["meetings", "create"] + ok + ["--custom-data", "{" + tenKB], 2, "not valid JSON"),
                (["meetings", "create"] + ok + ["--custom-data", String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)], 2, "--custom-data"),
                (["meetings", "create"] + ok + ["--cookie", "example.com:=v"], 2, "domain and name"),
                (["meetings", "create"] + ok + ["--cookie", "example.com:name"], 2, "missing '='"),
                (["meetings", "create"] + ok + ["--presenter-waiting-room-iframe-url", "not a url"], 5, "presenter_waiting_room_iframe_url"),
                (["meetings", "create"] + ok + ["--prospect-waiting-room-iframe-url", "https://x.example.com/" + tenKB], 5, "too long"),
                (["meetings", "list", "--per", "abc"], 2, "--per"),
                (["meetings", "list", "--per", "0"], 2, "--per"),
                (["meetings", "list", "--page", "0"], 2, "--page"),
                (["meetings", "list", "--from", "someday"], 2, "--from"),
                (["meetings", "list", "--user", tenKB], 2, "too long"),
                (["meetings", "show", ""], 2, "empty"),
                (["meetings", "show", "\u{1b}]52;c;aGFja2Vk\u{07}"], 2, "\\x1b]52"),
                (["demo", "--fail-rate", "2"], 2, "--fail-rate"),
                (["demo", "--latency-ms", "-5"], 2, "latency"),
            ]
            for (args, code, message) in cases {
                let r = try await runCoclick(args, env: env)
                let shown = args.map { String($0.prefix(40)) }.suffix(2)
                #expect(r.status == code, "\(shown): \(r.stderr.prefix(300))")
                #expect(r.stderr.contains(message), "\(shown): \(r.stderr.prefix(300))")
                #expect(!r.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(shown): raw control in stderr")
            }
            #expect(!sim.requests.contains { $0.method == "POST" })
        }
    }

    @Test func serverErrorsExit1() async throws {
        try await withSimulator { sim, env in
            sim.setMaintenance(true)
            let r = try await runCoclick(["meetings", "list", "--timeout", "5"], env: env)
            #expect(r.status == 1)
            #expect(r.stderr.contains("maintenance"))
            sim.setMaintenance(false)
            sim.setGarbage(true)
            let g = try await runCoclick(["meetings", "list"], env: env)
            #expect(g.status == 1)
            #expect(g.stderr.contains("not the expected JSON"))
        }
    }

    @Test func hostileDataIsEscapedInTextOutput() async throws {
        try await withSimulator(SimulatorOptions(fixture: .hostile)) { sim, env in
            let r = try await runCoclick(["meetings", "list", "--every-date", "--per", "100"], env: env)
            #expect(r.status == 0)
            #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x202E })
            #expect(r.stdout.contains("\\x1b"))
            for m in sim.meetings where m.user?.unicodeScalars.contains(where: { $0.value < 0x20 }) == true {
                let s = try await runCoclick(["meetings", "show", m.id], env: env)
                #expect(s.status == 0)
                #expect(!s.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
            }
        }
    }

    @Test func configFileHoldingSecretMustBePrivate() async throws {
        try await withSimulator { _, env in
            let dir = try makeTempDirectory()
            let path = dir.appendingPathComponent("config.toml").path
            let toml = """
            api_url = "\(env["COCLICK_API_URL"]!)"
            secret_id = "demo-secret-id"
            secret_key = "demo-secret-key"
            """
            _ = FileManager.default.createFile(atPath: path, contents: Data(toml.utf8), attributes: [.posixPermissions: 0o644])
            let refused = try await runCoclick(["auth", "check", "--config", path])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains(path))
            #expect(refused.stderr.contains("chmod 600"))
            #expect(!refused.stderr.contains("demo-secret-key"))

            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            let ok = try await runCoclick(["auth", "check", "--config", path])
            #expect(ok.status == 0, "\(ok.stderr)")

            // Environment beats the file; the flag beats the environment.
            let envWins = try await runCoclick(["auth", "check", "--config", path], env: ["COCLICK_API_URL": "http://127.0.0.1:9/api/v1"])
            #expect(envWins.status == 1)
            let flagWins = try await runCoclick(["auth", "check", "--config", path, "--api-url", env["COCLICK_API_URL"]!], env: ["COCLICK_API_URL": "http://127.0.0.1:9/api/v1"])
            #expect(flagWins.status == 0)

            // The default location is used when nothing else is given.
            let xdg = dir.appendingPathComponent("xdg")
            try FileManager.default.createDirectory(at: xdg.appendingPathComponent("coclick"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: path, toPath: xdg.appendingPathComponent("coclick/config.toml").path)
            let viaXDG = try await runCoclick(["auth", "check"], env: ["XDG_CONFIG_HOME": xdg.path])
            #expect(viaXDG.status == 0, "\(viaXDG.stderr)")
            // A relative XDG_CONFIG_HOME is ignored (the XDG spec calls it invalid): HOME's .config is read.
            let home = dir.appendingPathComponent("home")
            try FileManager.default.createDirectory(at: home.appendingPathComponent(".config/coclick"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: path, toPath: home.appendingPathComponent(".config/coclick/config.toml").path)
            let relative = try await runCoclick(["auth", "check"], env: ["HOME": home.path, "XDG_CONFIG_HOME": "xdg"])
            #expect(relative.status == 0, "\(relative.stderr)")
            // Neither an absolute XDG_CONFIG_HOME nor a HOME: no default file, and the message says where one goes.
            let homeless = try await runCoclick(["auth", "check"], env: ["HOME": "", "XDG_CONFIG_HOME": ""])
            #expect(homeless.status == 2)
            #expect(homeless.stderr.contains("$XDG_CONFIG_HOME/coclick/config.toml"), "\(homeless.stderr)")

            let broken = dir.appendingPathComponent("broken.toml").path
            _ = FileManager.default.createFile(atPath: broken, contents: Data("refresh_interval = \"soon\"\n".utf8))
            let bad = try await runCoclick(["auth", "check", "--config", broken], env: env)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("refresh_interval"))

            let missing = try await runCoclick(["auth", "check", "--config", dir.appendingPathComponent("nope.toml").path], env: env)
            #expect(missing.status == 2)
        }
    }

    @Test func clipboardValuesFromEnvironmentAndConfigFile() async throws {
        try await withSimulator { _, env in
            for good in ["auto", "OSC52", "tmux", "screen", "off", "command:xclip -selection clipboard"] {
                let r = try await runCoclick(["auth", "check"], env: env.merging(["COCLICK_CLIPBOARD": good]) { $1 })
                #expect(r.status == 0, "\(good): \(r.stderr)")
            }
            for bad in ["xclip", "command:", "command:  ", "clipboard"] {
                let r = try await runCoclick(["auth", "check"], env: env.merging(["COCLICK_CLIPBOARD": bad]) { $1 })
                #expect(r.status == 2, "\(bad)")
                #expect(r.stderr.contains("is not one of auto, osc52, tmux, screen, off, command:<program>"), "\(r.stderr)")
            }
            let dir = try makeTempDirectory()
            let path = dir.appendingPathComponent("config.toml").path
            try "clipboard = \"command:wl-copy\"\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try await runCoclick(["auth", "check", "--config", path], env: env).status == 0)
            try "clipboard = \"pbcopy\"\n".write(toFile: path, atomically: true, encoding: .utf8)
            let r = try await runCoclick(["auth", "check", "--config", path], env: env)
            #expect(r.status == 2)
            #expect(r.stderr.contains("clipboard mode 'pbcopy'"), "\(r.stderr)")
        }
    }

    @Test func insecureHTTPIsRefusedUnlessLoopbackOrAllowed() async throws {
        let env = ["COCLICK_SECRET_ID": "id", "COCLICK_SECRET_KEY": "key"]
        let r = try await runCoclick(["auth", "check", "--api-url", "http://coclick.invalid/api/v1"], env: env)
        #expect(r.status == 2)
        #expect(r.stderr.contains("--allow-insecure-http"))
        let allowed = try await runCoclick(["auth", "check", "--api-url", "http://coclick.invalid/api/v1", "--allow-insecure-http", "--timeout", "3"], env: env)
        #expect(allowed.status == 1)
    }

    @Test func secretKeyIsNotAnArgumentAndNeverLogged() async throws {
        let r = try await runCoclick(["auth", "check", "--secret-key", "x"])
        #expect(r.status == 2)
        try await withSimulator { _, env in
            let dir = try makeTempDirectory()
            let log = dir.appendingPathComponent("coclick.log").path
            let ok = try await runCoclick(["meetings", "list", "--log-file", log], env: env)
            #expect(ok.status == 0)
            let text = try String(contentsOfFile: log, encoding: .utf8)
            #expect(text.contains("GET /meetings"))
            #expect(text.contains("POST /authenticate"))
            #expect(!text.contains("demo-secret-key"))
            #expect(!text.lowercased().contains("bearer"))
            let attrs = try FileManager.default.attributesOfItem(atPath: log)
            #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }

    @Test func nextPrintsOneLineAboutTheCurrentOrNextMeeting() async throws {
        try await withSimulator { sim, env in
            let live = sim.meetings.filter { $0.status == .inProgress }.sorted { $0.startsAt!.date < $1.startsAt!.date }
            let first = try #require(live.first)
            let r = try await runCoclick(["next"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.split(separator: "\n").count == 1)
            #expect(r.stdout.hasPrefix("live "), "\(r.stdout)")
            #expect(r.stdout.contains(first.shortID))

            let f = try await runCoclick(["next", "--format", "{status}|{id}|{prospect_room_url}"], env: env)
            #expect(f.status == 0, "\(f.stderr)")
            #expect(f.stdout == "in_progress|\(first.id)|\(first.prospectRoomURL ?? "")\n")

            let bad = try await runCoclick(["next", "--format", "{nope}"], env: env)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("{nope}"))
        }
        try await withSimulator(SimulatorOptions(fixture: .empty)) { _, env in
            let r = try await runCoclick(["next"], env: env)
            #expect(r.status == 0)
            #expect(r.stdout == "no upcoming meetings\n")
        }
        try await withSimulator(SimulatorOptions(fixture: .count(3))) { sim, env in
            let soonest = try #require(sim.meetings.first)
            let r = try await runCoclick(["next", "--format", "{countdown} {short_id}"], env: env)
            #expect(r.stdout == "in 1d 00h \(soonest.shortID)\n" || r.stdout == "in 23h 59m \(soonest.shortID)\n", "\(r.stdout)")
        }
    }

    @Test func simulatorCommandServesTheAPI() async throws {
        // The full environment of the test runner, as before: only the pipes are ours.
        let sim = try await SimulatorProcess(port: 0, env: ProcessInfo.processInfo.environment)
        defer { sim.kill() }
        let url = sim.url.absoluteString
        let r = try await runCoclick(["meetings", "list", "--json"], env: [
            "COCLICK_API_URL": url, "COCLICK_SECRET_ID": "demo-secret-id", "COCLICK_SECRET_KEY": "demo-secret-key",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(((try json(r.stdout)) as? [Any])?.isEmpty == false)
        let exit = await sim.stop(SIGTERM)
        #expect(exit?.exited == true, "SIGTERM should stop the simulator cleanly")
    }
}
