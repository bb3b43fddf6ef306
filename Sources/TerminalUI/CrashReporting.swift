import CSignals
import Dashboard
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// What a crash leaves behind: the terminal given back at once (CSignals),
/// a backtrace in `$XDG_STATE_HOME/coclick/crash-<UTC time>.txt` (0600),
/// and one line on stderr naming it. Never Swift's interactive backtracer,
/// which would wait 30 s for a key on a screen it cannot see.
///
/// The runtime reads `SWIFT_BACKTRACE` once, when the process starts. In a
/// binary with the Swift runtime linked statically, a C constructor in
/// CSignals (priority 101, before the runtime's own initializer) sets it for a
/// dashboard process: non-interactive, no colour, output to a per-process
/// file that the crash handler renames. Elsewhere (a shared runtime, as in
/// debug builds) the dashboard process execs itself once with it set.
public enum CrashReporting {
    /// Call first in a process that will take over the terminal, before it
    /// starts any thread: it may replace the process (same pid, same
    /// arguments). Returns once the crash report is set up, or cannot be.
    public static func prepare(environment: [String: String] = ProcessInfo.processInfo.environment) {
        // A folder that is not this user's alone gets nothing written into it.
        guard let folder = DraftStore.defaultDirectory(environment: environment),
              DraftStore.folderRefusal(folder) == nil,
              (try? FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil
        else {
            // No folder for a report: the terminal is still restored and the
            // process still dies of the signal, without a backtrace.
            coclick_set_crash_report(nil, nil, 0)
            return
        }
        let dir = folder.path
        let tmp = "\(dir)/.crash-\(getpid()).tmp"
        let wanted = settings(outputTo: tmp)
        let current = environment["SWIFT_BACKTRACE"]
        if current == wanted {
            // Already exec'd with our settings: the runtime's backtracer writes the file.
            coclick_set_crash_report(dir, tmp, 1)
            return
        }
        if current?.contains("enable=no") == true || tmp.contains(",") {
            // Asked for no backtracer (or a path SWIFT_BACKTRACE cannot carry): our own raw frames.
            coclick_set_crash_report(dir, tmp, 0)
            return
        }
        setenv("SWIFT_BACKTRACE", wanted, 1)
        // The binary's own path, not /proc/self/exe: the process name (ps, pgrep) stays "coclick".
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            execv(path, CommandLine.unsafeArgv)
        }
        // No exec (no /proc?): the runtime keeps its settings, which may be
        // interactive, so it must not run; the handler writes raw frames.
        if let current { setenv("SWIFT_BACKTRACE", current, 1) } else { unsetenv("SWIFT_BACKTRACE") }
        coclick_set_crash_report(dir, tmp, 0)
    }

    /// For a process that is not a dashboard: if CSignals' constructor set
    /// SWIFT_BACKTRACE (it guesses from argv), children do not inherit it.
    public static func notADashboard() {
        if coclick_backtrace_preset() == 1 { unsetenv("SWIFT_BACKTRACE") }
    }

    /// The runtime backtracer's settings (CSignals.c builds the same string) for a dashboard process: every
    /// thread's frames, but no registers (their dump shows the memory they
    /// point at, which may hold the bearer token or the secret key). Its
    /// warnings suppressed: a static binary finds no swift-backtrace unless
    /// one is installed beside it, and the runtime would say so on stderr at
    /// every start; the crash handler then writes raw frames instead.
    static func settings(outputTo path: String) -> String {
        "enable=yes,interactive=no,color=no,timeout=0s,registers=none,warnings=suppressed,output-to=\(path)"
    }
}
