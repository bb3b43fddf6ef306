import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// A private tmux server (its own `-L coclick-<random>` socket) with one pane
/// of an explicit size, for driving the real dashboard: keys in with
/// `send-keys`, the screen out with `capture-pane`, tmux's paste buffer with
/// `show-buffer`. tmux keeps its default options (`set-clipboard external`:
/// an OSC 52 from the pane is dropped) unless a test passes `tmuxOptions`.
///
/// Every tmux command is spawned with posix_spawn and awaited without blocking
/// a thread of the cooperative pool (see `spawn` and `reap`), and every wait
/// sleeps with Task.sleep: on a 2-core machine the pool has two threads, and
/// the in-process simulators and clients of the other suites need them.
///
/// Use `Pane.with(...)`: it kills the server and removes its socket on every path.
final class Pane: @unchecked Sendable {
    /// These tests need tmux; without it they fail (never skip): `apt-get install tmux`.
    static var available: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let socket = "coclick-\(getpid())-\(UUID().uuidString.prefix(8))"
    let session = "t"
    /// A scratch folder for the pane's files (`$DIR` in the pane).
    let dir: URL
    private let lock = NSLock()
    private var closed = false
    /// The tmux server, for the `deinit` fallback.
    private var serverPID: pid_t = 0

    /// Runs `body` with a pane running `command`, then kills the server,
    /// whether `body` returns or throws.
    static func with<T>(width: Int = 100, height: Int = 30, command: String, env: [String: String] = [:],
                        tmuxOptions: [String] = [], insideTmux: Bool = true,
                        _ body: (Pane) async throws -> T) async throws -> T {
        let pane = try await Pane(width: width, height: height, command: command, env: env,
                                  tmuxOptions: tmuxOptions, insideTmux: insideTmux)
        do {
            let result = try await body(pane)
            await pane.close()
            return result
        } catch {
            await pane.close()
            throw error
        }
    }

    /// Starts `command` (run by /bin/sh) in a `width`x`height` pane with no
    /// status line, `remain-on-exit on`, then `tmuxOptions` (lines of tmux.conf),
    /// and a clean environment: PATH, HOME and XDG folders (under `dir`, one
    /// per pane), TERM, LANG, `$COCLICK` (the binary), `$DIR`, then `env`.
    /// With `insideTmux`, the pane keeps `TMUX` and `TMUX_PANE`, as a shell in
    /// tmux has them; without, it looks like a terminal of its own (or an ssh
    /// session from inside tmux).
    init(width: Int, height: Int, command: String, env: [String: String] = [:],
         tmuxOptions: [String] = [], insideTmux: Bool = true) async throws {
        dir = try makeTempDirectory()
        let conf = dir.appendingPathComponent("tmux.conf")
        try ("""
        set -g default-terminal screen-256color
        set -g status off
        set -g escape-time 10
        set -g history-limit 100
        set -g remain-on-exit on
        """ + tmuxOptions.map { "\n" + $0 }.joined() + "\n").write(to: conf, atomically: true, encoding: .utf8)
        // A HOME of its own: panes running side by side never share a config or a draft.
        let home = dir.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var environment = isolatedEnvironment(home: home)
        environment.merge([
            "TERM": "screen-256color",
            "LC_ALL": "C.UTF-8",
            "COCLICK": CoclickBinary.url.path,
            "DIR": dir.path,
            "PS1": "PROMPT$ ",
        ]) { $1 }
        environment.merge(env) { $1 }
        var envArgs = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        // Expanded by the shell tmux starts the pane with, from the pane's own environment.
        if insideTmux { envArgs += " TMUX=\"$TMUX\" TMUX_PANE=\"$TMUX_PANE\"" }
        let full = "exec env -i \(envArgs) /bin/sh -c \(Self.quote(command))"
        let r = try await tmux(["-f", conf.path, "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", full])
        if r.status != 0 {
            await close()
            throw PaneError(message: "tmux new-session failed: \(r.err)")
        }
        serverPID = pid_t((try? await format("#{pid}")) ?? "") ?? 0
    }

    /// Kills the server and removes its socket and the scratch folder. Safe to call twice.
    func close() async {
        guard markClosed() else { return }
        _ = try? await tmux(["kill-server"])
        removeFiles()
    }

    /// Only for a pane that `with` did not manage: SIGTERM to the server (no
    /// waiting), then the same cleanup.
    deinit {
        guard markClosed() else { return }
        if serverPID > 0 { kill(serverPID, SIGTERM) }
        removeFiles()
    }

