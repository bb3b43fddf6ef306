import CoClickAPI
import CoClickSimulator
import Dashboard
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The real dashboard in tmux: what its helper programs inherit, two windows
/// typing drafts on one account, and a draft folder that cannot be written.
@Suite("Drafts and children of the dashboard (tmux)", .serialized)
struct TrustTmuxTests {
    static let patience: TimeInterval = 90
    /// The dashboard helpers of the network-fault suite: a simulator, the environment, the pane.
    let fault = NetworkFaultTmuxTests()

    /// The message row, above the status line.
    static func message(_ screen: String) -> String { ClipboardTmuxTests.messageRow(screen) }

    // MARK: Children

    /// A clipboard program and a browser that write down their environment:
    /// the user's is there (their own SWIFT_BACKTRACE unchanged), the key pair is not.
    @Test func helperProgramsGetTheUsersEnvironmentButNotTheKey() async throws {
        let dump = #"env > "$DIR/$(basename "$0").env.tmp" && mv "$DIR/$(basename "$0").env.tmp" "$DIR/$(basename "$0").env"; cat > /dev/null"#
        let command = """
        for p in my-copy my-browser; do printf '#!/bin/sh\\n%s\\n' \(Pane.quote(dump)) > "$DIR/$p" && chmod +x "$DIR/$p"; done
        COCLICK_CLIPBOARD="command:$DIR/my-copy" BROWSER="$DIR/my-browser" "$COCLICK" demo; echo "exit=$?"; sleep 120
        """
        let env = ["COCLICK_SECRET_KEY": "sentinel-secret-key", "COCLICK_SECRET_ID": "sentinel-secret-id", "MY_OWN_SETTING": "kept",
                   "SWIFT_BACKTRACE": "enable=no,color=no"]
        try await Pane.with(width: 120, height: 30, command: command, env: env) { t in
            try await t.waitFor("scheduled", timeout: Self.patience)
            try await t.keys("y")
            try await t.waitUntil("the clipboard program ran", timeout: Self.patience) { t.file("my-copy.env") != nil }
            try await t.keys("o")
            try await t.waitUntil("the browser ran", timeout: Self.patience) { t.file("my-browser.env") != nil }
            for name in ["my-copy.env", "my-browser.env"] {
                let seen = t.file(name) ?? ""
                #expect(seen.contains("MY_OWN_SETTING=kept"), "\(name): the user's environment is passed on:\n\(seen)")
                #expect(seen.contains("HOME="), "\(name)")
                #expect(!seen.contains("sentinel-secret-key") && !seen.contains("COCLICK_SECRET_KEY"), "\(name):\n\(seen)")
                #expect(!seen.contains("COCLICK_SECRET_ID"), "\(name):\n\(seen)")
                #expect(seen.contains("SWIFT_BACKTRACE=enable=no,color=no\n"), "\(name): the user's own SWIFT_BACKTRACE is theirs:\n\(seen)")
            }
            try await t.keys("q")
            try await t.waitFor("exit=0", timeout: Self.patience)
        }
    }

    // MARK: Two windows, one account

    /// Opens the form and types a meeting whose cobrowsing URL ends in `tag`.
    func typeDraft(_ t: Pane, user: String, tag: String) async throws {
        try await t.type(user)
        try await t.keys("Tab")
        try await t.type("tomorrow 9:00")
        try await t.keys("Tab")
        try await t.type("https://example.com/\(tag)")
        _ = try await t.waitForScreen("typed", timeout: Self.patience) { $0.contains("https://example.com/\(tag)") }
    }

