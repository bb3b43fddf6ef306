import CoClickAPI
import CoClickSimulator
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Issue 4 parts 3 and 4 end to end: the real `coclick` dashboard in tmux,
/// against a simulator over loopback whose faults the tests flip.
@Suite("Dashboard under network faults (tmux)", .serialized)
struct NetworkFaultTmuxTests {
    /// Generous: the machine may be busy building; nothing here waits this long when it works.
    static let patience: TimeInterval = 90

    func withSimulator(_ options: SimulatorOptions = SimulatorOptions(), _ body: (Simulator, URL) async throws -> Void) async throws {
        let sim = Simulator(options: options)
        let url = try await sim.start()
        do { try await body(sim, url) } catch {
            await sim.stop()
            throw error
        }
        await sim.stop()
    }

    /// The environment of a dashboard pointed at `url`, its files under `home`.
    func environment(_ url: URL, home: URL, secretKey: String = Simulator.demoCredentials.secretKey) -> [String: String] {
        [
            "HOME": home.path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "LANG": "C.UTF-8",
            "COCLICK_API_URL": url.absoluteString,
            "COCLICK_SECRET_ID": Simulator.demoCredentials.secretID,
            "COCLICK_SECRET_KEY": secretKey,
        ]
    }

    static func footer(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }).map(String.init) ?? ""
    }

    static func isOK(_ screen: String) -> Bool { footer(screen).hasPrefix(" ok · updated ") }

    /// Meeting rows on the list (every seeded owner is at example.com).
    static func rows(_ screen: String) -> Int {
        screen.split(separator: "\n").filter { $0.contains("@example.com") }.count
    }

    func apiRequests(_ sim: Simulator) -> [SimulatorRequest] {
        sim.requests.filter { $0.path.hasPrefix(Simulator.apiBasePath + "/") }
    }

    @Test func maintenanceIsShownAndPassesWithoutAKeyPress() async throws {
        try await withSimulator { sim, url in
            let home = try makeTempDirectory()
            let tmux = try NetTmux(args: ["--refresh", "1"], env: environment(url, home: home))
            defer { tmux.kill() }
            let first = try await tmux.waitUntil("the list, ok", timeout: Self.patience) { Self.isOK($0) && Self.rows($0) > 0 }
            let rows = Self.rows(first)
            sim.setMaintenance(true)
            let down = try await tmux.waitUntil("maintenance in the footer", timeout: Self.patience) { Self.footer($0).hasPrefix(" maintenance · data ") }
            #expect(Self.footer(down).contains("old · next try in"))
            #expect(Self.footer(down).contains("maintenance (503)"))
            #expect(Self.rows(down) == rows, "the last good data stays on screen")
            sim.setMaintenance(false)
            let up = try await tmux.waitUntil("ok again, untouched", timeout: Self.patience) { Self.isOK($0) }
            #expect(Self.rows(up) == rows)
        }
    }

    @Test func offlineShowsTheDataAndItsAgeThenRecoversOnTheSamePort() async throws {
        // A `coclick simulator` process, killed outright: the port closes at once, as when a server dies.
        let first = try SimulatorProcess(port: 0)
        defer { first.kill() }
        let home = try makeTempDirectory()
        let tmux = try NetTmux(args: ["--refresh", "1"], env: environment(first.url, home: home))
        defer { tmux.kill() }
        let before = try await tmux.waitUntil("the list, ok", timeout: Self.patience) { Self.isOK($0) && Self.rows($0) > 0 }
        let rows = Self.rows(before)
        first.kill()
        let down = try await tmux.waitUntil("offline with the data's age", timeout: Self.patience) {
            Self.footer($0).hasPrefix(" offline · data ") && Self.footer($0).contains(" old · ")
        }
        #expect(Self.rows(down) == rows, "the last good data stays on screen")
        #expect(Self.footer(down).contains("cannot reach the API"))
        let second = try SimulatorProcess(port: first.port)
        defer { second.kill() }
        let up = try await tmux.waitUntil("recovered by itself", timeout: Self.patience) { Self.isOK($0) && Self.rows($0) > 0 }
        #expect(Self.rows(up) == rows)
    }

    @Test func aRejectedKeyStopsPollingUntilR() async throws {
        try await withSimulator { sim, url in
            let home = try makeTempDirectory()
            let tmux = try NetTmux(args: ["--refresh", "1"], env: environment(url, home: home, secretKey: "not-the-key"))
            defer { tmux.kill() }
            let screen = try await tmux.waitUntil("API key rejected", timeout: Self.patience) { Self.footer($0).hasPrefix(" API key rejected · ") }
            #expect(Self.footer(screen).contains("polling stopped, r retries"))
            sim.clearRequests()
            // With a 1-second refresh, a dashboard that kept polling would ask several times.
            try await Task.sleep(nanoseconds: 4_000_000_000)
            #expect(apiRequests(sim).isEmpty, "requests after the key was rejected: \(apiRequests(sim).map(\.path))")
            tmux.send("r")
            try await netWaitUntil("r asks again", timeout: Self.patience) { !apiRequests(sim).isEmpty }
            _ = try await tmux.waitUntil("still rejected", timeout: Self.patience) { Self.footer($0).hasPrefix(" API key rejected · polling stopped") }
            #expect(apiRequests(sim).count == 1, "one authentication for one r: \(apiRequests(sim).map(\.path))")
        }
    }

    @Test func shortLivedTokensRenewWithoutTheUserNoticing() async throws {
        try await withSimulator(SimulatorOptions(tokenTTL: 3)) { sim, url in
            let home = try makeTempDirectory()
            let tmux = try NetTmux(args: ["--refresh", "1"], env: environment(url, home: home))
            defer { tmux.kill() }
            _ = try await tmux.waitUntil("the list, ok", timeout: Self.patience) { Self.isOK($0) && Self.rows($0) > 0 }
            func authentications() -> Int { sim.requests.filter { $0.path.hasSuffix("/authenticate") }.count }
            var notOK: [String] = []
            // Several expiries (a 3 s token renews at half its life), watched the whole time.
            try await netWaitUntil("four token renewals", timeout: Self.patience) {
                let screen = tmux.capture()
                if !Self.isOK(screen) { notOK.append(Self.footer(screen)) }
                return authentications() >= 5
            }
            #expect(notOK.isEmpty, "the footer left ok: \(notOK)")
            let gets = sim.requests.filter { $0.method == "GET" && $0.path.hasSuffix("/meetings") }.count
            #expect(gets >= 4)
        }
    }

    @Test func aCreateThatTimesOutKeepsTheFormAndSaysTheMeetingMayExist() async throws {
        try await withSimulator { sim, url in
            let home = try makeTempDirectory()
            let tmux = try NetTmux(args: ["--refresh", "1", "--timeout", "2"], env: environment(url, home: home))
            defer { tmux.kill() }
            _ = try await tmux.waitUntil("the list, ok", timeout: Self.patience) { Self.isOK($0) && Self.rows($0) > 0 }
            tmux.send("n")
            _ = try await tmux.waitUntil("the form", timeout: Self.patience) { $0.contains("New meeting") }
            tmux.type("ada@example.com")
            tmux.send("Tab")
            tmux.type("in 3h")
            tmux.send("Tab")
            tmux.type("https://shop.example.com/hung")
            tmux.send("Tab")
            tmux.type(#"{"crm":7}"#)
            _ = try await tmux.waitUntil("typed", timeout: Self.patience) { $0.contains(#"{"crm":7}"#) }
            sim.setHang(true)
            tmux.send("C-s")
            let creating = try await tmux.waitUntil("creating…", timeout: Self.patience) { $0.contains("Creating…") }
            #expect(creating.contains("creating…"))
            tmux.send("C-s")
            let answer = try await tmux.waitUntil("no answer", timeout: Self.patience) { $0.contains("the meeting may exist") }
            for typed in ["ada@example.com", "in 3h", "https://shop.example.com/hung", #"{"crm":7}"#] {
                #expect(answer.contains(typed), "lost \(typed)")
            }
            #expect(answer.contains("The server did not answer: the meeting may exist"))
            #expect(answer.contains("Ctrl-L: look for it in the list · Ctrl-S: submit again"))
            let posts = sim.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/meetings") }
            #expect(posts.count == 1, "a second Ctrl-S while creating sent again")
            // The server is back: look for it. The hung request may or may not
            // have gone through when the hang lifted; the dashboard must say which.
            sim.setHang(false)
            tmux.send("C-l")
            let looked = try await tmux.waitUntil("an answer to the look", timeout: Self.patience) {
                $0.contains("it was not created") || $0.contains("the create went through")
            }
            let exists = sim.meetings.contains { $0.user == "ada@example.com" && $0.cobrowsingURL == "https://shop.example.com/hung" }
            if looked.contains("the create went through") {
                #expect(exists)
            } else {
                #expect(looked.contains("https://shop.example.com/hung"), "the form is kept")
            }
        }
    }

    @Test func aDraftSurvivesQuitAndSignalsAndGoesAfterACreate() async throws {
        try await withSimulator { sim, url in
            let home = try makeTempDirectory()
            let env = environment(url, home: home)
            let draftFile = home.appendingPathComponent("state/coclick/draft.json")
            do {
                let tmux = try NetTmux(args: ["--refresh", "1"], env: env)
                defer { tmux.kill() }
                _ = try await tmux.waitUntil("the list, ok", timeout: Self.patience) { Self.isOK($0) }
                tmux.send("n")
                _ = try await tmux.waitUntil("the form", timeout: Self.patience) { $0.contains("New meeting") }
                tmux.type("grace@example.com")
                tmux.send("Tab")
                tmux.type("tomorrow 9:00")
                tmux.send("Tab")
                tmux.type("https://example.com/restart")
                _ = try await tmux.waitUntil("typed", timeout: Self.patience) { $0.contains("https://example.com/restart") }
                tmux.send("Escape")
                _ = try await tmux.waitUntil("draft kept", timeout: Self.patience) { $0.contains("Draft kept") }
                let attrs = try FileManager.default.attributesOfItem(atPath: draftFile.path)
                #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
                let dir = try FileManager.default.attributesOfItem(atPath: draftFile.deletingLastPathComponent().path)
                #expect((dir[.posixPermissions] as? NSNumber)?.intValue == 0o700)
                tmux.send("q")
                try await netWaitUntil("the dashboard quits", timeout: Self.patience) { !tmux.isRunning }
            }
            // A new process: n brings the draft back, then a signal with the form open keeps the edit.
            do {
                let tmux = try NetTmux(args: ["--refresh", "1"], env: env)
                defer { tmux.kill() }
                _ = try await tmux.waitUntil("the list, ok", timeout: Self.patience) { Self.isOK($0) }
                tmux.send("n")
                let restored = try await tmux.waitUntil("the draft back", timeout: Self.patience) { $0.contains("https://example.com/restart") }
                #expect(restored.contains("grace@example.com"))
                #expect(restored.contains("tomorrow 9:00"))
                #expect(restored.contains("Draft restored"))
                // The cursor is on the user field, as in a new form.
                tmux.send("Tab", "Tab")
                tmux.type("?edited=1")
                _ = try await tmux.waitUntil("edited", timeout: Self.patience) { $0.contains("?edited=1") }
                // Saved as it is typed: SIGTERM and SIGHUP end the process inside a
                // signal handler, where no Swift code runs, so the file must already hold it.
                try await netWaitUntil("the draft saved while typing", timeout: Self.patience) {
                    (try? String(contentsOf: draftFile, encoding: .utf8))?.contains("?edited=1") == true
                }
                tmux.signal("TERM")
                try await netWaitUntil("the dashboard ends on SIGTERM", timeout: Self.patience) { !tmux.isRunning }
                #expect((try? String(contentsOf: draftFile, encoding: .utf8))?.contains("?edited=1") == true)
            }
            // And after a successful create it is gone.
            do {
                let tmux = try NetTmux(args: ["--refresh", "1"], env: env)
                defer { tmux.kill() }
                _ = try await tmux.waitUntil("the list, ok", timeout: Self.patience) { Self.isOK($0) }
                tmux.send("n")
                _ = try await tmux.waitUntil("the draft back", timeout: Self.patience) { $0.contains("?edited=1") }
                tmux.send("C-s")
                _ = try await tmux.waitUntil("created", timeout: Self.patience) { $0.contains("Created meeting") }
                #expect(!FileManager.default.fileExists(atPath: draftFile.path))
                #expect(sim.meetings.contains { $0.cobrowsingURL == "https://example.com/restart?edited=1" })
            }
        }
    }

    @Test func aCorruptDraftIsIgnoredWithAMessage() async throws {
        try await withSimulator { _, url in
            let home = try makeTempDirectory()
            let dir = home.appendingPathComponent("state/coclick")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data("{ not json".utf8).write(to: dir.appendingPathComponent("draft.json"))
            let tmux = try NetTmux(args: ["--refresh", "1"], env: environment(url, home: home))
            defer { tmux.kill() }
            _ = try await tmux.waitUntil("the list, ok", timeout: Self.patience) { Self.isOK($0) }
            tmux.send("n")
            let screen = try await tmux.waitUntil("the message", timeout: Self.patience) { $0.contains("Saved draft ignored") }
            #expect(screen.contains("New meeting"))
            #expect(tmux.isRunning)
        }
    }
}

/// `coclick simulator --port N` as a separate process, stopped with SIGKILL.
final class SimulatorProcess: Sendable {
    let process: Process
    let url: URL
    let port: Int

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(port: Int) throws {
        let p = Process()
        p.executableURL = CoclickBinary.url
        p.arguments = ["simulator", "--port", String(port)]
        p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": scratchHome.path, "LANG": "C.UTF-8"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // The first line names the base URL.
        var buffer = Data()
        let handle = out.fileHandleForReading
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        let first = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first ?? ""
        guard let text = first.split(separator: " ").map(String.init).first(where: { $0.hasPrefix("http://127.0.0.1:") }),
              let url = URL(string: text.trimmingCharacters(in: .whitespacesAndNewlines)), let bound = url.port else {
            p.terminate()
            throw Failure(description: "coclick simulator did not print its URL: \(first)")
        }
        process = p
        self.url = url
        self.port = bound
    }

    /// SIGKILL: no graceful shutdown, the listening socket closes with the process. Safe to call twice.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Polls `condition` until it holds; throws after `timeout` seconds.
func netWaitUntil(_ what: String, timeout: TimeInterval, _ condition: () throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return }
        try await Task.sleep(nanoseconds: 200_000_000)
    }
    if try condition() { return }
    throw NetTmux.Timeout(what: what, screen: "")
}

/// A private tmux server (its own `-L` socket) running one coclick dashboard
/// in a 100x30 window. Killed by `kill()`; call it in a `defer`.
/// (A shared helper is coming on main as Tests/EndToEndTests/Tmux.swift.)
final class NetTmux: Sendable {
    struct Timeout: Error, CustomStringConvertible {
        var what: String
        var screen: String
        var description: String { "timed out waiting for \(what); the screen:\n\(screen)" }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let socket = "coclick-net-\(getpid())-\(UUID().uuidString.prefix(8))"
    static let session = "dash"

    init(args: [String], env: [String: String], width: Int = 100, height: Int = 30) throws {
        func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "exec " + ([CoclickBinary.url.path] + args).map(quote).joined(separator: " ")
        var argv = ["new-session", "-d", "-s", Self.session, "-x", "\(width)", "-y", "\(height)"]
        for (k, v) in env.sorted(by: { $0.key < $1.key }) { argv += ["-e", "\(k)=\(v)"] }
        argv.append(command)
        let r = tmux(argv)
        guard r.status == 0 else { throw Failure(description: "tmux new-session failed: \(r.output)") }
    }

    /// Runs tmux with posix_spawn and waitpid, not Foundation's `Process`: the
    /// server new-session forks keeps inherited descriptors open, and the test
    /// runner's threads block signals, which a tmux server must not inherit
    /// (it could neither reap its pane nor be killed). Output goes to a file.
    @discardableResult
    func tmux(_ args: [String]) -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: file) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var env = ProcessInfo.processInfo.environment
        env["TMUX"] = nil
        if (env["TERM"] ?? "").isEmpty || env["TERM"] == "dumb" { env["TERM"] = "xterm-256color" }
        let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + args
        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "tmux", &actions, &attr, &cArgs, &cEnv)
        guard rc == 0 else { return (-1, "cannot run tmux: error \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        // Exited normally: the exit code; otherwise report a failure.
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        return (code, output)
    }

    /// Key names as tmux spells them ("Tab", "C-s", "Escape") or single characters.
    func send(_ keys: String...) { tmux(["send-keys", "-t", Self.session] + keys) }
    /// Literal text.
    func type(_ text: String) { tmux(["send-keys", "-t", Self.session, "-l", text]) }
    func capture() -> String { tmux(["capture-pane", "-p", "-t", Self.session]).output }
    var isRunning: Bool { tmux(["has-session", "-t", Self.session]).status == 0 }

    /// Sends a signal to the dashboard process itself.
    func signal(_ name: String) {
        let pid = tmux(["display-message", "-p", "-t", Self.session, "#{pane_pid}"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let n = Int32(pid), n > 0 else { return }
        let sig: Int32 = name == "TERM" ? SIGTERM : name == "HUP" ? SIGHUP : SIGINT
        Foundation.kill(n, sig)
    }

    /// Captures until `condition` holds for the screen; throws (with the screen) after `timeout`.
    /// Sleeps with `Task.sleep`, never blocking a thread of the shared pool
    /// (the in-process simulators of other suites run there too).
    @discardableResult
    func waitUntil(_ what: String, timeout: TimeInterval, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        repeat {
            screen = capture()
            if condition(screen) { return screen }
            try await Task.sleep(nanoseconds: 100_000_000)
        } while Date() < deadline
        throw Timeout(what: what, screen: screen)
    }

    func kill() {
        tmux(["kill-server"])
        let dir = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(dir)/tmux-\(getuid())/\(socket)")
    }
}
