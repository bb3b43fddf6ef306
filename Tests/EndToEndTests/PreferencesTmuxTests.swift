import CoClickAPI
import CoClickSimulator
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Issue 9 parts 4 to 7 end to end: the real `coclick` in tmux against a
/// simulator over loopback: the cached list on a slow start, clicks and the
/// wheel (raw SGR mouse bytes), a `[keys]` remap, `--profile`.
@Suite("Instant start, mouse, keys and profiles (tmux)", .serialized)
struct PreferencesTmuxTests {
    static let patience: TimeInterval = 90

    func withSimulator(_ body: (Simulator, URL) async throws -> Void) async throws {
        try await withRunningSimulator(SimulatorOptions(), body)
    }

    /// A dashboard's environment: files under `home`, pointed at `url` unless a config says otherwise.
    func environment(_ url: URL?, home: URL) -> [String: String] {
        var env = isolatedEnvironment(home: home)
        if let url {
            env["COCLICK_API_URL"] = url.absoluteString
            env["COCLICK_SECRET_ID"] = Simulator.demoCredentials.secretID
            env["COCLICK_SECRET_KEY"] = Simulator.demoCredentials.secretKey
        }
        return env
    }

    /// `coclick <args>` in a 100x30 pane; the shell prints its exit status afterwards.
    func withDashboard(_ args: [String], env: [String: String], _ body: (Pane) async throws -> Void) async throws {
        let command = "\"$COCLICK\" " + args.map(Pane.quote).joined(separator: " ") + "; echo \"exit=$?\"; sleep 60"
        try await Pane.with(width: 100, height: 30, command: command, env: env, body)
    }

