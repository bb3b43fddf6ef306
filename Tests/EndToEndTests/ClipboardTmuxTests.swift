import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Issue 12: copy works where presenters run coclick, and says only what it
/// knows. The real dashboard in tmux with tmux's default options (no
/// `set-clipboard on`), in GNU screen, on a local desktop with a stand-in
/// `xclip`, and with `command:<program>`.
@Suite("Copy in tmux, screen, a desktop, and a command", .serialized)
struct ClipboardTmuxTests {
    /// Generous: the machine may be busy building; nothing waits this long when it works.
    static let patience: TimeInterval = 60
    /// Wide enough that the detail shows each room URL whole, on one line.
    static let width = 220

    /// `coclick demo` in a pane, on its list.
    func withDemo(env: [String: String] = [:], tmuxOptions: [String] = [], insideTmux: Bool = true,
                  command: String = SignalTests.script("demo"), _ body: (Pane) async throws -> Void) async throws {
        try await Pane.with(width: Self.width, height: 30, command: command, env: env,
                            tmuxOptions: tmuxOptions, insideTmux: insideTmux) { pane in
            try await pane.waitForScreen("the list", timeout: Self.patience) { $0.contains("COUNTDOWN") && $0.contains("@example.com") }
            try await body(pane)
        }
    }

    /// The two room URLs on the detail screen: (prospect, presenter).
    static func roomURLs(_ screen: String) -> (prospect: String, presenter: String)? {
        func url(after label: String) -> String? {
            screen.split(separator: "\n").first { $0.hasPrefix(" \(label) ") }
                .flatMap { $0.split(separator: " ").last.map(String.init) }
                .flatMap { $0.hasPrefix("http") ? $0 : nil }
        }
        guard let p = url(after: "prospect room"), let r = url(after: "presenter room") else { return nil }
        return (p, r)
    }

    /// Opens the selected meeting and reads its room URLs.
    func openDetail(_ pane: Pane) async throws -> (prospect: String, presenter: String) {
        try await pane.keys("Enter")
        let screen = try await pane.waitForScreen("the room URLs", timeout: Self.patience) { Self.roomURLs($0) != nil }
        let urls = try #require(Self.roomURLs(screen))
        #expect(urls.prospect.wholeMatch(of: #/http://127\.0\.0\.1:\d+/essai/room/[0-9a-f]{64}/#) != nil, "\(urls.prospect)")
        #expect(urls.presenter.wholeMatch(of: #/http://127\.0\.0\.1:\d+/essai/presenter/[0-9a-f]{64}/#) != nil, "\(urls.presenter)")
        return urls
    }

    /// Waits until tmux's newest buffer holds something, and returns it whole.
    func buffer(_ pane: Pane, _ what: String) async throws -> String {
        var text = ""
        try await pane.waitUntil(what, timeout: Self.patience) {
            text = try await pane.clipboard() ?? ""
            return !text.isEmpty
        }
        return text
    }

    func clearBuffers(_ pane: Pane) async throws {
        while try await pane.tmux("delete-buffer").status == 0 {}
    }

    /// Polls a file a stand-in program writes.
    func file(_ url: URL, _ what: String, pane: Pane) async throws -> String {
        var text: String?
        try await pane.waitUntil(what, timeout: Self.patience) {
            text = try? String(contentsOf: url, encoding: .utf8)
            return text != nil
        }
        return text ?? ""
    }

    /// The footer's message row.
    static func messageRow(_ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let filled = rows.lastIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? 0
        return filled > 0 ? rows[filled - 1] : ""
    }

    // MARK: - tmux, default options

