import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private tmux server for driving the real dashboard: its own socket
/// (`-L coclick-test-<random>`), no user config, `set-clipboard on` so OSC 52
/// copies land in tmux's buffer. Always `kill()` it.
final class Tmux: @unchecked Sendable {
    static var available: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let socket = "coclick-test-\(UInt32.random(in: 0...UInt32.max))"
    let session = "t"

    /// Starts `command` (a shell command line) in a detached width x height session.
    init(command: String, width: Int = 100, height: Int = 30) throws {
        _ = try run(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command,
                     ";", "set-option", "-g", "set-clipboard", "on",
                     ";", "set-option", "-g", "remain-on-exit", "on"])
    }

    /// Runs tmux with posix_spawn and waitpid. Foundation's `Process` is not
    /// used: the server `new-session` forks keeps inherited descriptors open and
    /// its client was left unreaped, which hung the tests.
    @discardableResult
    func run(_ args: [String]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, file.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TMUX")
        if (env["TERM"] ?? "").isEmpty || env["TERM"] == "dumb" { env["TERM"] = "xterm-256color" }
        let argv = ["tmux", "-L", socket] + args
        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        // The test runner's threads block signals; a tmux server inheriting that
        // mask can neither reap its panes nor exit, so start it with a clean one.
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
        guard rc == 0 else { throw TmuxError(message: "cannot run tmux: error \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }

    func send(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }
    /// Types text literally (no key-name lookup).
    func type(_ text: String) throws { try run(["send-keys", "-t", session, "-l", text]) }
    func capture() throws -> String { try run(["capture-pane", "-p", "-t", session]) }
    func buffer() throws -> String { try run(["show-buffer"]) }

    /// Polls the pane until `condition` holds; returns the last capture either way.
    @discardableResult
    func wait(timeout: TimeInterval = 15, until condition: (String) -> Bool) throws -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if condition(screen) { return (true, screen) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return (false, screen)
    }

    func wait(for text: String, timeout: TimeInterval = 15) throws -> (ok: Bool, screen: String) {
        try wait(timeout: timeout) { $0.contains(text) }
    }

    func kill() {
        _ = try? run(["kill-server"])
        let dir = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(dir)/tmux-\(getuid())/\(socket)")
    }
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

struct TmuxError: Error {
    var message: String
}
