import CoClickAPI
import CoClickSimulator
import Dashboard
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The draft is written off the dashboard's main thread: what is typed still
/// ends up on disk, the newest text last, on quit and before a kill.
@Suite("Draft writes off the main thread (tmux)", .serialized)
struct DraftWriteTmuxTests {
    static let patience: TimeInterval = 90
    let fault = NetworkFaultTmuxTests()

    func draftText(_ file: URL) -> String { (try? String(contentsOf: file, encoding: .utf8)) ?? "" }

    /// Each word a `send-keys` of its own, none waited for: as many batches
    /// (and draft writes) as the dashboard reads them, many while one is written.
    func typeQuickly(_ t: Pane, _ words: [String]) async throws {
        for w in words { try await t.type(w) }
    }

    /// From the list: the form, with grace's meeting tomorrow at 9:00 and `url` typed in.
    func openTheFormAndType(_ t: Pane, url: String) async throws {
        _ = try await t.waitForScreen("the list", timeout: Self.patience) { NetworkFaultTmuxTests.isOK($0) }
        try await t.keys("n")
        _ = try await t.waitForScreen("the form", timeout: Self.patience) { $0.contains("New meeting") }
        try await t.type("grace@example.com")
        try await t.keys("Tab")
        try await t.type("tomorrow 9:00")
        try await t.keys("Tab")
        try await t.type(url)
    }

    @Test func manyQuickKeysThenAnImmediateQuitLeaveTheNewestDraftAndAKillKeepsIt() async throws {
        try await fault.withSimulator { _, url in
            let home = try makeTempDirectory()
            defer { try? FileManager.default.removeItem(at: home) }
            let env = fault.environment(url, home: home)
            let file = NetworkFaultTmuxTests.draftFile(home: home, url: url)
            let first = (1...40).map { "/a\($0)" }
            try await fault.withDashboard(["--refresh", "5"], env: env) { t in
                try await openTheFormAndType(t, url: "https://example.com")
                try await typeQuickly(t, first)
                // Esc, then q as soon as the list is back: no wait for "Draft kept" or for the file.
                try await t.keys("Escape")
                _ = try await t.waitForScreen("the list again", timeout: Self.patience) { !$0.contains("New meeting") }
                try await t.keys("q")
                try await poll("the dashboard quits", timeout: Self.patience) { try await !t.isRunning() }
            }
            // Written before the process ended, and the newest text, not an earlier one.
            let typed = "https://example.com" + first.joined()
            #expect(draftText(file).contains("\"\(typed)\""), "\(draftText(file))")
            var info = stat()
            #expect(stat(file.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
            #expect(stat(file.deletingLastPathComponent().path, &info) == 0 && info.st_mode & 0o777 == 0o700)

            // Again with the form open, ended by SIGKILL: nothing of coclick's runs at its end,
            // so what is on disk is what the writes put there while it ran.
            let more = (1...40).map { "/b\($0)" }
            try await fault.withDashboard(["--refresh", "5"], env: env) { t in
                _ = try await t.waitForScreen("the list", timeout: Self.patience) { NetworkFaultTmuxTests.isOK($0) }
                try await t.keys("n")
                _ = try await t.waitForScreen("the draft back", timeout: Self.patience) { $0.contains("Draft restored") }
                try await t.keys("Tab", "Tab", "End")
                try await typeQuickly(t, more)
                try await poll("the newest draft on disk", timeout: Self.patience) { draftText(file).contains(more.joined() + "\"") }
                try await t.signal(SIGKILL)
                try await poll("the dashboard ends", timeout: Self.patience) { try await !t.isRunning() }
            }
            try await fault.withDashboard(["--refresh", "5"], env: env) { t in
                _ = try await t.waitForScreen("the list", timeout: Self.patience) { NetworkFaultTmuxTests.isOK($0) }
                try await t.keys("n")
                let restored = try await t.waitForScreen("the draft back", timeout: Self.patience) { $0.contains("Draft restored") }
                #expect(restored.contains("grace@example.com"), "\(restored)")
                // (The field shows the start of the long URL; the file holds all of it.)
                #expect(draftText(file).contains("\"\(typed + more.joined())\""), "\(draftText(file))")
            }
        }
    }

    /// Ctrl-Z with the form open, right after what was typed is drawn: while
    /// coclick is stopped (and may be killed there) the file holds it.
    @Test func ctrlZRightAfterTypingLeavesTheDraftOnDiskWhileStopped() async throws {
        try await fault.withSimulator { _, url in
            let home = try makeTempDirectory()
            defer { try? FileManager.default.removeItem(at: home) }
            let env = fault.environment(url, home: home)
            let file = NetworkFaultTmuxTests.draftFile(home: home, url: url)
            let words = (1...12).map { "/c\($0)" }
            // From a shell with job control, as a user's: Ctrl-Z stops it, fg brings it back.
            try await Pane.with(width: 100, height: 30, command: "exec bash --norc --noprofile -i", env: env) { t in
                try await t.waitFor("PROMPT$")
                try await t.type("\"$COCLICK\" --refresh 5")
                try await t.keys("Enter")
                try await openTheFormAndType(t, url: "https://x.example")
                try await typeQuickly(t, words)
                _ = try await t.waitForScreen("all of it typed", timeout: Self.patience) { $0.contains("/c11/c12") }
                try await t.keys("C-z")
                let pid = try await t.coclickPID()
                try await poll("coclick stopped", timeout: Self.patience) {
                    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
                    return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("T") == true
                }
                #expect(draftText(file).contains("\"https://x.example\(words.joined())\""), "\(draftText(file))")
                try await t.type("fg")
                try await t.keys("Enter")
                _ = try await t.waitForScreen("the form again", timeout: Self.patience) { $0.contains("New meeting") }
            }
        }
    }

    /// Every write fails (the state folder is a file): on quit, with the footer
    /// gone, one line on stderr says the draft was not saved.
    @Test func aDraftThatCouldNotBeWrittenIsSaidOnStderrAtQuit() async throws {
        try await fault.withSimulator { _, url in
            let home = try makeTempDirectory()
            defer { try? FileManager.default.removeItem(at: home) }
            var env = fault.environment(url, home: home)
            let blocked = home.appendingPathComponent("state-is-a-file")
            try Data("x".utf8).write(to: blocked)
            env["XDG_STATE_HOME"] = blocked.path
            let command = #""$COCLICK" --refresh 5; echo "EXITED=$?"; exec sleep 600"#
            try await Pane.with(width: 100, height: 30, command: command, env: env) { t in
                _ = try await t.waitForScreen("the list", timeout: Self.patience) { NetworkFaultTmuxTests.isOK($0) }
                try await t.keys("n")
                _ = try await t.waitForScreen("the form", timeout: Self.patience) { $0.contains("New meeting") }
                try await t.type("grace@example.com")
                try await t.keys("Escape")
                _ = try await t.waitForScreen("the list again", timeout: Self.patience) { !$0.contains("New meeting") }
                try await t.keys("q")
                let after = try await t.waitForScreen("the exit", timeout: Self.patience) { $0.contains("EXITED=0") }
                #expect(after.contains("coclick: the form's draft was not saved: "), "\(after)")
            }
        }
    }
}
