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

    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT]

    func expectTerminalGivenBack(_ pane: Pane, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        expectSaneStty(pane.file("stty.txt"), sourceLocation: sourceLocation)
        #expect(try await pane.format("#{alternate_on}") == "0", "still on the alternate screen", sourceLocation: sourceLocation)
        #expect(try await pane.format("#{cursor_flag}") == "1", "cursor left hidden", sourceLocation: sourceLocation)
    }

    @Test(arguments: signals)
    func signalLeavesTheTerminalSane(_ sig: Int32) async throws {
        try await Pane.with(width: 100, height: 30, command: Self.script(), env: ["SWIFT_BACKTRACE": "enable=no"]) { pane in
            try await pane.waitFor("hugh@example.com")
            #expect(try await pane.format("#{alternate_on}") == "1")
            #expect(try await pane.format("#{cursor_flag}") == "0")
            let pid = try await pane.coclickPID()
            #expect(kill(pid, sig) == 0)
            try await pane.waitFor("EXITED=", timeout: 30)
            // The shell sees death by that signal: 128 + its number.
            #expect(try await pane.capture().contains("EXITED=\(128 + sig)"))
            try await expectTerminalGivenBack(pane)
        }
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
            try await pane.type("stty -a > \"$DIR/stty.txt\"; echo STTY-DONE")
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
