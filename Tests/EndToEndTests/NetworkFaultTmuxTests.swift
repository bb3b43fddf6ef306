import CoClickAPI
import CoClickSimulator
import Dashboard
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
        try await withRunningSimulator(options, body)
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

    /// The draft file of the account the dashboard uses (`environment(url, ...)`).
    static func draftFile(home: URL, url: URL) -> URL {
        DraftStore(directory: home.appendingPathComponent("state/coclick"),
                   account: AccountKey(apiURL: url.absoluteString, secretID: Simulator.demoCredentials.secretID)).fileURL
    }

    static func isOK(_ screen: String) -> Bool { footer(screen).hasPrefix(" ok · updated ") }

    /// Meeting rows on the list (every seeded owner is at example.com).
    static func rows(_ screen: String) -> Int {
        screen.split(separator: "\n").filter { $0.contains("@example.com") }.count
    }

    func apiRequests(_ sim: Simulator) -> [SimulatorRequest] {
        sim.requests.filter { $0.path.hasPrefix(Simulator.apiBasePath + "/") }
    }

    /// Runs `body` with `coclick <args>` as the pane's process in a 100x30 pane; killed afterwards.
    func withDashboard(_ args: [String], env: [String: String], _ body: (Pane) async throws -> Void) async throws {
        let command = "exec \"$COCLICK\" " + args.map(Pane.quote).joined(separator: " ")
        try await Pane.with(width: 100, height: 30, command: command, env: env, body)
    }

    @Test func maintenanceIsShownAndPassesWithoutAKeyPress() async throws {
        try await withSimulator { sim, url in
            let home = try makeTempDirectory()
            try await withDashboard(["--refresh", "1"], env: environment(url, home: home)) { tmux in
                let first = try await tmux.waitForScreen("the list, ok", timeout: Self.patience) { Self.isOK($0) && Self.rows($0) > 0 }
                let rows = Self.rows(first)
                sim.setMaintenance(true)
                let down = try await tmux.waitForScreen("maintenance in the footer", timeout: Self.patience) { Self.footer($0).hasPrefix(" maintenance · data ") }
                #expect(Self.footer(down).contains("old · next try in"))
                #expect(Self.footer(down).contains("maintenance (503)"))
                #expect(Self.rows(down) == rows, "the last good data stays on screen")
                sim.setMaintenance(false)
                let up = try await tmux.waitForScreen("ok again, untouched", timeout: Self.patience) { Self.isOK($0) }
                #expect(Self.rows(up) == rows)
            }
        }
    }

    @Test func offlineShowsTheDataAndItsAgeThenRecoversOnTheSamePort() async throws {
        // A `coclick simulator` process, killed outright: the port closes at once, as when a server dies.
        let first = try await SimulatorProcess(port: 0)
        defer { first.kill() }
        let home = try makeTempDirectory()
        try await withDashboard(["--refresh", "1"], env: environment(first.url, home: home)) { tmux in
            let before = try await tmux.waitForScreen("the list, ok", timeout: Self.patience) { Self.isOK($0) && Self.rows($0) > 0 }
            let rows = Self.rows(before)
            await first.stop()
            let down = try await tmux.waitForScreen("offline with the data's age", timeout: Self.patience) {
                Self.footer($0).hasPrefix(" offline · data ") && Self.footer($0).contains(" old · ")
            }
            #expect(Self.rows(down) == rows, "the last good data stays on screen")
            #expect(Self.footer(down).contains("cannot reach the API"))
            let second = try await SimulatorProcess(port: first.port)
            defer { second.kill() }
            let up = try await tmux.waitForScreen("recovered by itself", timeout: Self.patience) { Self.isOK($0) && Self.rows($0) > 0 }
            #expect(Self.rows(up) == rows)
        }
    }

    @Test func aRejectedKeyStopsPollingUntilR() async throws {
        try await withSimulator { sim, url in
            let home = try makeTempDirectory()
            try await withDashboard(["--refresh", "1"], env: environment(url, home: home, secretKey: "not-the-key")) { tmux in
                let screen = try await tmux.waitForScreen("API key rejected", timeout: Self.patience) { Self.footer($0).hasPrefix(" API key rejected · ") }
                #expect(Self.footer(screen).contains("polling stopped, r retries"))
                sim.clearRequests()
                // With a 1-second refresh, a dashboard that kept polling would ask several times.
                try await Task.sleep(nanoseconds: 4_000_000_000)
                #expect(apiRequests(sim).isEmpty, "requests after the key was rejected: \(apiRequests(sim).map(\.path))")
                try await tmux.keys("r")
                try await poll("r asks again", timeout: Self.patience) { !apiRequests(sim).isEmpty }
                _ = try await tmux.waitForScreen("still rejected", timeout: Self.patience) { Self.footer($0).hasPrefix(" API key rejected · polling stopped") }
                #expect(apiRequests(sim).count == 1, "one authentication for one r: \(apiRequests(sim).map(\.path))")
            }
        }
    }

    /// A rate-limiting API that asks for an hour gets no request in the
    /// meantime, and the footer says when the next one goes.
    @Test func aRateLimitHoldsPollingForItsRetryAfter() async throws {
        let server = try CannedServer { _ in
            "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3600\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        }
        defer { server.stop() }
        let home = try makeTempDirectory()
        let url = URL(string: server.url + "/api/v1")!
        try await withDashboard(["--refresh", "1"], env: environment(url, home: home)) { tmux in
            let screen = try await tmux.waitForScreen("rate limited", timeout: Self.patience) { Self.footer($0).hasPrefix(" rate limited · ") }
            #expect(Self.footer(screen).contains("next try in 1h") || Self.footer(screen).contains("next try in 59m"), "\(Self.footer(screen))")
            #expect(Self.footer(screen).contains("(429)"), "\(Self.footer(screen))")
            // Back-off alone would have asked again after 2 s, 4 s, 8 s...
            try await Task.sleep(for: .seconds(8))
            #expect(server.requestLines.count == 1, "\(server.requestLines)")
        }
    }

    @Test func shortLivedTokensRenewWithoutTheUserNoticing() async throws {
        try await withSimulator(SimulatorOptions(tokenTTL: 3)) { sim, url in
            let home = try makeTempDirectory()
            try await withDashboard(["--refresh", "1"], env: environment(url, home: home)) { tmux in
                _ = try await tmux.waitForScreen("the list, ok", timeout: Self.patience) { Self.isOK($0) && Self.rows($0) > 0 }
                func authentications() -> Int { sim.requests.filter { $0.path.hasSuffix("/authenticate") }.count }
                var notOK: [String] = []
                // Several expiries (a 3 s token renews at half its life), watched the whole time.
                try await poll("four token renewals", timeout: Self.patience) {
                    let screen = try await tmux.capture()
                    if !Self.isOK(screen) { notOK.append(Self.footer(screen)) }
                    return authentications() >= 5
                }
                #expect(notOK.isEmpty, "the footer left ok: \(notOK)")
                let gets = sim.requests.filter { $0.method == "GET" && $0.path.hasSuffix("/meetings") }.count
                #expect(gets >= 4)
            }
        }
    }

    @Test func aCreateThatTimesOutKeepsTheFormAndSaysTheMeetingMayExist() async throws {
        try await withSimulator { sim, url in
            let home = try makeTempDirectory()
            try await withDashboard(["--refresh", "1", "--timeout", "2"], env: environment(url, home: home)) { tmux in
                _ = try await tmux.waitForScreen("the list, ok", timeout: Self.patience) { Self.isOK($0) && Self.rows($0) > 0 }
                try await tmux.keys("n")
                _ = try await tmux.waitForScreen("the form", timeout: Self.patience) { $0.contains("New meeting") }
                try await tmux.type("ada@example.com")
                try await tmux.keys("Tab")
                try await tmux.type("in 3h")
                try await tmux.keys("Tab")
                try await tmux.type("https://shop.example.com/hung")
                try await tmux.keys("Tab")
                try await tmux.type(#"{"crm":7}"#)
                _ = try await tmux.waitForScreen("typed", timeout: Self.patience) { $0.contains(#"{"crm":7}"#) }
                sim.setHang(true)
                try await tmux.keys("C-s")
                let creating = try await tmux.waitForScreen("creating…", timeout: Self.patience) { $0.contains("Creating…") }
                #expect(creating.contains("creating…"))
                try await tmux.keys("C-s")
                let answer = try await tmux.waitForScreen("no answer", timeout: Self.patience) { $0.contains("the meeting may exist") }
                for typed in ["ada@example.com", "in 3h", "https://shop.example.com/hung", #"{"crm":7}"#] {
                    #expect(answer.contains(typed), "lost \(typed)")
                }
                #expect(answer.contains("The server did not answer: the meeting may exist"))
                #expect(answer.contains("Ctrl-R: look for it in the list · Ctrl-S: submit again"))
                let posts = sim.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/meetings") }
                #expect(posts.count == 1, "a second Ctrl-S while creating sent again")
                // The server is back: look for it. The hung request may or may not
                // have gone through when the hang lifted; the dashboard must say which.
                sim.setHang(false)
                try await tmux.keys("C-r")
                let looked = try await tmux.waitForScreen("an answer to the look", timeout: Self.patience) {
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
    }

    @Test func aDraftSurvivesQuitAndSignalsAndGoesAfterACreate() async throws {
        try await withSimulator { sim, url in
            let home = try makeTempDirectory()
            let env = environment(url, home: home)
            // One draft per API URL and secret id, in a file named by their hash.
            let draftFile = Self.draftFile(home: home, url: url)
            do {
                try await withDashboard(["--refresh", "1"], env: env) { tmux in
                    _ = try await tmux.waitForScreen("the list, ok", timeout: Self.patience) { Self.isOK($0) }
                    try await tmux.keys("n")
                    _ = try await tmux.waitForScreen("the form", timeout: Self.patience) { $0.contains("New meeting") }
                    try await tmux.type("grace@example.com")
                    try await tmux.keys("Tab")
                    try await tmux.type("tomorrow 9:00")
                    try await tmux.keys("Tab")
                    try await tmux.type("https://example.com/restart")
                    _ = try await tmux.waitForScreen("typed", timeout: Self.patience) { $0.contains("https://example.com/restart") }
                    try await tmux.keys("Escape")
                    _ = try await tmux.waitForScreen("draft kept", timeout: Self.patience) { $0.contains("Draft kept") }
                    let attrs = try FileManager.default.attributesOfItem(atPath: draftFile.path)
                    #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
                    let dir = try FileManager.default.attributesOfItem(atPath: draftFile.deletingLastPathComponent().path)
                    #expect((dir[.posixPermissions] as? NSNumber)?.intValue == 0o700)
                    try await tmux.keys("q")
                    try await poll("the dashboard quits", timeout: Self.patience) { try await !tmux.isRunning() }
                }
            }
            // A new process: n brings the draft back, then a signal with the form open keeps the edit.
            do {
                try await withDashboard(["--refresh", "1"], env: env) { tmux in
                    _ = try await tmux.waitForScreen("the list, ok", timeout: Self.patience) { Self.isOK($0) }
                    try await tmux.keys("n")
                    // The whole frame, footer included: a capture can catch a frame half written.
                    let restored = try await tmux.waitForScreen("the draft back", timeout: Self.patience) {
                        $0.contains("https://example.com/restart") && $0.contains("Draft restored")
                    }
                    #expect(restored.contains("grace@example.com"))
                    #expect(restored.contains("tomorrow 9:00"))
                    #expect(restored.contains("Draft restored"))
                    // The cursor is on the user field, as in a new form.
                    try await tmux.keys("Tab", "Tab")
                    try await tmux.type("?edited=1")
                    _ = try await tmux.waitForScreen("edited", timeout: Self.patience) { $0.contains("?edited=1") }
                    // Saved as it is typed: SIGTERM and SIGHUP end the process inside a
                    // signal handler, where no Swift code runs, so the file must already hold it.
                    try await poll("the draft saved while typing", timeout: Self.patience) {
                        (try? String(contentsOf: draftFile, encoding: .utf8))?.contains("?edited=1") == true
                    }
                    try await tmux.signal(SIGTERM)
                    try await poll("the dashboard ends on SIGTERM", timeout: Self.patience) { try await !tmux.isRunning() }
                    #expect((try? String(contentsOf: draftFile, encoding: .utf8))?.contains("?edited=1") == true)
                }
            }
            // And after a successful create it is gone.
            do {
                try await withDashboard(["--refresh", "1"], env: env) { tmux in
                    _ = try await tmux.waitForScreen("the list, ok", timeout: Self.patience) { Self.isOK($0) }
                    try await tmux.keys("n")
                    _ = try await tmux.waitForScreen("the draft back", timeout: Self.patience) { $0.contains("?edited=1") }
                    try await tmux.keys("C-s")
                    _ = try await tmux.waitForScreen("created", timeout: Self.patience) { $0.contains("Created meeting") }
                    // Removed off the main thread, right after.
                    try await poll("the draft removed", timeout: Self.patience) { !FileManager.default.fileExists(atPath: draftFile.path) }
                    #expect(sim.meetings.contains { $0.cobrowsingURL == "https://example.com/restart?edited=1" })
                }
            }
        }
    }

    @Test func aCorruptDraftIsIgnoredWithAMessage() async throws {
        try await withSimulator { _, url in
            let home = try makeTempDirectory()
            let dir = home.appendingPathComponent("state/coclick")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data("{ not json".utf8).write(to: Self.draftFile(home: home, url: url))
            try await withDashboard(["--refresh", "1"], env: environment(url, home: home)) { tmux in
                _ = try await tmux.waitForScreen("the list, ok", timeout: Self.patience) { Self.isOK($0) }
                try await tmux.keys("n")
                let screen = try await tmux.waitForScreen("the message", timeout: Self.patience) { $0.contains("Saved draft ignored") }
                #expect(screen.contains("New meeting"))
                #expect(try await tmux.isRunning())
            }
        }
    }
}