    static func footer(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }).map(String.init) ?? ""
    }

    static func lines(_ screen: String) -> [String] { screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    static func rowIDs(_ screen: String) -> [String] {
        lines(screen).filter { $0.contains("@example.com") }.compactMap { $0.split(separator: " ").last.map(String.init) }
    }

    /// The bytes of an SGR mouse report, for `send-keys -H`: `b` as xterm sends
    /// it, column and row from 0.
    static func sgr(_ b: Int, x: Int, y: Int, release: Bool = false) -> [String] {
        Array("\u{1b}[<\(b);\(x + 1);\(y + 1)\(release ? "m" : "M")".utf8).map { String(format: "%02x", $0) }
    }

    func click(_ t: Pane, x: Int, y: Int) async throws {
        try await t.tmux(["send-keys", "-t", t.session, "-H"] + Self.sgr(0, x: x, y: y) + Self.sgr(0, x: x, y: y, release: true))
    }

    @Test func aSecondStartWithASlowServerDrawsTheCachedRowsFirst() async throws {
        try await withSimulator { sim, url in
            let home = try makeTempDirectory()
            let env = environment(url, home: home)
            var firstIDs: [String] = []
            try await withDashboard(["--refresh", "60"], env: env) { t in
                let s = try await t.waitForScreen("the list, ok", timeout: Self.patience) { Self.footer($0).hasPrefix(" ok · updated") && !Self.rowIDs($0).isEmpty }
                firstIDs = Self.rowIDs(s)
                try await t.keys("q")
                try await t.waitFor("exit=0", timeout: Self.patience)
            }
            // One file, private, named by neither the URL nor the secret id, with list fields only.
            let dir = home.appendingPathComponent("cache/coclick")
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
            #expect(files.count == 1, "\(files)")
            let file = dir.appendingPathComponent(files.first ?? "")
            let mode = ((try FileManager.default.attributesOfItem(atPath: file.path))[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600)
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            #expect(!files[0].contains(Simulator.demoCredentials.secretID) && !text.contains(Simulator.demoCredentials.secretID))
            #expect(!text.contains("room") && !text.contains("cookies") && !text.contains("custom_data") && !text.contains(Simulator.demoCredentials.secretKey))
            #expect(text.contains("\"starts_at\""))

            // Now every answer takes 8 s: the cached rows are drawn long before it.
            sim.setLatency(milliseconds: 8000)
            try await withDashboard(["--refresh", "60", "--timeout", "120"], env: env) { t in
                let cached = try await t.waitForScreen("cached rows", timeout: Self.patience) { !Self.rowIDs($0).isEmpty }
                let footer = Self.footer(cached)
                #expect(footer.hasPrefix(" connecting · cached "), "drawn before any answer: \(footer)")
                #expect(footer.contains("s ago") || footer.contains("m ago"))
                #expect(Self.rowIDs(cached) == firstIDs)
                // Then refreshed, and the mark goes.
                let fresh = try await t.waitForScreen("the answer", timeout: Self.patience) { Self.footer($0).hasPrefix(" ok · updated") }
                #expect(!Self.footer(fresh).contains("cached"))
                #expect(!Self.rowIDs(fresh).isEmpty)
            }
        }
    }

    @Test func aClickSelectsADoubleClickOpensAndTheWheelScrolls() async throws {
        try await withSimulator { _, url in
            let home = try makeTempDirectory()
            try await withDashboard(["--refresh", "60"], env: environment(url, home: home)) { t in
                _ = try await t.waitForScreen("the list", timeout: Self.patience) { Self.rowIDs($0).count >= 6 }
                #expect(try await t.format("#{mouse_sgr_flag}") == "1", "SGR mouse reports asked for")
                // Rows are read from a fresh capture before each gesture: the
                // agenda's "now" line moves as meetings start, shifting rows.
                // A capture can land in the middle of a repaint (just after `q`, the
                // header is on screen before the rows' last cells): wait for rows
                // that end with their ID, not with the owner.
                func rows() async throws -> (lines: [String], rows: [Int]) {
                    let screen = try await t.waitForScreen("whole rows", timeout: Self.patience) { s in
                        let owners = Self.lines(s).filter { $0.contains("@example.com") }
                        return owners.count >= 6 && owners.allSatisfy { !($0.split(separator: " ").last ?? "").contains("@") }
                    }
                    let lines = Self.lines(screen)
                    return (lines, lines.indices.filter { lines[$0].contains("@example.com") })
                }
                func id(_ lines: [String], _ y: Int) -> String { lines[y].split(separator: " ").last.map(String.init) ?? "?" }

                // A click on the first row selects it: Enter opens that one.
                var (lines, rs) = try await rows()
                try await click(t, x: 30, y: rs[0])
                try await Task.sleep(for: .milliseconds(300))
                try await t.keys("Enter")
                try await t.waitFor("Meeting \(id(lines, rs[0]))", timeout: Self.patience)
                try await t.keys("q")
                try await t.waitFor("COUNTDOWN", timeout: Self.patience)

                // The wheel: one notch down moves three rows.
                (lines, rs) = try await rows()
                try await click(t, x: 30, y: rs[0])
                try await t.tmux(["send-keys", "-t", t.session, "-H"] + Self.sgr(65, x: 30, y: rs[0]))
                try await Task.sleep(for: .milliseconds(300))
                try await t.keys("Enter")
                try await t.waitFor("Meeting \(id(lines, rs[3]))", timeout: Self.patience)
                try await t.keys("q")
                try await t.waitFor("COUNTDOWN", timeout: Self.patience)

                // A double-click opens the row under it.
                (lines, rs) = try await rows()
                let target = rs[2]
                try await t.tmux(["send-keys", "-t", t.session, "-H"]
                                 + Self.sgr(0, x: 40, y: target) + Self.sgr(0, x: 40, y: target, release: true)
                                 + Self.sgr(0, x: 40, y: target) + Self.sgr(0, x: 40, y: target, release: true))
                try await t.waitFor("Meeting \(id(lines, target))", timeout: Self.patience)
                try await t.keys("q")

                // In the form a click focuses a field: what is typed lands there.
                try await t.keys("n")
                let form = try await t.waitForScreen("the form", timeout: Self.patience) { $0.contains("Cobrowsing URL") }
                let urlRow = try #require(Self.lines(form).firstIndex { $0.contains("Cobrowsing URL") })
                try await click(t, x: 40, y: urlRow)
                try await Task.sleep(for: .milliseconds(300))
                try await t.type("https://clicked.example")
                let typed = try await t.waitForScreen("typed into the URL field", timeout: Self.patience) { $0.contains("https://clicked.example") }
                #expect(Self.lines(typed)[urlRow].contains("https://clicked.example"), "\(typed)")
                try await t.keys("Escape")
                try await t.waitFor("COUNTDOWN", timeout: Self.patience)
                try await t.keys("q")
                try await t.waitFor("exit=0", timeout: Self.patience)
                #expect(try await t.format("#{mouse_sgr_flag}#{mouse_standard_flag}") == "00", "mouse reports off again after exit")
            }
        }
    }

    @Test func sigtermGivesTheMouseBack() async throws {
        try await withSimulator { _, url in
            let home = try makeTempDirectory()
            try await withDashboard(["--refresh", "60"], env: environment(url, home: home)) { t in
                _ = try await t.waitForScreen("the list", timeout: Self.patience) { !Self.rowIDs($0).isEmpty }
                try await t.waitUntil("mouse reports on", timeout: Self.patience) { try await t.format("#{mouse_sgr_flag}") == "1" }
                let pid = try await t.coclickPID()
                kill(pid, SIGTERM)
                try await t.waitFor("exit=143", timeout: Self.patience)
                #expect(try await t.format("#{mouse_sgr_flag}#{mouse_standard_flag}") == "00", "the signal handler turns mouse reports off")
            }
        }
    }

    @Test func mouseFalseLeavesTheMouseToTheTerminal() async throws {
        try await withSimulator { _, url in
            let home = try makeTempDirectory()
            let config = home.appendingPathComponent("config.toml")
            try "mouse = false\n".write(to: config, atomically: true, encoding: .utf8)
            try await withDashboard(["--config", config.path, "--refresh", "60"], env: environment(url, home: home)) { t in
                let s = try await t.waitForScreen("the list", timeout: Self.patience) { Self.rowIDs($0).count >= 3 }
                #expect(try await t.format("#{mouse_sgr_flag}#{mouse_standard_flag}") == "00")
                // Even a report sent anyway does nothing.
                let lines = Self.lines(s)
                let rows = lines.indices.filter { lines[$0].contains("@example.com") }
                try await t.tmux(["send-keys", "-t", t.session, "-H"]
                                 + Self.sgr(0, x: 40, y: rows[2]) + Self.sgr(0, x: 40, y: rows[2], release: true)
                                 + Self.sgr(0, x: 40, y: rows[2]) + Self.sgr(0, x: 40, y: rows[2], release: true))
                try await Task.sleep(for: .milliseconds(800))
                #expect(try await t.capture().contains("COUNTDOWN"), "still on the list")
            }
        }
    }

    @Test func aRemappedKeyActsAndTheFooterAndHelpShowIt() async throws {
        try await withSimulator { _, url in
            let home = try makeTempDirectory()
            let config = home.appendingPathComponent("config.toml")
            try """
            [keys]
            quit = "x"
            refresh = "j"
            teleport = "T"
            """.write(to: config, atomically: true, encoding: .utf8)
            try await withDashboard(["--config", config.path, "--refresh", "60"], env: environment(url, home: home)) { t in
                // Said at start, in words.
                let start = try await t.waitForScreen("the conflict said", timeout: Self.patience) { $0.contains("[keys]") }
                #expect(start.contains("[1 of 2, ?/F1 lists them] config file: [keys] teleport: no such action"), "\(start)")
                try await t.keys("?")
                let help = try await t.waitForScreen("the help", timeout: Self.patience) { $0.contains("Configuration problems") }
                #expect(help.contains("teleport: no such action"))
                #expect(help.contains("refresh = \"j\": j is already"), "\(help)")
                #expect(help.contains("move_down on the list screen;"), "\(help)")
                #expect(help.contains("x") && help.contains("quit"))
                try await t.keys("Space")
                try await t.keys("Escape")
                let list = try await t.waitForScreen("the footer hints", timeout: Self.patience) {
                    Self.lines($0).contains { $0.contains("x quit") } && !Self.rowIDs($0).isEmpty
                }
                #expect(!Self.lines(list).contains { $0.contains("q quit") })
                try await t.keys("q")
                try await Task.sleep(for: .milliseconds(800))
                #expect(try await t.capture().contains("COUNTDOWN"), "q no longer quits")
                try await t.keys("x")
                try await t.waitFor("exit=0", timeout: Self.patience)
            }
        }
    }

    @Test func profileChoosesATableOfTheConfigAndTheHeaderShowsIt() async throws {
        try await withSimulator { _, url in
            let home = try makeTempDirectory()
            let config = home.appendingPathComponent("config.toml")
            // The top level points nowhere useful; the profile at the simulator.
            try """
            api_url = "http://127.0.0.1:9/api/v1"
            secret_id = "nobody"
            secret_key = "nothing"

            [profiles.staging]
            api_url = "\(url.absoluteString)"
            secret_id = "\(Simulator.demoCredentials.secretID)"
            secret_key = "\(Simulator.demoCredentials.secretKey)"
            refresh_interval = 60

            [profiles.staging.keys]
            quit = "Q"
            """.write(to: config, atomically: true, encoding: .utf8)
            chmod(config.path, 0o600)
            let env = environment(nil, home: home)
            try await withDashboard(["--config", config.path, "--profile", "staging"], env: env) { t in
                let s = try await t.waitForScreen("the list", timeout: Self.patience) { Self.footer($0).hasPrefix(" ok · updated") && !Self.rowIDs($0).isEmpty }
                #expect(Self.lines(s)[0].contains("profile staging"), "\(Self.lines(s)[0])")
                try await t.keys("Q")
                try await t.waitFor("exit=0", timeout: Self.patience)
            }
            // COCLICK_PROFILE does the same; and a second profile has its own draft and cache files.
            var viaEnv = env
            viaEnv["COCLICK_PROFILE"] = "staging"
            viaEnv["COCLICK_CONFIG"] = config.path
            try await withDashboard([], env: viaEnv) { t in
                let s = try await t.waitForScreen("the list", timeout: Self.patience) { Self.footer($0).hasPrefix(" ok · updated") && !Self.rowIDs($0).isEmpty }
                #expect(Self.lines(s)[0].contains("profile staging"))
                try await t.keys("Q")
                try await t.waitFor("exit=0", timeout: Self.patience)
            }
            // Every command takes it.
            let list = try await runCoclick(["meetings", "list", "--config", config.path, "--profile", "staging"], env: env)
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.contains("@example.com"))
            let noProfile = try await runCoclick(["meetings", "list", "--config", config.path, "--timeout", "5"], env: env)
            #expect(noProfile.status != 0, "the top level alone points nowhere")
            let unknown = try await runCoclick(["meetings", "list", "--config", config.path, "--profile", "prod"], env: env)
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("no profile 'prod'") && unknown.stderr.contains("profiles: staging"), "\(unknown.stderr)")
            #expect(!unknown.stderr.contains(Simulator.demoCredentials.secretKey))

            // A secret in a profile falls under the same permission rule.
            chmod(config.path, 0o644)
            let loose = try await runCoclick(["meetings", "list", "--config", config.path, "--profile", "staging"], env: env)
            #expect(loose.status == 2)
            #expect(loose.stderr.contains("chmod 600"))
            let onlyInProfile = home.appendingPathComponent("profile-secret.toml")
            try "[profiles.a]\nsecret_key = \"k\"\n".write(to: onlyInProfile, atomically: true, encoding: .utf8)
            chmod(onlyInProfile.path, 0o644)
            let refused = try await runCoclick(["meetings", "list", "--config", onlyInProfile.path], env: env)
            #expect(refused.status == 2 && refused.stderr.contains("chmod 600"), "\(refused.stderr)")
        }
    }
}
