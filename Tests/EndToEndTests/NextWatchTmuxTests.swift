import CoClickAPI
import CoClickSimulator
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `coclick next --watch` where a presenter sees it: in a tmux status line
/// (`#(…)` in `status-right`), as waybar's JSON lines, behind a pipe that
/// closes, and with the API gone.
@Suite("next --watch", .serialized)
struct NextWatchTmuxTests {
    func env(_ url: URL) -> [String: String] {
        ["COCLICK_API_URL": url.absoluteString, "COCLICK_SECRET_ID": Simulator.demoCredentials.secretID,
         "COCLICK_SECRET_KEY": Simulator.demoCredentials.secretKey]
    }

    func start(_ seconds: TimeInterval) -> APIDate {
        APIDate(date: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + seconds).rounded()), offsetSeconds: 3600)
    }

    /// The bottom line of the outer pane: the inner tmux's status line.
    func statusLine(_ pane: Pane) async throws -> String {
        try await pane.capture().split(separator: "\n", omittingEmptySubsequences: false).last { !$0.isEmpty }.map(String.init) ?? ""
    }

    /// A tmux inside the pane whose status-right runs `coclick next --watch --format tmux`: the
    /// status line, drawn as a user sees it, is the outer pane's last line.
    @Test func tmuxStatusLineFollowsTheNextMeeting() async throws {
        try await withRunningSimulator(SimulatorOptions(fixture: .count(3))) { sim, url in
            // The inner server also ends by itself once its client (the outer pane) is gone: exit-unattached.
            let inner = "coclick-inner-\(getpid())-\(UUID().uuidString.prefix(6))"
            let first = try #require(sim.meetings.first)
            let conf = """
            set -g status on
            set -g status-interval 1
            set -g status-left ''
            set -g status-style default
            set -g status-right-length 110
            set -g status-right '#("$COCLICK" next --watch --format tmux --refresh 1)'
            set -g exit-unattached on
            """
            let script = """
            printf '%s\\n' \(Pane.quote(conf)) > "$DIR/inner.conf"
            exec tmux -L \(inner) -f "$DIR/inner.conf" new-session 'sleep 300'
            """
            func endInner() async {
                _ = try? await Pane.run(["-L", inner, "kill-server"])
                // tmux leaves the socket file behind when it exits.
                let tmp = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
                unlink("\(tmp)/tmux-\(getuid())/\(inner)")
            }
            do {
                try await watchInTmuxStatus(sim, script: script, env: env(url), first: first)
            } catch {
                await endInner()
                throw error
            }
            await endInner()
        }
    }

    func watchInTmuxStatus(_ sim: Simulator, script: String, env: [String: String], first: Meeting) async throws {
        try await Pane.with(width: 120, height: 10, command: script, env: env, insideTmux: false) { pane in
            try await pane.waitUntil("the first meeting in the status line", timeout: 60) {
                try await statusLine(pane).contains("(\(first.shortID))")
            }
            let line = try await statusLine(pane)
            // The markup is tmux's, not text: no "#[" reaches the screen.
            #expect(!line.contains("#["), "\(line)")
            // A day ahead when made: read a few minutes later on a busy machine, still within the day.
            #expect(line.contains("in 1d 00h") || line.range(of: #"in 23h [0-5][0-9]m"#, options: .regularExpression) != nil, "\(line)")

            // A meeting sooner than the first: the line moves to it.
            sim.addMeeting(NewMeeting(user: "zed@example.com", startsAt: start(2 * 3600 + 30), cobrowsingURL: "https://example.com/zed"), duration: 600)
            try await pane.waitUntil("zed's meeting in the status line", timeout: 30) {
                let l = try await statusLine(pane)
                return l.contains("zed@example.com") && l.contains("in 2h 00m")
            }
            // One about to start: its seconds count down, then it is live, in green.
            sim.addMeeting(NewMeeting(user: "amy@example.com", startsAt: start(6), cobrowsingURL: "https://example.com/amy"), duration: 600)
            try await pane.waitUntil("amy's countdown", timeout: 30) {
                let l = try await statusLine(pane)
                return l.contains("amy@example.com") && l.contains("in 0m 0")
            }
            try await pane.waitUntil("amy's meeting live", timeout: 30) {
                let l = try await statusLine(pane)
                return l.contains("amy@example.com") && l.contains("live 0m")
            }
            let coloured = try await pane.tmux("capture-pane", "-p", "-e", "-t", pane.session).out
            let last = coloured.split(separator: "\n").last { $0.contains("amy@example.com") }.map(String.init) ?? ""
            #expect(last.contains("32m") || last.contains("32;") || last.contains(";32"), "no green in \(last.debugDescription)")
        }
    }

    /// waybar's module: one JSON object a line, a line only when it changes,
    /// `class` the status and `percentage` the lead's progress.
    @Test func waybarLinesAreJSONAndChangeWithTheMeeting() async throws {
        try await withRunningSimulator(SimulatorOptions(fixture: .soon(12))) { sim, url in
            let script = """
            "$COCLICK" next --watch --format waybar --refresh 1 > "$DIR/out" 2> "$DIR/err"
            echo "EXITED=$?" > "$DIR/code"
            exec sleep 300
            """
            try await Pane.with(command: script, env: env(url)) { pane in
                try await pane.waitUntil("a line with class in_progress", timeout: 60) {
                    (pane.file("out") ?? "").contains("\"class\":\"in_progress\"")
                }
                let lines = (pane.file("out") ?? "").split(separator: "\n").map(String.init)
                #expect(lines.count >= 3, "\(lines)")
                var objects: [[String: Any]] = []
                for line in lines {
                    let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
                    #expect(Set(o.keys) == ["text", "tooltip", "class", "percentage"], "\(line)")
                    objects.append(o)
                }
                for (a, b) in zip(lines, lines.dropFirst()) { #expect(a != b, "a line repeated: \(a)") }
                let first = objects[0]
                #expect(first["class"] as? String == "scheduled")
                #expect((first["text"] as? String)?.hasPrefix("in 0m ") == true, "\(first)")
                #expect((first["tooltip"] as? String)?.contains("hugh@example.com") == true)
                // Inside the 5-minute lead: seconds before the start is nearly 100.
                #expect((first["percentage"] as? Int ?? 0) >= 90, "\(first)")
                let live = try #require(objects.last { $0["class"] as? String == "in_progress" })
                #expect(live["percentage"] as? Int == 100)
                #expect((live["text"] as? String)?.hasPrefix("live 0m") == true, "\(live)")
                // SIGTERM: status 0, nothing said.
                let pid = try await pane.coclickPID()
                #expect(kill(pid, SIGTERM) == 0)
                try await pane.waitUntil("coclick's exit", timeout: 30) { pane.file("code") != nil }
                #expect(pane.file("code") == "EXITED=0\n")
                #expect(pane.file("err") == "")
                _ = sim
            }
        }
    }

    /// `| head -1`: the reader takes one line and goes; coclick ends at once,
    /// status 0, though its line would not change for a day. `--mine` picks mine.
    @Test func aClosedPipeEndsTheWatchQuietly() async throws {
        try await withRunningSimulator(SimulatorOptions(fixture: .count(3))) { sim, url in
            let ada = try #require(sim.meetings.first { $0.user == "ada@example.com" })
            let script = """
            { "$COCLICK" next --watch --mine --me ada@example.com 2> "$DIR/err"; echo "EXITED=$?" > "$DIR/code"; } | head -1 > "$DIR/first"
            echo DONE
            exec sleep 300
            """
            try await Pane.with(command: script, env: env(url)) { pane in
                try await pane.waitFor("DONE", timeout: 30)
                #expect(pane.file("code") == "EXITED=0\n")
                #expect(pane.file("err") == "")
                let line = pane.file("first") ?? ""
                #expect(line.contains("ada@example.com (\(ada.shortID))"), "\(line)")
            }
        }
    }

    /// The API goes away: the last line stays, its countdown still running,
    /// after "offline · <1m old"; coclick does not die.
    @Test func offlineKeepsTheLastLineAndSaysHowOld() async throws {
        let sim = Simulator(options: SimulatorOptions(fixture: .count(3)))
        let url = try await sim.start()
        let first = try #require(sim.meetings.first)
        let script = """
        "$COCLICK" next --watch --refresh 1 > "$DIR/out" 2> "$DIR/err"
        echo "EXITED=$?" > "$DIR/code"
        exec sleep 300
        """
        do {
            try await Pane.with(command: script, env: env(url)) { pane in
                try await pane.waitUntil("the first line", timeout: 60) { (pane.file("out") ?? "").contains(first.shortID) }
                await offPool { await sim.stop() }
                try await pane.waitUntil("the offline line", timeout: 60) { (pane.file("out") ?? "").contains("offline · <1m old · ") }
                let lines = (pane.file("out") ?? "").split(separator: "\n")
                let offline = try #require(lines.last { $0.hasPrefix("offline · ") })
                #expect(offline.hasSuffix("(\(first.shortID))"), "\(offline)")
                #expect(offline.contains("in 1d 00h") || offline.contains("in 23h 59m"), "\(offline)")
                #expect(try await pane.isRunning())
                #expect(pane.file("code") == nil, "coclick ended: \(pane.file("err") ?? "")")
                #expect(pane.file("err") == "")
            }
        } catch {
            await offPool { await sim.stop() }
            throw error
        }
        await offPool { await sim.stop() }
    }
}

