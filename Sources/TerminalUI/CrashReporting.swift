import CSignals
import Dashboard
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a crash leaves behind: the terminal given back at once, a report
/// in `$XDG_STATE_HOME/coclick/crash-<UTC time>.txt` (0600) with the raw
/// frames of the crashing thread and the addr2line command that names them,
/// one line on stderr naming it, and death by the signal. All of it is
/// CSignals' own handlers: they replace the Swift runtime's, so its
/// backtracer never runs, and never waits for a key on a screen nobody sees
/// (also when the user set `SWIFT_BACKTRACE`).
public enum CrashReporting {
    /// Call first in a process that will take over the terminal: installs
    /// the crash handlers and tells them where the report goes.
    public static func prepare(environment: [String: String] = ProcessInfo.processInfo.environment) {
        coclick_install_crash_handlers()
        // A folder that is not this user's alone gets nothing written into it.
        guard let folder = DraftStore.defaultDirectory(environment: environment),
              DraftStore.folderRefusal(folder) == nil,
              (try? FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil
        else {
            // No folder for a report: the terminal is still restored and the
            // process still dies of the signal, without a report.
            coclick_set_crash_report(nil)
            return
        }
        coclick_set_crash_report(folder.path)
    }
}
