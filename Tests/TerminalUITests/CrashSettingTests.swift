import CSignals
import Foundation
@testable import TerminalUI
import Testing

/// The release build's C constructor (CSignals) sets SWIFT_BACKTRACE before
/// the Swift runtime starts; `CrashReporting.prepare` then finds the value it
/// wants and does not exec the process again. If the two drift apart, or the
/// constructor's guess from argv does, crash reports still work but every
/// dashboard start pays for the exec again (half of it): these keep them together.
@Suite("Crash report setting before the runtime")
struct CrashSettingTests {
    func cSetting(dir: String, pid: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 1400)
        guard coclick_backtrace_setting(&buffer, buffer.count, dir, pid) == 1 else { return nil }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func theConstructorsSettingIsTheOnePrepareWants() {
        for dir in ["/home/ada/.local/state/coclick", "/tmp/x y/coclick", "/s/é/coclick"] {
            for pid: Int32 in [1, 4242, 4_194_304] {
                #expect(cSetting(dir: dir, pid: pid) == CrashReporting.settings(outputTo: "\(dir)/.crash-\(pid).tmp"))
            }
        }
        // SWIFT_BACKTRACE separates its settings with commas: such a folder is refused.
        #expect(cSetting(dir: "/tmp/a,b/coclick", pid: 1) == nil)
        #expect(cSetting(dir: "/" + String(repeating: "d", count: 1500), pid: 1) == nil)
    }

    func guess(_ args: [String]) -> Bool {
        let argv = (["coclick"] + args).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var pointers: [UnsafeMutablePointer<CChar>?] = argv + [nil]
        return coclick_is_dashboard_command(Int32(argv.count), &pointers) == 1
    }

    @Test func theConstructorGuessesTheDashboardFromArgv() {
        let dashboard: [[String]] = [
            [], ["demo"], ["dashboard"], ["--refresh", "5"], ["--theme", "mono"], ["--theme=mono"],
            ["--api-url", "http://127.0.0.1:1/api/v1", "--allow-insecure-http"], ["--profile", "work", "demo", "--fixture", "empty"],
            ["--config", "/tmp/c.toml", "--timeout", "3", "--log-file", "/tmp/l", "dashboard"],
        ]
        let other: [[String]] = [
            ["meetings", "list"], ["--theme", "mono", "next"], ["auth", "check"], ["simulator"], ["--help"], ["-h"],
            ["--version"], ["--refresh", "5", "--help"], ["help"], ["completion", "bash"], ["--api-url=x", "meetings", "show", "id"],
        ]
        for a in dashboard { #expect(guess(a), "\(a)") }
        for a in other { #expect(!guess(a), "\(a)") }
    }
}