extension CommandTests {
    /// `next` once, in each format; the formats and option clashes checked before anything is asked.
    @Test func nextWritesEachFormatOnce() async throws {
        try await withSimulator { sim, env in
            let live = try #require(sim.meetings.filter { $0.status == .inProgress }.first)
            let tmux = try await runCoclick(["next", "--format", "tmux"], env: env)
            #expect(tmux.status == 0, "\(tmux.stderr)")
            #expect(tmux.stdout.hasPrefix("#[fg=green,bold]live ") && tmux.stdout.hasSuffix("(\(live.shortID))#[default]\n"), "\(tmux.stdout)")
            let waybar = try await runCoclick(["next", "--format", "waybar", "--template", "{status} {short_id}"], env: env)
            let o = try #require(try JSONSerialization.jsonObject(with: Data(waybar.stdout.utf8)) as? [String: Any], "\(waybar.stdout)")
            #expect(o["text"] as? String == "in_progress \(live.shortID)")
            #expect(o["class"] as? String == "in_progress")
            #expect(o["percentage"] as? Int == 100)
            for bad in [["--format", "nope"], ["--format", "{user}", "--template", "{id}"], ["--json", "--watch"],
                        ["--json", "--format", "waybar"], ["--refresh", "5"], ["--watch", "--refresh", "0"]] {
                let r = try await runCoclick(["next"] + bad, env: env)
                #expect(r.status == 2 && r.stdout.isEmpty, "\(bad): \(r.status) \(r.stdout)")
            }
        }
    }
}
