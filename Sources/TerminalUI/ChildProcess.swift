import CoClickAPI
import CSignals
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a helper program for the dashboard (a clipboard command, a browser
/// opener) without touching the dashboard's terminal:
/// - its stdin is a pipe holding `input`, its stdout and stderr a pipe that
///   coclick reads (the first 4 KiB are kept): none of them is the tty;
/// - it starts a session of its own, so it has no controlling terminal: it
///   cannot open /dev/tty, read keys, draw, or get the terminal's signals;
/// - it starts with a clean signal mask and default signal actions, and no
///   descriptor of coclick's beyond those three;
/// - its environment is the user's without the API key pair (`inheritedEnvironment`);
/// - `run()` waits on a thread of its own (never the main thread's loop or the
///   cooperative pool), in one `poll` on its pipes and on a pipe that a second
///   thread, blocked in `waitid`, writes to when the program ends: nothing
///   wakes while a browser stays open (the timeout is poll's own);
/// - after `timeout` its whole process group gets SIGTERM, then SIGKILL
///   `grace` seconds later (a program that ignores SIGTERM, or a shell's own
///   children, go too);
/// - while it runs, its group is recorded so that coclick's exit, or its
///   death by a signal, ends it: no helper outlives coclick.
/// Only the program itself is waited for: one that leaves a server behind
/// (xclip and wl-copy keep serving the selection) is done when it exits.
public struct ChildProcess: Sendable {
    /// argv; `arguments[0]` is looked up in PATH.
    public var arguments: [String]
    /// Written to the program's stdin, which is then closed.
    public var input: Data
    /// Seconds before the program is told to end.
    public var timeout: TimeInterval
    /// Seconds between SIGTERM and SIGKILL, once the time is up.
    public static let grace: TimeInterval = 1

    public init(_ arguments: [String], input: Data = Data(), timeout: TimeInterval = 5) {
        self.arguments = arguments
        self.input = input
        self.timeout = timeout
    }

    public enum Termination: Sendable, Hashable {
        case exited(Int32)
        case signaled(Int32)
        /// Still running after `timeout`: killed.
        case timedOut
        /// It never ran; why.
        case couldNotStart(String)
    }

    public struct Result: Sendable, Hashable {
        public var termination: Termination
        /// stdout and stderr as they came, the first 4 KiB (lossy UTF-8).
        public var output: String
        /// The timeout it was given, for `failure`.
        public var timeout: TimeInterval

        public var succeeded: Bool { termination == .exited(0) }

        /// Why it did not succeed, in a few words for a footer (nil when it
        /// did): "exited 1: Error: Can't open display: :0".
        public var failure: String? {
            let said = output.split(whereSeparator: \.isNewline)
                .map { $0.trimmedSpaces }.first { !$0.isEmpty }
                .map { ": " + String($0.prefix(160)) } ?? ""
            switch termination {
            case .exited(0): return nil
            case .exited(let code): return "exited \(code)" + said
            case .signaled(let sig): return "killed by signal \(sig)" + said
            case .timedOut: return "no answer in \(Int(timeout.rounded())) s"
            case .couldNotStart(let why): return why
            }
        }
    }

    /// Runs the program to its end (or the timeout) on a thread of its own.
    public func run() async -> Result {
        await withCheckedContinuation { (done: CheckedContinuation<Result, Never>) in
            let job = self
            // The blocking wait runs on a thread of its own, off the cooperative pool.
            let started = OSThread.start(name: "child \(arguments.first ?? "")") { done.resume(returning: job.runBlocking()) }
            if !started { done.resume(returning: Result(termination: .couldNotStart("no thread to wait for it"), output: "", timeout: job.timeout)) }
        }
    }

    /// The same, blocking the calling thread.
    public func runBlocking() -> Result {
        guard let program = arguments.first, !program.isEmpty else { return couldNotStart("no program") }
        // A program that exits without reading its stdin must not take
        // coclick down with SIGPIPE: on this thread the write fails instead.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var savedMask = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &savedMask)
        defer {
            var now = timespec(tv_sec: 0, tv_nsec: 0)
            while sigtimedwait(&pipeSignal, nil, &now) == SIGPIPE {}
            pthread_sigmask(SIG_SETMASK, &savedMask, nil)
        }

        let child: Started
        switch start(program) {
        case .success(let started): child = started
        case .failure(let why): return couldNotStart(why.message)
        }
        let pid = child.pid
        // The program leads a session, so its group is its pid.
        _ = coclick_helper_started(pid)
        defer { coclick_helper_ended(pid) }
        defer { close(child.endRead) }
        guard Self.watchEnd(of: pid, writingTo: child.endWrite) else {
            for fd in [child.endWrite, child.stdinWrite, child.outputRead] { close(fd) }
            kill(-pid, SIGKILL)
            _ = Self.reap(pid)
            return couldNotStart("no thread to wait for it")
        }
        var exchange = Exchange(input: input, writeFD: child.stdinWrite, readFD: child.outputRead)
        let timedOut = waitForEnd(of: pid, endRead: child.endRead, exchange: &exchange)
        // Ended (a zombie until reaped here): after a timeout, what is left of its group goes too.
        if timedOut { kill(-pid, SIGKILL) }
        let status = Self.reap(pid)
        // What it wrote before it ended; a server it left behind may hold the
        // pipe open, so read only what is there.
        exchange.drainOutput()
        exchange.closeAll()
        return Result(termination: timedOut ? .timedOut : Self.termination(status), output: exchange.text, timeout: timeout)
    }

    private func couldNotStart(_ why: String) -> Result {
        Result(termination: .couldNotStart(why), output: "", timeout: timeout)
    }

    /// A spawned program and coclick's ends of its pipes: its stdin, its
    /// output, and the pipe on which `watchEnd` says it ended.
    private struct Started {
        var pid: pid_t
        var stdinWrite: Int32
        var outputRead: Int32
        var endRead: Int32
        var endWrite: Int32
    }

    /// Makes the three pipes and spawns the program on them; on failure
    /// every descriptor is closed again.
    private func start(_ program: String) -> Swift.Result<Started, SpawnError> {
        func pipeFailure() -> SpawnError { SpawnError(message: "cannot make a pipe: \(String(cString: strerror(errno)))") }
        guard let stdinPipe = Self.makePipe() else { return .failure(pipeFailure()) }
        guard let outputPipe = Self.makePipe() else {
            let failure = pipeFailure()
            for fd in [stdinPipe.read, stdinPipe.write] { close(fd) }
            return .failure(failure)
        }
        guard let endPipe = Self.makePipe() else {
            let failure = pipeFailure()
            for fd in [stdinPipe.read, stdinPipe.write, outputPipe.read, outputPipe.write] { close(fd) }
            return .failure(failure)
        }
        let spawned = Self.spawn(arguments, stdin: stdinPipe.read, output: outputPipe.write)
        close(stdinPipe.read)
        close(outputPipe.write)
        switch spawned {
        case .success(let pid):
            return .success(Started(pid: pid, stdinWrite: stdinPipe.write, outputRead: outputPipe.read, endRead: endPipe.read, endWrite: endPipe.write))
        case .failure(let e):
            for fd in [stdinPipe.write, outputPipe.read, endPipe.read, endPipe.write] { close(fd) }
            return .failure(SpawnError(message: "cannot run \(program): \(e.message)"))
        }
    }

    /// Writes a byte to `endWrite` (and closes it) when `pid` ends, from a
    /// thread blocked in `waitid`; the program stays unreaped (a zombie)
    /// until `reap`, so its pid (and group) cannot be reused before.
    /// False when no thread could be started.
    private static func watchEnd(of pid: pid_t, writingTo endWrite: Int32) -> Bool {
        OSThread.start(name: "child end") {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
            var byte: UInt8 = 1
            _ = write(endWrite, &byte, 1)
            close(endWrite)
        }
    }

    private static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return status
    }

    /// Feeds the input and keeps the output in one `poll` until the program
    /// ends; when the time is up, its group gets SIGTERM, then SIGKILL
    /// `grace` seconds later. True when it timed out.
    private func waitForEnd(of pid: pid_t, endRead: Int32, exchange: inout Exchange) -> Bool {
        let deadline = Self.monotonicSeconds() + timeout
        var killAt: TimeInterval?
        var timedOut = false
        exchange.pumpInput()
        while true {
            let now = Self.monotonicSeconds()
            if !timedOut, now >= deadline {
                timedOut = true
                kill(-pid, SIGTERM)
                killAt = now + Self.grace
            }
            if let at = killAt, now >= at {
                // Also what the leader left behind in its group, ignoring SIGTERM.
                kill(-pid, SIGKILL)
                killAt = nil
            }
            var fds = [pollfd(fd: endRead, events: Int16(POLLIN), revents: 0)] + exchange.pollRequests
            // Until something happens, or the next step of the timeout: no wake-up in between.
            let next = timedOut ? killAt : deadline
            let wait = next.map { Int32(min(((max(0, $0 - now)) * 1000).rounded(.up), 86_400_000)) } ?? -1
            _ = poll(&fds, nfds_t(fds.count), wait)
            exchange.pumpInput()
            exchange.drainOutput()
            if fds[0].revents != 0 { return timedOut }
        }
    }

    /// The program's stdin and output, both non-blocking: the input written
    /// as the pipe takes it, the first 4 KiB of the output kept.
    private struct Exchange {
        private var writeFD: Int32
        private var readFD: Int32
        private let bytes: [UInt8]
        private var written = 0
        private var output: [UInt8] = []
        private static let keep = 4096

        init(input: Data, writeFD: Int32, readFD: Int32) {
            self.bytes = [UInt8](input)
            self.writeFD = writeFD
            self.readFD = readFD
            _ = fcntl(writeFD, F_SETFL, fcntl(writeFD, F_GETFL) | O_NONBLOCK)
            _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        }

        var text: String { String(decoding: output, as: UTF8.self) }

        /// What to wait for: room in the stdin pipe, output to read.
        var pollRequests: [pollfd] {
            var fds: [pollfd] = []
            if writeFD >= 0 { fds.append(pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0)) }
            if readFD >= 0 { fds.append(pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)) }
            return fds
        }

        mutating func pumpInput() {
            while writeFD >= 0 {
                if written == bytes.count {
                    closeInput()
                    return
                }
                let n = bytes.withUnsafeBytes { write(writeFD, $0.baseAddress! + written, bytes.count - written) }
                if n > 0 {
                    written += n
                } else if n < 0, errno == EINTR {
                    continue
                } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    return
                } else {
                    // EPIPE: it stopped reading. Its exit status tells the rest.
                    closeInput()
                }
            }
        }

        mutating func drainOutput() {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while readFD >= 0 {
                let n = chunk.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
                if n > 0 {
                    if output.count < Self.keep { output += chunk[0..<min(n, Self.keep - output.count)] }
                } else if n < 0, errno == EINTR {
                    continue
                } else if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    return
                } else {
                    close(readFD)
                    readFD = -1
                }
            }
        }

        private mutating func closeInput() {
            close(writeFD)
            writeFD = -1
        }

        mutating func closeAll() {
            if writeFD >= 0 { closeInput() }
            if readFD >= 0 { close(readFD); readFD = -1 }
        }
    }

    /// True when `name` is an executable file in one of PATH's folders.
    public static func isOnPath(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard !name.contains("/") else { return access(name, X_OK) == 0 }
        for dir in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") where !dir.isEmpty {
            let path = "\(dir)/\(name)"
            var info = stat()
            if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(path, X_OK) == 0 { return true }
        }
        return false
    }

    // MARK: - Plumbing

    private struct SpawnError: Error { var message: String }

    private static func spawn(_ arguments: [String], stdin: Int32, output: Int32) -> Swift.Result<pid_t, SpawnError> {
        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        var attr = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attr: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &all)
        #if os(Linux)
        // Nothing of coclick's but the three pipes: glibc 2.34 and later can say so.
        if let closeFrom = addCloseFrom { _ = closeFrom(&actions, 3) }
        let flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | spawnSetSID
        #else
        let flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID | POSIX_SPAWN_CLOEXEC_DEFAULT
        #endif
        posix_spawnattr_setflags(&attr, Int16(flags))
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = inheritedEnvironment(currentEnvironment()).map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, arguments[0], &actions, &attr, argv, envp)
        guard rc == 0 else { return .failure(SpawnError(message: String(cString: strerror(rc)))) }
        return .success(pid)
    }

    /// Variables a helper program never gets: the API key pair (a browser
    /// or clipboard program has no use for it, and may log or forward its
    /// environment).
    public static let withheldVariables: Set<String> = ["COCLICK_SECRET_KEY", "COCLICK_SECRET_ID"]

    /// The environment a helper program starts with, from this process's
    /// `NAME=value` entries: the user's, less `withheldVariables`.
    public static func inheritedEnvironment(_ entries: [String]) -> [String] {
        entries.filter { entry in
            let name = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? entry
            return !withheldVariables.contains(name)
        }
    }

    /// This process's environment as `NAME=value` entries, read from `environ` now.
    static func currentEnvironment() -> [String] {
        var entries: [String] = []
        guard var p = environ as UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? else { return [] }
        while let entry = p.pointee {
            entries.append(String(cString: entry))
            p += 1
        }
        return entries
    }

    /// A pipe whose ends close on exec (the child gets its own copies).
    private static func makePipe() -> (read: Int32, write: Int32)? {
        // (pipe2 is hidden from Swift behind _GNU_SOURCE; closefrom covers the short gap.)
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    private static func termination(_ status: Int32) -> Termination {
        let sig = status & 0x7f
        return sig == 0 ? .exited((status >> 8) & 0xff) : .signaled(sig)
    }

    private static func monotonicSeconds() -> TimeInterval {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return TimeInterval(ts.tv_sec) + TimeInterval(ts.tv_nsec) / 1e9
    }
}

#if os(Linux)
/// glibc's POSIX_SPAWN_SETSID (since 2.26), hidden from Swift behind _GNU_SOURCE.
private let spawnSetSID: Int32 = 0x80

private typealias CloseFromFunction = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

/// posix_spawn_file_actions_addclosefrom_np, where glibc has it (2.34 and later).
private let addCloseFrom: CloseFromFunction? = {
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(symbol, to: CloseFromFunction.self)
}()
#endif
