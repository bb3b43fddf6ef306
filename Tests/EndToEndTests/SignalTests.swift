import Foundation
import Testing

/// The real dashboard in tmux: every way it can be stopped leaves the
/// terminal as the shell needs it (echo, canonical mode, cursor visible,
/// main screen back). `stty -a` runs right after coclick in the same
/// non-interactive sh, so no job-control shell repairs the modes in between.
@Suite("Signals and the terminal", .serialized)
struct SignalTests {
    /// Runs coclick demo, then records what it left behind.
    static func script(_ args: String = "demo") -> String {
        """
        ulimit -c 0
        "$COCLICK" \(args)
        code=$?
        stty -a > "$DIR/stty.txt"
        echo "EXITED=$code"
        exec sleep 600
        """
    }

    /// Signals that end the dashboard: the terminal back, death by the signal.
    static let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// QUIT and the crash signals also leave a crash report.
    static let crashSignals: [Int32] = [SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE, SIGTRAP]

    func expectTerminalGivenBack(_ pane: Pane, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        expectSaneStty(pane.file("stty.txt"), sourceLocation: sourceLocation)
        #expect(try await pane.format("#{alternate_on}") == "0", "still on the alternate screen", sourceLocation: sourceLocation)
        #expect(try await pane.format("#{cursor_flag}") == "1", "cursor left hidden", sourceLocation: sourceLocation)
    }

    /// Starts the demo, sends `sig`, and waits for the shell to see the exit.
    func killDashboard(_ pane: Pane, with sig: Int32) async throws {
        try await pane.waitFor("hugh@example.com")
        #expect(try await pane.format("#{alternate_on}") == "1")
        #expect(try await pane.format("#{cursor_flag}") == "0")
        let pid = try await pane.coclickPID()
        #expect(kill(pid, sig) == 0)
        // The screen comes back first (the backtrace is written after it).
        try await pane.waitUntil("the main screen back", timeout: 30) { try await pane.format("#{alternate_on}") == "0" }
        try await pane.waitFor("EXITED=", timeout: 60)
        // The shell sees death by that signal: 128 + its number.
        #expect(try await pane.capture().contains("EXITED=\(128 + sig)"))
        try await expectTerminalGivenBack(pane)
    }

    /// The crash files in the pane's state folder, and any temporary file left over.
    func crashFiles(_ pane: Pane) throws -> (reports: [URL], leftovers: [String]) {
        let folder = pane.dir.appendingPathComponent("home/state/coclick")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let reports = names.filter { $0.hasPrefix("crash-") && $0.hasSuffix(".txt") }.sorted().map { folder.appendingPathComponent($0) }
        return (reports, names.filter { $0.hasPrefix(".crash-") })
    }

    @Test(arguments: quitSignals)
    func quitSignalLeavesTheTerminalSane(_ sig: Int32) async throws {
        try await Pane.with(width: 100, height: 30, command: Self.script()) { pane in
            try await killDashboard(pane, with: sig)
            #expect(try crashFiles(pane).reports.isEmpty, "a plain quit is no crash")
            #expect(!(try await pane.capture().contains("backtrace in")))
        }
    }

    /// Never Swift's backtracer ("Press space to interact...", "Program
    /// crashed"): the terminal back at once, our report (0600) with the raw
    /// frames and the addr2line command for them, one line on stderr naming
    /// it, death by the signal.
    @Test(arguments: crashSignals)
    func crashSignalRestoresAndLeavesAReport(_ sig: Int32) async throws {
        try await Pane.with(width: 100, height: 30, command: Self.script()) { pane in
            try await killDashboard(pane, with: sig)
            try await expectOurReportAlone(pane, signal: sig)
        }
    }

    /// What the user set in SWIFT_BACKTRACE changes nothing: the runtime's
    /// handlers are replaced by ours, so even an interactive backtracer never
    /// runs, and the process ends at once (an interactive one would wait 30 s
    /// for a key on a screen that is gone).
    @Test(arguments: ["enable=yes,interactive=yes,timeout=120s", "enable=no"])
    func aSwiftBacktraceSettingOfTheUsersChangesNothing(_ setting: String) async throws {
        try await Pane.with(width: 100, height: 30, command: Self.script(), env: ["SWIFT_BACKTRACE": setting]) { pane in
            try await pane.waitFor("hugh@example.com")
            let pid = try await pane.coclickPID()
            // SIGILL: what a Swift runtime failure (fatalError, a nil unwrapped) raises on x86_64.
            #expect(kill(pid, SIGILL) == 0)
            try await pane.waitFor("EXITED=", timeout: 20)
            #expect(try await pane.capture().contains("EXITED=\(128 + SIGILL)"))
            try await expectTerminalGivenBack(pane)
            try await expectOurReportAlone(pane, signal: SIGILL)
        }
    }

