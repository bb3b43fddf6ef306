import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// A helper program that stays open (a browser that `xdg-open` or `firefox
/// URL` leaves in the foreground) costs the dashboard nothing while it runs:
/// nothing polls for its end.
@Suite("A browser that stays open, in tmux", .serialized)
struct QuietChildTmuxTests {
    let clip = ClipboardTmuxTests()

    /// Wake-ups a second of `pid` over `seconds`: each time a thread that
    /// waited (poll, epoll, a futex, a sleep) was woken is one voluntary
    /// context switch, summed over its threads (`voluntarySwitches`).
    static func rate(_ pid: pid_t, over seconds: Double) async throws -> Double {
        let perThread = try await voluntarySwitches(pid, over: seconds)
        return Double(perThread.values.reduce(0, +)) / seconds
    }

    /// A count of wake-ups, not a timing: while `o`'s browser stays open the
    /// dashboard wakes no more often than before it was opened (the demo's own
    /// simulator, in the same process, has wake-ups of its own: the rate
    /// before is the yardstick). Waiting for the browser by polling added 40
    /// a second.
    @Test func aBrowserThatStaysOpenLeavesTheDashboardIdleAndEndsWithIt() async throws {
        let tool = try clip.stubProgram("browser", #"echo $$ > "$(dirname "$0")/pid.tmp" && mv "$(dirname "$0")/pid.tmp" "$(dirname "$0")/pid"; exec sleep 120"#)
        defer { try? FileManager.default.removeItem(at: tool.dir) }
        try await clip.withDemo(env: ["BROWSER": tool.path]) { pane in
            let coclick = try await pane.coclickPID()
            // The first list and its detail are over; then the rate with no browser.
            try await Task.sleep(for: .seconds(2))
            let idle = try await Self.rate(coclick, over: 6)
            try await pane.keys("o")
            var browser: pid_t = 0
            try await pane.waitUntil("the browser's pid", timeout: ClipboardTmuxTests.patience) {
                browser = pid_t(((try? String(contentsOf: tool.dir.appendingPathComponent("pid"), encoding: .utf8)) ?? "")
                    .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                return browser > 0
            }
            // What `o` itself set off (the frame, the spawn) is over.
            try await Task.sleep(for: .seconds(2))
            let open = try await Self.rate(coclick, over: 6)
            #expect(open < idle + 5, "the dashboard woke \(open) times a second while the browser ran, \(idle) before")
            #expect(!ClipboardTmuxTests.ended(browser), "the browser is left alone while coclick runs")
            // Quitting ends it (its group was recorded), though it never exits by itself.
            try await pane.type("q")
            try await pane.waitFor("EXITED=0", timeout: ClipboardTmuxTests.patience)
            try await clip.expectEnded([browser], "the browser ended with coclick", pane: pane)
        }
    }
}