    private func markClosed() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if closed { return false }
        closed = true
        return true
    }

    private var socketPath: String {
        let tmp = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return "\(tmp)/tmux-\(getuid())/\(socket)"
    }

    private func removeFiles() {
        unlink(socketPath)
        try? FileManager.default.removeItem(at: dir)
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs a tool (tmux, pgrep, pkill...) from PATH to the end, off the pool.
    @discardableResult
    static func run(_ args: [String], tool: String = "tmux") async throws -> ToolOutput {
        guard let r = try await runTool(tool, args, env: toolEnvironment, search: true, timeout: 60) else {
            throw PaneError(message: "\(tool) \(args.joined(separator: " ")) did not finish in 60 s")
        }
        return r
    }

    /// A tmux command against this pane's server.
    @discardableResult
    func tmux(_ args: [String]) async throws -> ToolOutput { try await Self.run(["-L", socket] + args) }
    @discardableResult
    func tmux(_ args: String...) async throws -> ToolOutput { try await tmux(args) }

    /// Types text literally (no key names).
    func type(_ text: String) async throws { try await tmux("send-keys", "-t", session, "-l", text) }
    /// Sends tmux key names: Enter, Escape, Tab, C-s, Up...
    func keys(_ names: String...) async throws { try await keys(names) }
    func keys(_ names: [String]) async throws { try await tmux(["send-keys", "-t", session] + names) }

    /// Opens the create form (`n`) and types its three required fields, moving
    /// on with Tab; the caller submits. False when the form did not open.
    func fillNewMeeting(user: String, start: String, url: String) async throws -> Bool {
        try await keys("n")
        guard try await wait(for: "New meeting").ok else { return false }
        try await type(user)
        try await keys("Tab")
        try await type(start)
        try await keys("Tab")
        try await type(url)
        return true
    }

    /// The pane as plain text (what is visible; no attributes).
    func capture() async throws -> String { try await tmux("capture-pane", "-p", "-t", session).out }
    /// A tmux format, e.g. `#{alternate_on}`.
    func format(_ f: String) async throws -> String {
        try await tmux("display-message", "-p", "-t", session, f).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    /// tmux's newest paste buffer, nil when none.
    func clipboard() async throws -> String? {
        let r = try await tmux("show-buffer")
        return r.status == 0 ? r.out : nil
    }
    func resize(width: Int, height: Int) async throws {
        try await tmux("resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)")
    }

    /// The pid of the pane's first process (the shell running `command`, or
    /// what it `exec`s).
    func panePID() async throws -> Int32 { Int32(try await format("#{pane_pid}")) ?? -1 }
    /// Sends `sig` to the pane's first process.
    func signal(_ sig: Int32) async throws {
        let pid = try await panePID()
        guard pid > 0 else { throw PaneError(message: "no pane pid") }
        kill(pid, sig)
    }
    /// The pane's process still runs (the session exists and the pane is not dead).
    func isRunning() async throws -> Bool {
        guard try await tmux("has-session", "-t", session).status == 0 else { return false }
        return try await format("#{pane_dead}") == "0"
    }

    /// The pid of the coclick process under the pane's shell, once it runs.
    func coclickPID(timeout: TimeInterval = 60) async throws -> Int32 {
        let shell = try await panePID()
        var found: Int32 = -1
        try await waitUntil("coclick under pid \(shell)", timeout: timeout) {
            let r = try await Self.run(["-P", "\(shell)", "-x", "coclick"], tool: "pgrep")
            found = Int32(r.out.split(separator: "\n").first.map(String.init) ?? "") ?? -1
            return found > 0
        }
        return found
    }

    /// Polls until `condition` holds; fails with the pane's text after `timeout`.
    func waitUntil(_ what: String, timeout: TimeInterval = 60, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try await condition() { return }
            if Date() > deadline {
                throw PaneError(message: "timed out waiting for \(what); pane:\n\(((try? await capture()) ?? "?"))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func waitFor(_ text: String, timeout: TimeInterval = 60) async throws {
        try await waitUntil("'\(text)'", timeout: timeout) { try await capture().contains(text) }
    }

    /// Captures until `condition` holds for the screen and returns it; throws
    /// (with the screen) after `timeout`.
    @discardableResult
    func waitForScreen(_ what: String, timeout: TimeInterval, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        repeat {
            screen = try await capture()
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(100))
        } while Date() < deadline
        throw PaneError(message: "timed out waiting for \(what); the screen:\n\(screen)")
    }

    /// Polls the screen until `condition` holds; returns the last capture either way.
    @discardableResult
    func wait(timeout: TimeInterval = 15, until condition: (String) -> Bool) async throws -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try await capture()
            if condition(screen) { return (true, screen) }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (false, screen)
    }

    func wait(for text: String, timeout: TimeInterval = 15) async throws -> (ok: Bool, screen: String) {
        try await wait(timeout: timeout) { $0.contains(text) }
    }

    /// Reads a file the pane's script wrote into `dir`.
    func file(_ name: String) -> String? {
        try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }
}

extension Pane {
    /// Starts copying what the pane's program writes into `$DIR/out`, then
    /// lets it start (it waits for `$DIR/go`): under load a tmux command can
    /// take seconds, and nothing written before is lost.
    func recordOutput() async throws -> URL {
        let out = dir.appendingPathComponent("out")
        try await tmux("pipe-pane", "-O", "-t", session, "cat >> \(Self.quote(out.path))")
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("go").path, contents: Data())
        return out
    }

    /// What has been recorded so far.
    static func recorded(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
}

struct PaneError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

func processAlive(_ pid: Int32) -> Bool {
    guard pid > 0 else { return false }
    if kill(pid, 0) != 0 { return false }
    // A zombie is not alive.
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    if let close = stat.lastIndex(of: ")") {
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
        return state != "Z"
    }
    return true
}

/// The terminal is sane for a shell: echo and canonical mode on.
func expectSaneStty(_ stty: String?, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let stty else {
        Issue.record("no stty output", sourceLocation: sourceLocation)
        return
    }
    let words = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
    #expect(words.contains("echo") && !words.contains("-echo"), "echo off after exit:\n\(stty)", sourceLocation: sourceLocation)
    #expect(words.contains("icanon") && !words.contains("-icanon"), "canonical mode off after exit:\n\(stty)", sourceLocation: sourceLocation)
    #expect(words.contains("isig") && !words.contains("-isig"), "signals off after exit:\n\(stty)", sourceLocation: sourceLocation)
}

/// The shell line that runs `coclick demo` in a clean environment, then
/// shows the terminal modes once it exits.
func demoCommand(extraEnv: [String: String] = [:]) -> String {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-tmux-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    var env = ["HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
               "LANG": "C.UTF-8", "TERM": "xterm-256color", "COCLICK_CLIPBOARD": "auto"]
    env.merge(extraEnv) { $1 }
    let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
    return "env \(assignments) '\(CoclickBinary.url.path)' demo; echo \"exit=$?\"; stty -a; sleep 60"
}
