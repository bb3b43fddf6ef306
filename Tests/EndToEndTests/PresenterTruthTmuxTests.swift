import CoClickSimulator
import Dashboard
import Foundation
import Testing

/// What a presenter sees is true, in the real dashboard in tmux: the zone
/// from `TZ` in any form the C library takes (or named as unknown), the
/// server's host and port, `o` with no browser, and the invitation `i` copies.
@Suite("What a presenter sees, in tmux", .serialized)
struct PresenterTruthTmuxTests {
    static let patience: TimeInterval = 60

    /// `coclick demo` (after `setup`, shell lines) in a wide pane, on its list.
    func withDemo(env: [String: String] = [:], setup: String = "", width: Int = 200,
                  _ body: (Pane) async throws -> Void) async throws {
        let command = setup + "\n" + SignalTests.script("demo")
        try await Pane.with(width: width, height: 30, command: command, env: env) { pane in
            try await pane.waitForScreen("the list", timeout: Self.patience) { $0.contains("COUNTDOWN") && $0.contains("@example.com") }
            try await body(pane)
        }
    }

    static func header(_ screen: String) -> String {
        String(screen.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    static func footerMessage(_ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let filled = rows.lastIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? 0
        return filled > 0 ? rows[filled - 1] : ""
    }

    func clearBuffers(_ pane: Pane) async throws {
        while try await pane.tmux("delete-buffer").status == 0 {}
    }

    func buffer(_ pane: Pane, _ what: String) async throws -> String {
        var text = ""
        try await pane.waitUntil(what, timeout: Self.patience) {
            text = try await pane.clipboard() ?? ""
            return !text.isEmpty
        }
        return text
    }

    @Test func theHeaderNamesTheZoneTZSaysAndTheServersHostAndPort() async throws {
        let cases: [(tz: String, shown: String)] = [
            ("JST-9", "JST (UTC+09:00)"),
            (":Europe/Paris", "Europe/Paris (UTC+0"),
            ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo (UTC+09:00)"),
            ("Foo/Bar", "TZ 'Foo/Bar' unknown · UTC"),
        ]
        for (tz, shown) in cases {
            try await withDemo(env: ["TZ": tz]) { pane in
                let screen = try await pane.waitForScreen("the zone for TZ=\(tz)", timeout: Self.patience) { Self.header($0).contains(shown) }
                #expect(Self.header(screen).contains(#/demo · 127\.0\.0\.1:\d+ /#), "\(Self.header(screen))")
                try await pane.type("q")
                try await pane.waitFor("EXITED=0", timeout: Self.patience)
            }
        }
    }

    @Test func oWithNoBrowserShowsAndCopiesTheURLAndSaysWhy() async throws {
        // A PATH with tmux (the copy goes to its buffer) and no xdg-open; no $BROWSER.
        let setup = """
        mkdir "$DIR/bin" && ln -s "$(command -v tmux)" "$DIR/bin/tmux"
        PATH="$DIR/bin"; export PATH
        """
        try await withDemo(setup: setup) { pane in
            try await clearBuffers(pane)
            try await pane.keys("o")
            let screen = try await pane.waitForScreen("the reason and the URL", timeout: Self.patience) {
                Self.footerMessage($0).contains("copied prospect room URL (tmux buffer): http")
            }
            let message = Self.footerMessage(screen)
            #expect(message.contains("No browser (no $BROWSER, no xdg-open): copied prospect room URL (tmux buffer): http://127.0.0.1:"), "\(message)")
            let copied = try await buffer(pane, "the URL in tmux's buffer")
            #expect(copied.wholeMatch(of: #/http://127\.0\.0\.1:\d+/essai/room/[0-9a-f]{64}/#) != nil, "\(copied)")
            #expect(message.hasSuffix(copied) || message.contains(copied), "the footer shows the URL copied")
        }
    }

    @Test func aBrowserThatCannotStartHasTheURLCopiedInstead() async throws {
        try await withDemo(env: ["BROWSER": "/nonexistent/browser"]) { pane in
            try await clearBuffers(pane)
            try await pane.keys("o")
            let screen = try await pane.waitForScreen("the failure and the copy", timeout: Self.patience) {
                Self.footerMessage($0).contains("copied prospect room URL (tmux buffer): http")
            }
            #expect(Self.footerMessage(screen).contains("Could not open a browser ("), "\(Self.footerMessage(screen))")
            let copied = try await buffer(pane, "the URL in tmux's buffer")
            #expect(copied.contains("/essai/room/"))
        }
    }

    @Test func iPutsTheInvitationInTmuxsBufferAsMeetingsShowPrintsIt() async throws {
        try await withDemo(env: ["TZ": "JST-9"]) { pane in
            try await clearBuffers(pane)
            try await pane.keys("i")
            try await pane.waitFor("Copied invitation for", timeout: Self.patience)
            let text = try await buffer(pane, "the invitation in tmux's buffer")
            #expect(text.contains("Here is the link to our co-browsing session on"), "\(text)")
            #expect(text.contains(" JST:\n"), "\(text)")
            let url = try #require(text.firstMatch(of: #/http://127\.0\.0\.1:(\d+)/essai/room/([0-9a-f]{64})/#))
            // The same text from the command line, against the demo's own server.
            let screen = try await pane.capture()
            let port = try #require(Self.header(screen).firstMatch(of: #/127\.0\.0\.1:(\d+)/#)?.1)
            let r = try await runCoclick(["meetings", "show", String(url.2), "--invitation"], env: [
                "COCLICK_API_URL": "http://127.0.0.1:\(port)/api/v1", "TZ": "JST-9",
                "COCLICK_SECRET_ID": Simulator.demoCredentials.secretID, "COCLICK_SECRET_KEY": Simulator.demoCredentials.secretKey,
            ])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == text + "\n", "\(r.stdout)")
        }
    }
}
