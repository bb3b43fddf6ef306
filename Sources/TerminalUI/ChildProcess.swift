import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts helper programs (a browser) without ever blocking the UI or
/// letting them near the terminal: stdin, stdout and stderr are /dev/null,
/// the child is in a session of its own (no controlling tty, so it cannot
/// read keys, change modes or be stopped with us), with a clean signal mask
/// and default signal actions. It is reaped on a thread of its own, and its
/// end is reported on the main queue.
enum ChildProcess {
    /// Spawns `argv` (looked up in PATH); `done` gets nil on success or why
    /// it failed ("not found", "exited with 3"). Returns an error text at once
    /// when it cannot start at all.
    @discardableResult
    static func launch(_ argv: [String], done: @escaping @Sendable @MainActor (String?) -> Void) -> String? {
        guard let tool = argv.first, !tool.isEmpty else { return "no command" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
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
        #if os(Linux)
        let setsid = Int32(0x80)  // POSIX_SPAWN_SETSID (glibc 2.26+)
        #else
        let setsid = Int32(0x400)  // POSIX_SPAWN_SETSID (macOS 10.15+)
        #endif
        posix_spawnattr_setflags(&attr, Int16(Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | setsid))
        let cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, tool, &actions, &attr, cargs, environ)
        guard rc == 0 else {
            return rc == ENOENT ? "\(tool) not found" : "\(tool): \(String(cString: strerror(rc)))"
        }
        let name = tool
        let child = pid
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0, errno == EINTR {}
            let exited = (status & 0x7f) == 0
            let code = (status >> 8) & 0xff
            // 127: the shell or env could not find the program.
            let why: String? = exited && code == 0 ? nil
                : exited ? (code == 127 ? "\(name) not found" : "\(name) exited with \(code)")
                : "\(name) ended by signal \(status & 0x7f)"
            DispatchQueue.main.async { MainActor.assumeIsolated { done(why) } }
        }
        return nil
    }
}