    /// One report, ours, named on stderr, 0600; the runtime's backtracer never ran.
    func expectOurReportAlone(_ pane: Pane, signal sig: Int32, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let screen = try await pane.joinedCapture()
        #expect(!screen.contains("Press space"), "the interactive backtracer ran", sourceLocation: sourceLocation)
        #expect(!screen.contains("Program crashed"), "the runtime's backtracer ran", sourceLocation: sourceLocation)
        let files = try crashFiles(pane)
        #expect(files.reports.count == 1, "crash files: \(files.reports)", sourceLocation: sourceLocation)
        #expect(files.leftovers.isEmpty, "temporary files left: \(files.leftovers)", sourceLocation: sourceLocation)
        guard let report = files.reports.first else { return }
        // One line on stderr, after the restore, names the file.
        #expect(screen.contains("coclick: ended by \(Self.signalName(sig)); backtrace in \(report.path)"),
                "no line naming \(report.path):\n\(screen)", sourceLocation: sourceLocation)
        let mode = try FileManager.default.attributesOfItem(atPath: report.path)[.posixPermissions] as? Int
        #expect(mode == 0o600, sourceLocation: sourceLocation)
        let text = (try? String(contentsOf: report, encoding: .utf8)) ?? ""
        #expect(text.hasPrefix("coclick ended by \(Self.signalName(sig))\n"), "\(text.prefix(300))", sourceLocation: sourceLocation)
        #expect(text.contains("coclick(") && text.contains(")[0x"), "no raw frames in the report:\n\(text.prefix(800))", sourceLocation: sourceLocation)
        // No register dump: it would show memory that may hold the token or the key.
        #expect(!text.contains("Registers:"), "registers in the crash file", sourceLocation: sourceLocation)
        let binary = CoclickBinary.url.resolvingSymlinksInPath().path
        #expect(text.contains("addr2line -Cfpe \(binary) 0x"), "no addr2line line for \(binary):\n\(text.suffix(500))", sourceLocation: sourceLocation)
        #expect(text.contains("addr2line -Cfpe \(binary).debug 0x"), "no line for the .debug file:\n\(text.suffix(500))", sourceLocation: sourceLocation)
    }

    /// The report's own addr2line command names Swift source lines of coclick
    /// (from the binary, or from the .debug file beside a stripped one).
    @Test func theReportsAddr2lineCommandNamesSourceLines() async throws {
        try await Pane.with(width: 100, height: 30, command: Self.script()) { pane in
            try await killDashboard(pane, with: SIGSEGV)
            guard let report = try crashFiles(pane).reports.first else {
                Issue.record("no crash report")
                return
            }
            let text = (try? String(contentsOf: report, encoding: .utf8)) ?? ""
            let binary = CoclickBinary.url.resolvingSymlinksInPath().path
            let commands = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("addr2line -Cfpe ") }
            #expect(commands.count == 2, "\(text)")
            let withDebugFile = FileManager.default.fileExists(atPath: binary + ".debug")
            guard let command = commands.first(where: { $0.contains(withDebugFile ? ".debug 0x" : "\(binary) 0x") }) else {
                Issue.record("no addr2line command for \(binary):\n\(text)")
                return
            }
            // "addr2line -Cfpe FILE 0x... 0x... | swift demangle": run the addr2line part.
            let words = command.split(separator: "|")[0].split(separator: " ").map(String.init)
            let out = try await runTool("addr2line", Array(words.dropFirst()), env: toolEnvironment, search: true, timeout: 60)
            #expect(out?.status == 0, "addr2line: \(out?.err ?? "timed out")")
            let lines = out?.out ?? ""
            #expect(lines.range(of: #"\.swift:[0-9]+"#, options: .regularExpression) != nil, "no Swift source line named:\n\(lines)")
        }
    }

    static func signalName(_ sig: Int32) -> String {
        [SIGQUIT: "SIGQUIT", SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS", SIGABRT: "SIGABRT", SIGILL: "SIGILL",
         SIGFPE: "SIGFPE", SIGTRAP: "SIGTRAP"][sig] ?? "signal \(sig)"
    }

    @Test func quitWithQExitsZeroAndRestores() async throws {
        try await Pane.with(width: 100, height: 30, command: Self.script()) { pane in
            try await pane.waitFor("hugh@example.com")
            try await pane.type("q")
            try await pane.waitFor("EXITED=0", timeout: 30)
            try await expectTerminalGivenBack(pane)
        }
    }

    @Test func ctrlZSuspendsAndFgRedraws() async throws {
        try await Pane.with(width: 100, height: 30, command: "exec bash --norc --noprofile -i") { pane in
            try await pane.waitFor("PROMPT$")
            try await pane.type("\"$COCLICK\" demo")
            try await pane.keys("Enter")
            try await pane.waitFor("hugh@example.com")
            let pid = try await pane.coclickPID()

            try await pane.keys("C-z")
            try await pane.waitUntil("the shell prompt after Ctrl-Z", timeout: 30) {
                let alternate = try await pane.format("#{alternate_on}")
                let command = try await pane.format("#{pane_current_command}")
                return alternate == "0" && command == "bash"
            }
            #expect(processAlive(pid), "Ctrl-Z must stop, not end, the dashboard")
            #expect(try await pane.format("#{cursor_flag}") == "1")
            // Quoted, so the typed line itself never shows the marker the wait looks for.
            try await pane.type("stty -a > \"$DIR/stty.txt\"; echo STTY-'DONE'")
            try await pane.keys("Enter")
            try await pane.waitFor("STTY-DONE")
            expectSaneStty(pane.file("stty.txt"))

            try await pane.type("fg")
            try await pane.keys("Enter")
            try await pane.waitUntil("the list after fg", timeout: 30) {
                let alternate = try await pane.format("#{alternate_on}")
                let text = try await pane.capture()
                return alternate == "1" && text.contains("hugh@example.com")
            }
            // Still responsive after the round trip: open the help and close it.
            try await pane.type("?")
            try await pane.waitFor("any other key closes")
            try await pane.keys("Escape")
            try await pane.waitUntil("help closed", timeout: 30) { try await !pane.capture().contains("any other key closes") }
            try await pane.type("q")
            try await pane.waitUntil("the prompt after q", timeout: 30) { try await pane.format("#{pane_current_command}") == "bash" }
            try await pane.type("echo \"EXIT=$?\"")
            try await pane.keys("Enter")
            try await pane.waitFor("EXIT=0")
            #expect(try await pane.format("#{alternate_on}") == "0")
        }
    }

    @Test func resizeToTinyAndBackNeverCrashes() async throws {
        try await Pane.with(width: 100, height: 30, command: Self.script()) { pane in
            try await pane.waitFor("hugh@example.com")
            let pid = try await pane.coclickPID()
            for _ in 0..<2 {
                try await pane.resize(width: 20, height: 5)
                try await pane.waitFor("too small", timeout: 30)
                #expect(processAlive(pid))
                try await pane.resize(width: 100, height: 30)
                try await pane.waitUntil("the list again", timeout: 30) {
                    let text = try await pane.capture()
                    return text.contains("hugh@example.com") && !text.contains("too small")
                }
                #expect(processAlive(pid))
            }
            // A few sizes in a row, including one cell.
            for (w, h) in [(1, 1), (39, 9), (40, 10), (200, 60), (30, 8), (100, 30)] {
                try await pane.resize(width: w, height: h)
            }
            try await pane.waitFor("hugh@example.com", timeout: 30)
            #expect(processAlive(pid))
            try await pane.type("q")
            try await pane.waitFor("EXITED=0", timeout: 30)
            try await expectTerminalGivenBack(pane)
        }
    }

    /// With SIGHUP ignored (as under nohup) the terminal still goes away when
    /// its pane closes: reads fail with EIO, and the dashboard must exit
    /// instead of spinning on a descriptor that stays readable.
    @Test func vanishedTerminalEndsTheProcess() async throws {
        try await Pane.with(width: 100, height: 30, command: "trap '' HUP; exec \"$COCLICK\" demo") { pane in
            try await pane.waitFor("hugh@example.com")
            let pid = try await pane.panePID()
            #expect(processAlive(pid))
            try await pane.tmux("kill-server")
            let deadline = Date().addingTimeInterval(30)
            while processAlive(pid), Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            let alive = processAlive(pid)
            #expect(!alive, "coclick kept running after its terminal went away")
            if alive { kill(pid, SIGKILL) }
        }
    }
}

extension Pane {
    /// The screen with wrapped lines joined (a long path wraps in the pane).
    func joinedCapture() async throws -> String {
        try await tmux("capture-pane", "-p", "-J", "-t", session).out
    }
}