    @Test func twoDashboardsOnOneAccountEachKeepTheirDraftAndTheNextStartOffersBoth() async throws {
        try await fault.withSimulator { sim, url in
            let home = try makeTempDirectory()
            defer { try? FileManager.default.removeItem(at: home) }
            let env = fault.environment(url, home: home)
            try await fault.withDashboard(["--refresh", "5"], env: env) { a in
                try await fault.withDashboard(["--refresh", "5"], env: env) { b in
                    _ = try await a.waitForScreen("A's list", timeout: Self.patience) { NetworkFaultTmuxTests.isOK($0) }
                    _ = try await b.waitForScreen("B's list", timeout: Self.patience) { NetworkFaultTmuxTests.isOK($0) }
                    try await a.keys("n")
                    _ = try await a.waitForScreen("A's form", timeout: Self.patience) { $0.contains("New meeting") }
                    try await typeDraft(a, user: "alice@example.com", tag: "from-a")
                    try await poll("A's draft on disk", timeout: Self.patience) { self.draftTexts(home).contains { $0.contains("from-a") } }
                    // B opens its form while A's draft is being edited: told so, and not given A's draft.
                    try await b.keys("n")
                    let opened = try await b.waitForScreen("B's form", timeout: Self.patience) {
                        $0.contains("New meeting") && $0.contains("another coclick window")
                    }
                    #expect(!opened.contains("from-a"), "B took A's draft:\n\(opened)")
                    try await typeDraft(b, user: "bob@example.com", tag: "from-b")
                    try await a.keys("Escape")
                    _ = try await a.waitForScreen("A: draft kept", timeout: Self.patience) { Self.message($0).contains("Draft kept") }
                    try await b.keys("Escape")
                    _ = try await b.waitForScreen("B: draft kept", timeout: Self.patience) { Self.message($0).contains("Draft kept") }
                    try await a.keys("q")
                    try await b.keys("q")
                    try await poll("both quit", timeout: Self.patience) {
                        let aRuns = try await a.isRunning()
                        let bRuns = try await b.isRunning()
                        return !aRuns && !bRuns
                    }
                }
            }
            let texts = draftTexts(home)
            #expect(texts.count == 2, "\(texts)")
            #expect(texts.contains { $0.contains("from-a") && $0.contains("alice@example.com") && !$0.contains("from-b") })
            #expect(texts.contains { $0.contains("from-b") && $0.contains("bob@example.com") && !$0.contains("from-a") })

            // The next start: the newest draft, and word of the other; once it is sent, the other.
            try await fault.withDashboard(["--refresh", "5"], env: env) { c in
                _ = try await c.waitForScreen("C's list", timeout: Self.patience) { NetworkFaultTmuxTests.isOK($0) }
                try await c.keys("n")
                let first = try await c.waitForScreen("a draft back", timeout: Self.patience) {
                    $0.contains("Draft restored") && $0.contains("1 more draft kept")
                }
                // B wrote last.
                #expect(first.contains("https://example.com/from-b"), "the newest first:\n\(first)")
                try await c.keys("C-s")
                _ = try await c.waitForScreen("created", timeout: Self.patience) { $0.contains("Created meeting") }
                #expect(sim.meetings.contains { $0.cobrowsingURL == "https://example.com/from-b" })
                try await c.keys("n")
                let second = try await c.waitForScreen("the other draft", timeout: Self.patience) {
                    $0.contains("Draft restored") && $0.contains("https://example.com/from-a")
                }
                #expect(!second.contains("more draft kept"), "\(second)")
                try await c.keys("q")
            }
        }
    }

