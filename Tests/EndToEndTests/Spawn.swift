import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended.
struct ExitStatus: Sendable {
    /// The raw wait status from waitpid.
    var raw: Int32
    var exited: Bool { (raw & 0x7f) == 0 }
    var signal: Int32 { exited ? 0 : raw & 0x7f }
    /// As a shell reports it: the exit code, or 128 + the signal number.
    var code: Int32 { exited ? (raw >> 8) & 0xff : 128 + signal }
}

/// Starts a process with posix_spawn, not Foundation's `Process`: Process
/// learns of exits through SIGCHLD, which can be lost to another thread (then
/// `waitUntilExit` never returns), and tmux's forked server keeps inherited
/// descriptors open. The child gets a clean signal mask and default actions:
/// the test runner's threads block signals, and tmux (and the panes it starts)
/// would inherit that. stdin is /dev/null; stdout and stderr go to files (or
/// /dev/null). `search` looks `tool` up in PATH.
func spawn(_ tool: String, _ args: [String], env: [String: String], search: Bool = false,
           stdout: String? = nil, stderr: String? = nil) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var none = sigset_t(), all = sigset_t()
    sigemptyset(&none)
    sigfillset(&all)
    sigdelset(&all, SIGKILL)
    sigdelset(&all, SIGSTOP)
    posix_spawnattr_setsigmask(&attr, &none)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv: [UnsafeMutablePointer<CChar>?] = ([tool] + args).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let rc = search
        ? posix_spawnp(&pid, tool, &actions, &attr, argv, envp)
        : posix_spawn(&pid, tool, &actions, &attr, argv, envp)
    guard rc == 0 else { throw PaneError(message: "cannot run \(tool): \(String(cString: strerror(rc)))") }
    return pid
}

/// Waits for `pid` without blocking a thread of the cooperative pool: polls
/// waitpid(WNOHANG) and sleeps with Task.sleep in between. Returns nil when
/// `timeout` passes first (the process is then still running, unreaped).
func reap(_ pid: pid_t, timeout: TimeInterval? = nil) async -> ExitStatus? {
    let deadline = timeout.map { Date().addingTimeInterval($0) }
    var pause: UInt64 = 500_000 // 0.5 ms, doubling to 20 ms
    var status: Int32 = 0
    while true {
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { return ExitStatus(raw: status) }
        if r < 0, errno != EINTR { return ExitStatus(raw: 0x7f) } // not our child any more: report "not exited"
        if let deadline, Date() > deadline { return nil }
        if Task.isCancelled {
            // Never leave a child behind: stop it, then keep reaping.
            kill(pid, SIGKILL)
            sched_yield()
        } else {
            try? await Task.sleep(nanoseconds: pause)
        }
        pause = min(pause * 2, 20_000_000)
    }
}

/// Reaps a child that was just sent SIGKILL, on a thread of its own, for
/// synchronous paths (`defer`) that cannot await.
func reapInBackground(_ pid: pid_t) {
    let thread = Thread {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    }
    thread.start()
}

struct ToolOutput: Sendable {
    var exit: ExitStatus
    var status: Int32 { exit.code }
    var out: String
    var err: String
}

/// Runs a tool to the end and collects its output (lossy UTF-8), off the
/// cooperative pool. nil when `timeout` passes: the tool is then killed.
func runTool(_ tool: String, _ args: [String], env: [String: String], search: Bool = false,
             timeout: TimeInterval? = nil) async throws -> ToolOutput? {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-run-\(UUID().uuidString)").path
    let outPath = base + ".out", errPath = base + ".err"
    defer {
        unlink(outPath)
        unlink(errPath)
    }
    let pid = try spawn(tool, args, env: env, search: search, stdout: outPath, stderr: errPath)
    guard let exit = await reap(pid, timeout: timeout) else {
        kill(pid, SIGKILL)
        _ = await reap(pid)
        return nil
    }
    func read(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
    return ToolOutput(exit: exit, out: read(outPath), err: read(errPath))
}

/// The test runner's environment for tools such as tmux and pgrep: no TMUX
/// (so the tests can run inside tmux) and a usable TERM.
let toolEnvironment: [String: String] = {
    var env = ProcessInfo.processInfo.environment
    env["TMUX"] = nil
    if (env["TERM"] ?? "").isEmpty || env["TERM"] == "dumb" { env["TERM"] = "xterm-256color" }
    return env
}()

/// Polls `condition` until it holds; throws after `timeout` seconds. Sleeps
/// with Task.sleep, never blocking a thread of the shared pool.
func poll(_ what: String, timeout: TimeInterval, every interval: Duration = .milliseconds(200),
          _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: interval)
    }
    if try await condition() { return }
    throw PaneError(message: "timed out waiting for \(what)")
}

/// `coclick simulator --port N` as a separate process.
final class SimulatorProcess: @unchecked Sendable {
    let pid: pid_t
    let url: URL
    let port: Int
    private let lock = NSLock()
    private var stopping = false

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Starts it and waits (off the pool) for the first line, which names the base URL.
    init(port: Int, env: [String: String]? = nil) async throws {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-sim-\(UUID().uuidString).out").path
        defer { unlink(outPath) }
        let environment = env ?? ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                                  "HOME": scratchHome.path, "LANG": "C.UTF-8"]
        let pid = try spawn(CoclickBinary.url.path, ["simulator", "--port", String(port)], env: environment, stdout: outPath)
        var first = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
            if let newline = text.firstIndex(of: "\n") {
                first = String(text[..<newline])
                break
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { break } // it died without a line
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard let text = first.split(separator: " ").map(String.init).first(where: { $0.hasPrefix("http://127.0.0.1:") }),
              let url = URL(string: text.trimmingCharacters(in: .whitespacesAndNewlines)), let bound = url.port else {
            Foundation.kill(pid, SIGKILL)
            _ = await reap(pid)
            throw Failure(description: "coclick simulator did not print its URL: \(first)")
        }
        self.pid = pid
        self.url = url
        self.port = bound
    }

    private func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if stopping { return false }
        stopping = true
        return true
    }

    /// Sends `signal` and waits (off the pool) until the process is gone.
    /// nil when it was already stopped.
    @discardableResult
    func stop(_ signal: Int32 = SIGKILL) async -> ExitStatus? {
        guard claim() else { return nil }
        Foundation.kill(pid, signal)
        return await reap(pid)
    }

    /// SIGKILL for a `defer`: no graceful shutdown, the listening socket closes
    /// with the process; reaped on a thread of its own. Safe after `stop`.
    func kill() {
        guard claim() else { return }
        Foundation.kill(pid, SIGKILL)
        reapInBackground(pid)
    }
}

/// A TaskExecutor that runs each job on a new thread of its own, never on the
/// cooperative pool. For library code the tests must call but that blocks a
/// thread: `Simulator.stop()` ends with a usleep loop until its port refuses
/// connections (Sources/CoClickSimulator/Simulator.swift, `waitUntilRefused`).
final class OwnThreadExecutor: TaskExecutor {
    static let shared = OwnThreadExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread { job.runSynchronously(on: executor) }
        thread.start()
    }
}

/// Runs `body` on threads of its own (see `OwnThreadExecutor`), off the pool.
func offPool<T>(_ body: () async throws -> T) async rethrows -> T {
    try await withTaskExecutorPreference(OwnThreadExecutor.shared, operation: body)
}
