import Foundation
import Testing

/// A private tmux server (its own `-L` socket) with one pane, for the
/// hardening tests: signals, hostile data, bad input, soak. Killed by `close()`;
/// callers use `defer { pane.close() }` so every path kills it.
/// (Named apart from the shared `Tmux` helper so both can live side by side.)
final class HardeningPane: @unchecked Sendable {
    let socket: String
    let dir: URL
    private var closed = false

    /// Starts `command` (run by /bin/sh) in a `width`x`height` pane with
    /// `set-clipboard on`, no status line, and a clean environment.
    init(width: Int, height: Int, command: String, env: [String: String] = [:]) throws {
        socket = "coclick-hard-\(getpid())-\(UUID().uuidString.prefix(8))"
        dir = try makeTempDirectory()
        let conf = dir.appendingPathComponent("tmux.conf")
        try """
        set -g default-terminal screen-256color
        set -g set-clipboard on
        set -g status off
        set -g escape-time 10
        set -g history-limit 100
        set -g remain-on-exit on
        """.write(to: conf, atomically: true, encoding: .utf8)
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": scratchHome.path,
            "XDG_CONFIG_HOME": scratchHome.appendingPathComponent("config").path,
            "XDG_STATE_HOME": scratchHome.appendingPathComponent("state").path,
            "TERM": "screen-256color",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "COCLICK": CoclickBinary.url.path,
            "DIR": dir.path,
            "PS1": "PROMPT$ ",
        ]
        environment.merge(env) { $1 }
        let envArgs = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let full = "exec env -i \(envArgs) /bin/sh -c \(Self.quote(command))"
        let r = try Self.run(["-L", socket, "-f", conf.path, "new-session", "-d", "-s", "t", "-x", "\(width)", "-y", "\(height)", full])
        if r.status != 0 { close(); throw PaneError(message: "tmux new-session failed: \(r.err)") }
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        _ = try? Self.run(["-L", socket, "kill-server"])
        try? FileManager.default.removeItem(at: dir)
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    struct Output { var status: Int32; var out: String; var err: String }

    /// Runs a tool and waits for it. posix_spawn and waitpid, not Foundation's
    /// Process: Process learns of exits through SIGCHLD, which can be lost to
    /// another thread, and then `waitUntilExit` never returns.
    @discardableResult
    static func run(_ args: [String], tool: String = "tmux") throws -> Output {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-run-\(UUID().uuidString)")
        let outPath = base.path + ".out", errPath = base.path + ".err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([tool] + args).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        // A clean signal mask and default actions: the test runner's threads
        // block signals, and tmux (and the panes it starts) would inherit that.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, tool, &actions, &attr, argv, environ)
        guard rc == 0 else { throw PaneError(message: "cannot run \(tool): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { break }
        }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Output(status: code, out: out, err: err)
    }

    @discardableResult
    func tmux(_ args: String...) throws -> Output { try Self.run(["-L", socket] + args) }

    /// Types text literally (no key names).
    func type(_ text: String) throws { try tmux("send-keys", "-t", "t", "-l", text) }
    /// Sends tmux key names: Enter, Escape, Tab, C-s, Up...
    func keys(_ names: String...) throws { try Self.run(["-L", socket, "send-keys", "-t", "t"] + names) }
    func keys(_ names: [String]) throws { try Self.run(["-L", socket, "send-keys", "-t", "t"] + names) }

    /// The pane as plain text (what is visible; no attributes).
    func capture() throws -> String { try tmux("capture-pane", "-p", "-t", "t").out }
    /// A tmux format, e.g. `#{alternate_on}`.
    func format(_ f: String) throws -> String {
        try tmux("display-message", "-p", "-t", "t", f).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    /// tmux's paste buffer (what an OSC 52 in the pane would have set), nil when none.
    func clipboard() throws -> String? {
        let r = try tmux("show-buffer")
        return r.status == 0 ? r.out : nil
    }

    /// The pid of the pane's first process (the shell running `command`).
    func panePID() throws -> Int32 { Int32(try format("#{pane_pid}")) ?? -1 }

    /// The pid of the coclick process under the pane's shell, once it runs.
    func coclickPID(timeout: TimeInterval = 60) async throws -> Int32 {
        let shell = try panePID()
        nonisolated(unsafe) var found: Int32 = -1
        try await waitUntil("coclick under pid \(shell)", timeout: timeout) {
            let r = try Self.run(["-P", "\(shell)", "-x", "coclick"], tool: "pgrep")
            found = Int32(r.out.split(separator: "\n").first.map(String.init) ?? "") ?? -1
            return found > 0
        }
        return found
    }

    /// Polls until `condition` holds; fails with the pane's text after `timeout`.
    /// Sleeps with Task.sleep: blocking a cooperative thread would starve the
    /// other (async) tests running in parallel on a small machine.
    func waitUntil(_ what: String, timeout: TimeInterval = 60, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try condition() { return }
            if Date() > deadline {
                throw PaneError(message: "timed out waiting for \(what); pane:\n\(((try? capture()) ?? "?"))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func waitFor(_ text: String, timeout: TimeInterval = 60) async throws {
        try await waitUntil("'\(text)'", timeout: timeout) { try capture().contains(text) }
    }

    /// Reads a file the pane's script wrote into `dir`.
    func file(_ name: String) -> String? {
        try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }
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