    /// The text of every draft file under `home`'s state folder.
    func draftTexts(_ home: URL) -> [String] {
        let dir = home.appendingPathComponent("state/coclick")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasPrefix("draft-") && $0.hasSuffix(".json") }.sorted()
            .compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
    }

    // MARK: A draft folder that cannot be written

    /// Where the state folder should be, a file: every write fails. The
    /// footer never says "Draft kept", and n still brings the form back.
    @Test func aDraftThatCannotBeWrittenIsSaidToBeOnlyInThisWindow() async throws {
        try await fault.withSimulator { _, url in
            let home = try makeTempDirectory()
            defer { try? FileManager.default.removeItem(at: home) }
            var env = fault.environment(url, home: home)
            let blocked = home.appendingPathComponent("state-is-a-file")
            try Data("x".utf8).write(to: blocked)
            env["XDG_STATE_HOME"] = blocked.path
            try await fault.withDashboard(["--refresh", "5"], env: env) { t in
                _ = try await t.waitForScreen("the list", timeout: Self.patience) { NetworkFaultTmuxTests.isOK($0) }
                try await t.keys("n")
                _ = try await t.waitForScreen("the form", timeout: Self.patience) { $0.contains("New meeting") }
                try await t.type("grace@example.com")
                let typing = try await t.waitForScreen("the write failure", timeout: Self.patience) {
                    Self.message($0).contains("Draft not saved to disk")
                }
                #expect(Self.message(typing).contains("it is only in this window"), "\(Self.message(typing))")
                try await t.keys("Escape")
                let list = try await t.waitForScreen("back on the list", timeout: Self.patience) {
                    Self.message($0).contains("press n to continue it")
                }
                #expect(Self.message(list).contains("Draft not saved to disk"), "\(Self.message(list))")
                #expect(Self.message(list).contains("only in this window"), "\(Self.message(list))")
                #expect(!list.contains("Draft kept"), "\(list)")
                try await t.keys("n")
                _ = try await t.waitForScreen("the form back", timeout: Self.patience) { $0.contains("grace@example.com") && $0.contains("New meeting") }
            }
        }
    }

    // MARK: Folders that are not this user's alone

    /// A draft planted in a state folder others can write (an attacker's user
    /// and phishing URL) is not loaded, and the folder is left as it was; the
    /// cache folder as a symlink to another user's folder (as root: chown to
    /// nobody; otherwise a world-writable one) is not used, and the dashboard
    /// says why at start.
    @Test func aPlantedDraftAndAForeignCacheFolderAreRefused() async throws {
        try await fault.withSimulator { _, url in
            let home = try makeTempDirectory()
            defer { try? FileManager.default.removeItem(at: home) }
            let env = fault.environment(url, home: home)
            let state = home.appendingPathComponent("state/coclick")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            let planted = NetworkFaultTmuxTests.draftFile(home: home, url: url)
            try Data(#"{"user": "attacker@evil.example", "cobrowsing_url": "https://evil.example/login"}"#.utf8).write(to: planted)
            chmod(state.path, 0o777)

            let theirs = home.appendingPathComponent("theirs")
            try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)
            chmod(theirs.path, 0o755)
            let foreign = chown(theirs.path, 65534, 65534) == 0
            if !foreign {
                #expect(geteuid() != 0, "root could not chown")
                chmod(theirs.path, 0o777)
            }
            try FileManager.default.createDirectory(at: home.appendingPathComponent("cache"), withIntermediateDirectories: true)
            #expect(symlink(theirs.path, home.appendingPathComponent("cache/coclick").path) == 0)

            // Wide: the reasons name long paths.
            try await Pane.with(width: 250, height: 30, command: "exec \"$COCLICK\" --refresh 5", env: env) { t in
                let start = try await t.waitForScreen("the list", timeout: Self.patience) { NetworkFaultTmuxTests.isOK($0) && $0.contains("list cache not used") }
                #expect(start.contains(foreign ? "belongs to another user" : "can be written by group or others"), "\(start)")
                try await t.keys("n")
                let form = try await t.waitForScreen("the refusal", timeout: Self.patience) { $0.contains("Saved draft ignored") }
                #expect(Self.message(form).contains("can be written by group or others (mode 777)"), "\(Self.message(form))")
                #expect(!form.contains("attacker@evil.example") && !form.contains("evil.example/login"), "\(form)")
                try await t.keys("Escape")
                // Esc and q in one read are Alt-q: q goes once the list is back.
                try await t.waitForScreen("the list again", timeout: Self.patience) { !$0.contains("New meeting") }
                try await t.keys("q")
                try await poll("the dashboard quits", timeout: Self.patience) { try await !t.isRunning() }
            }
            var info = stat()
            #expect(stat(state.path, &info) == 0 && info.st_mode & 0o777 == 0o777, "the state folder was chmod-ed")
            #expect(stat(theirs.path, &info) == 0 && info.st_mode & 0o777 == (foreign ? 0o755 : 0o777), "the cache folder was chmod-ed")
            #expect(try FileManager.default.contentsOfDirectory(atPath: theirs.path).isEmpty, "written into")
            #expect(try FileManager.default.contentsOfDirectory(atPath: state.path) == [planted.lastPathComponent], "written into")
        }
    }
}