    @Test func yAndYFillTmuxsBufferWithTheExactURLsUnderDefaultOptions() async throws {
        try await withDemo { pane in
            #expect(try await pane.tmux("show-options", "-gv", "set-clipboard").out.trimmingCharacters(in: .whitespacesAndNewlines) == "external",
                    "tmux's default, which drops an application's OSC 52")
            try await clearBuffers(pane)
            // On the list (the detail is fetched first).
            try await pane.keys("y")
            try await pane.waitFor("Copied prospect room URL (tmux buffer)", timeout: Self.patience)
            let listProspect = try await buffer(pane, "the prospect URL in tmux's buffer")
            try await clearBuffers(pane)
            try await pane.keys("Y")
            try await pane.waitFor("Copied presenter room URL (tmux buffer)", timeout: Self.patience)
            let listPresenter = try await buffer(pane, "the presenter URL in tmux's buffer")

            let urls = try await openDetail(pane)
            #expect(listProspect == urls.prospect)
            #expect(listPresenter == urls.presenter)

            // On the detail screen.
            try await clearBuffers(pane)
            try await pane.keys("y")
            #expect(try await buffer(pane, "the prospect URL, from the detail") == urls.prospect)
            // The buffer is filled before the helper exits and the footer is drawn: wait for it.
            try await pane.waitFor("Copied prospect room URL (tmux buffer)", timeout: Self.patience)
            try await clearBuffers(pane)
            try await pane.keys("Y")
            #expect(try await buffer(pane, "the presenter URL, from the detail") == urls.presenter)
            try await pane.waitFor("Copied presenter room URL (tmux buffer)", timeout: Self.patience)

            try await pane.type("qq")
            try await pane.waitFor("EXITED=0", timeout: Self.patience)
            expectSaneStty(pane.file("stty.txt"))
        }
    }

    // MARK: - GNU screen

    /// screen inside a tmux pane whose tmux takes OSC 52 (`set-clipboard on`),
    /// as a terminal would: the pane has no TMUX, as on a host reached by ssh.
    /// `autodetach off`: when the pane goes (the test ends, passed or failed),
    /// screen ends with it, and coclick too, instead of living on detached.
    @Test func insideGNUScreenTheURLReachesTheOuterTerminal() async throws {
        #expect(Self.screenInstalled, "GNU screen is not installed: apt-get install screen (README, .ci/run)")
        let command = """
        printf 'startup_message off\\nautodetach off\\n' > "$DIR/screenrc"
        mkdir -m 700 "$DIR/screen"
        SCREENDIR="$DIR/screen" screen -c "$DIR/screenrc" sh -c 'echo "STY=$STY" > "$DIR/sty.txt"; exec "$COCLICK" demo'
        echo "EXITED=$?"
        exec sleep 600
        """
        try await withDemo(tmuxOptions: ["set -g set-clipboard on"], insideTmux: false, command: command) { pane in
            #expect(pane.file("sty.txt")?.hasPrefix("STY=") == true && pane.file("sty.txt") != "STY=\n", "coclick runs inside screen")
            try await clearBuffers(pane)
            try await pane.keys("y")
            try await pane.waitFor("Sent prospect room URL to the terminal's clipboard (OSC 52)", timeout: Self.patience)
            let copied = try await buffer(pane, "the URL in the outer tmux's buffer")
            let urls = try await openDetail(pane)
            #expect(copied == urls.prospect)
            try await clearBuffers(pane)
            try await pane.keys("Y")
            #expect(try await buffer(pane, "the presenter URL, from the detail") == urls.presenter)
        }
    }

    static var screenInstalled: Bool {
        ["/usr/bin/screen", "/usr/local/bin/screen", "/bin/screen"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    // MARK: - A local desktop

    /// A folder with one executable script, first on the pane's PATH.
    func stubProgram(_ name: String, _ body: String) throws -> (dir: URL, path: String) {
        let dir = try makeTempDirectory()
        let url = dir.appendingPathComponent(name)
        try Self.writeScript("#!/bin/sh\n" + body + "\n", to: url.path)
        return (dir, url.path)
    }

    /// Writes an executable through a close-on-exec descriptor, then renames it
    /// into place. (Foundation's write leaves its descriptor inheritable: a
    /// process another test spawns meanwhile keeps it open for writing, and
    /// running the script then fails with "Text file busy".)
    static func writeScript(_ text: String, to path: String) throws {
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(tmp, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Records its arguments and stdin next to itself (stdin last, whole).
    static let recorder = """
    here=$(dirname "$0")
    printf '%s\\n' "$@" > "$here/args.txt"
    cat > "$here/stdin.tmp" && mv "$here/stdin.tmp" "$here/stdin.txt"
    """

    @Test func aLocalDesktopSessionUsesXclip() async throws {
        let xclip = try stubProgram("xclip", Self.recorder)
        defer { try? FileManager.default.removeItem(at: xclip.dir) }
        let path = xclip.dir.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        try await withDemo(env: ["DISPLAY": ":7", "PATH": path], insideTmux: false) { pane in
            let urls = try await openDetail(pane)
            try await pane.keys("y")
            let got = try await file(xclip.dir.appendingPathComponent("stdin.txt"), "xclip's stdin", pane: pane)
            #expect(got == urls.prospect, "xclip gets the URL on stdin, nothing more")
            #expect(try String(contentsOf: xclip.dir.appendingPathComponent("args.txt"), encoding: .utf8) == "-selection\nclipboard\n")
            try await pane.waitFor("Copied prospect room URL (xclip)", timeout: Self.patience)

            // xclip fails (no display): the footer says so and shows the URL, to select by hand.
            try Self.writeScript("""
            #!/bin/sh
            echo "Error: Can't open display: :7" >&2
            exit 1
            """, to: xclip.path)
            try await pane.keys("Y")
            let failed = "Copy failed: \(urls.presenter) (xclip: exited 1: Error: Can't open display: :7)"
            let screen = try await pane.waitForScreen("the failure with the URL", timeout: Self.patience) { $0.contains(failed) }
            #expect(Self.messageRow(screen).contains(failed))
        }
    }

    // MARK: - command:<program>

    @Test func commandModeGivesTheURLToTheProgramsStdin() async throws {
        let tool = try stubProgram("my-copy", Self.recorder)
        defer { try? FileManager.default.removeItem(at: tool.dir) }
        // Inside tmux, on a desktop: the explicit mode still wins.
        try await withDemo(env: ["COCLICK_CLIPBOARD": "command:\(tool.path) --to 'the clipboard'", "DISPLAY": ":7"]) { pane in
            try await clearBuffers(pane)
            let urls = try await openDetail(pane)
            try await pane.keys("Y")
            let got = try await file(tool.dir.appendingPathComponent("stdin.txt"), "the program's stdin", pane: pane)
            #expect(got == urls.presenter)
            #expect(try String(contentsOf: tool.dir.appendingPathComponent("args.txt"), encoding: .utf8) == "--to\nthe clipboard\n")
            try await pane.waitFor("Copied presenter room URL (my-copy)", timeout: Self.patience)
            #expect(try await pane.clipboard() == nil, "nothing went to tmux")
        }
    }

    /// A program that prints, tries the terminal, and hangs: the dashboard
    /// keeps answering keys, nothing it prints reaches the screen, and after
    /// the timeout the footer shows the URL.
    @Test func aNoisyHangingProgramNeitherBlocksNorWrecksTheDashboard() async throws {
        let tool = try stubProgram("slow-copy", """
        echo GARBAGE-OUT
        echo GARBAGE-ERR >&2
        echo GARBAGE-TTY > /dev/tty
        printf '\\033[2J\\033[?1049l' > /dev/tty
        stty sane < /dev/tty
        exec sleep 600
        """)
        defer { try? FileManager.default.removeItem(at: tool.dir) }
        try await withDemo(env: ["COCLICK_CLIPBOARD": "command:\(tool.path)"]) { pane in
            try await pane.keys("y")
            try await pane.waitFor("Copying the prospect room URL…", timeout: Self.patience)
            // The UI answers while the program runs: help opens and closes.
            try await pane.keys("?")
            try await pane.waitFor("─ Keys ─", timeout: Self.patience)
            try await pane.keys("Escape")
            try await pane.waitForScreen("help closed", timeout: Self.patience) { !$0.contains("─ Keys ─") }
            let screen = try await pane.waitForScreen("the timeout", timeout: Self.patience) { $0.contains("Copy failed: http://127.0.0.1:") }
            #expect(Self.messageRow(screen).contains("(slow-copy: no answer in 5 s)"), "\(Self.messageRow(screen))")
            #expect(!screen.contains("GARBAGE"), "\(screen)")
            #expect(try await pane.format("#{alternate_on}") == "1", "still on the dashboard's screen")
            try await pane.type("q")
            try await pane.waitFor("EXITED=0", timeout: Self.patience)
            expectSaneStty(pane.file("stty.txt"))
            #expect(!(try await pane.capture()).contains("GARBAGE"))
        }
    }

    // MARK: - Helpers never outlive their time, nor coclick

    /// The pids a stand-in program wrote (itself and the child it started), once it has.
    func helperPIDs(_ file: URL, pane: Pane) async throws -> [pid_t] {
        var pids: [pid_t] = []
        try await pane.waitUntil("the helper's pids", timeout: Self.patience) {
            pids = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).compactMap { pid_t($0) }
            return pids.count == 2
        }
        return pids
    }

    /// Gone, or a zombie waiting for init: either way no longer running.
    static func ended(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }

    func expectEnded(_ pids: [pid_t], _ what: String, pane: Pane) async throws {
        try await pane.waitUntil(what, timeout: 10) { pids.allSatisfy(Self.ended) }
    }

    /// A program that ignores SIGTERM and never reads its stdin, with a child
    /// of its own.
    static let stubborn = """
    trap '' TERM
    sleep 600 &
    echo $$ $! > "$(dirname "$0")/pids"
    while :; do sleep 1; done
    """

    @Test func aClipboardProgramThatIgnoresSIGTERMIsKilledAfterItsTime() async throws {
        let tool = try stubProgram("stubborn-copy", Self.stubborn)
        defer { try? FileManager.default.removeItem(at: tool.dir) }
        try await withDemo(env: ["COCLICK_CLIPBOARD": "command:\(tool.path)"]) { pane in
            try await pane.keys("y")
            let pids = try await helperPIDs(tool.dir.appendingPathComponent("pids"), pane: pane)
            try await pane.waitFor("(stubborn-copy: no answer in 5 s)", timeout: Self.patience)
            try await expectEnded(pids, "the program and its child ended after 5 s and the grace", pane: pane)
        }
    }

    /// A browser that never exits is left alone while coclick runs (it may be
    /// the browser itself), and ends with coclick: on q, and on SIGTERM/SIGHUP.
    @Test(arguments: [0, SIGTERM, SIGHUP])
    func aBrowserThatNeverExitsEndsWithCoclick(_ sig: Int32) async throws {
        let tool = try stubProgram("browser", Self.stubborn)
        defer { try? FileManager.default.removeItem(at: tool.dir) }
        try await withDemo(env: ["BROWSER": tool.path]) { pane in
            try await pane.keys("o")
            let pids = try await helperPIDs(tool.dir.appendingPathComponent("pids"), pane: pane)
            try await Task.sleep(for: .seconds(1))
            #expect(!pids.contains(where: Self.ended), "the browser was ended while coclick runs")
            if sig == 0 {
                try await pane.type("q")
            } else {
                #expect(kill(try await pane.coclickPID(), sig) == 0)
            }
            try await pane.waitFor("EXITED=", timeout: Self.patience)
            try await expectEnded(pids, "the browser and its child ended with coclick", pane: pane)
        }
    }
}
