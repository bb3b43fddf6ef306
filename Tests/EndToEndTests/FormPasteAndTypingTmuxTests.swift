import CoClickAPI
import CoClickSimulator
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The form takes what people paste and type, in the real dashboard in tmux
/// against a simulator over loopback: bracketed paste (`paste-buffer -p`),
/// custom data kept exactly through `c`, non-ASCII typed under `LC_ALL=C`,
/// Alt keys, and Ctrl-L.
@Suite("Form input in tmux", .serialized)
struct FormPasteAndTypingTmuxTests {
    static let patience: TimeInterval = 90
    static let customData = #"{"zeta":1,"big":12345678901234567890,"alpha":{"y":2,"x":1.5},"r":0.1000}"#

    func withSimulator(_ body: (Simulator, URL) async throws -> Void) async throws {
        try await withRunningSimulator(SimulatorOptions(), body)
    }

    /// The dashboard against `url`, its files under a fresh home; `env` goes last.
    /// `then`: shell run after the dashboard ends (by default the pane ends with it).
    func withDashboard(_ url: URL, env: [String: String] = [:], then: String? = nil, _ body: (Pane) async throws -> Void) async throws {
        let home = try makeTempDirectory()
        var environment = [
            "HOME": home.path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path,
            "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
            "LANG": "C.UTF-8",
            "COCLICK_API_URL": url.absoluteString,
            "COCLICK_SECRET_ID": Simulator.demoCredentials.secretID,
            "COCLICK_SECRET_KEY": Simulator.demoCredentials.secretKey,
        ]
        environment.merge(env) { $1 }
        let command = then.map { "\"$COCLICK\" --refresh 2" + $0 } ?? "exec \"$COCLICK\" --refresh 2"
        try await Pane.with(width: 100, height: 30, command: command, env: environment) { t in
            _ = try await t.waitForScreen("the list", timeout: Self.patience) { $0.contains("updated") && $0.contains("@example.com") }
            try await body(t)
        }
    }

    func client(_ url: URL) -> CoClickClient {
        CoClickClient(configuration: ClientConfiguration(baseURL: url, credentials: Simulator.demoCredentials))
    }

    /// `custom_data` of every meeting of `user`, as the server writes it (GET of each).
    func storedCustomData(_ url: URL, user: String) async throws -> [String] {
        let c = client(url)
        let found = try await c.allMeetings(MeetingQuery(userEmailContains: user, page: 1, per: 100))
        var out: [String] = []
        for m in found where m.user == user {
            let (_, body) = try await c.meetingResponse(id: m.id)
            if let raw = try RawJSON.parse(body)[MeetingField.customData.name] { out.append(raw.text(indent: 0)) }
        }
        return out
    }

    @Test func aPasteIsTextAndPrettyJSONStaysInCustomData() async throws {
        try await withSimulator { _, url in
            try await withDashboard(url) { t in
                try await t.keys("n")
                _ = try await t.waitForScreen("the form", timeout: Self.patience) { $0.contains("New meeting") }
                // A line break pasted into a one-line field neither submits nor moves on.
                try await t.paste("paste.one@example.com\nq")
                let one = try await t.waitForScreen("the pasted user", timeout: Self.patience) { $0.contains("paste.one@example.com q") }
                #expect(one.contains("line breaks and tabs became spaces"), "\(one)")
                #expect(one.contains("New meeting"))
                try await t.keys("C-w", "C-w")
                try await t.type("paste.one@example.com")
                try await t.keys("Tab")
                try await t.type("in 4h")
                try await t.keys("Tab")
                try await t.type("https://shop.example.com/")
                try await t.keys("Tab")
                try await t.paste("{\n  \"zeta\": 1,\n  \"big\": 12345678901234567890,\n  \"r\": 0.1000\n}\n")
                _ = try await t.waitForScreen("the pasted JSON in Custom data", timeout: Self.patience) {
                    $0.contains(#""r": 0.1000 }"#) && !$0.contains("Created meeting")
                }
                try await t.keys("C-s")
                let created = try await t.waitForScreen("the create", timeout: Self.patience) { $0.contains("Created meeting") }
                #expect(created.contains("paste.one@example.com"))
            }
            let stored = try await storedCustomData(url, user: "paste.one@example.com")
            #expect(stored == [#"{"zeta":1,"big":12345678901234567890,"r":0.1000}"#])
        }
    }

    @Test func duplicatingKeepsCustomDataExactly() async throws {
        try await withSimulator { _, url in
            var original = NewMeeting(user: "dup.source@example.com", startsAt: APIDate.inZone(Date().addingTimeInterval(7200), .current),
                                      cobrowsingURL: "https://shop.example.com/dup")
            original.customDataRaw = try RawJSON.parse(Self.customData)
            _ = try await client(url).createMeeting(original)
            try await withDashboard(url) { t in
                // The filter takes a paste too (its line break does not end it early).
                try await t.keys("/")
                try await t.paste("dup.source@example.com")
                try await t.keys("Enter")
                _ = try await t.waitForScreen("only that owner's meeting", timeout: Self.patience) { s in
                    let rows = s.split(separator: "\n").filter { $0.contains("@example.com") && $0.contains("scheduled") }
                    return rows.count == 1 && rows[0].contains("dup.source@example.com")
                }
                try await t.keys("c")
                let form = try await t.waitForScreen("the duplicate", timeout: Self.patience) { $0.contains("Duplicating meeting") }
                #expect(form.contains(#"{"zeta":1,"big":12345678901234567890,"alpha""#), "\(form)")
                try await t.type("in 5h")
                try await t.keys("C-s")
                _ = try await t.waitForScreen("the create", timeout: Self.patience) { $0.contains("Created meeting") }
            }
            let stored = try await storedCustomData(url, user: "dup.source@example.com")
            #expect(stored == [Self.customData, Self.customData])
        }
    }

    @Test func nonASCIITypedUnderTheCLocaleIsKeptWhole() async throws {
        try await withSimulator { sim, url in
            try await withDashboard(url, env: ["LANG": "C", "LC_ALL": "C"]) { t in
                try await t.keys("n")
                _ = try await t.waitForScreen("the form", timeout: Self.patience) { $0.contains("New meeting") }
                try await t.type("renée.dupont@example.com")
                // Drawn with an ASCII stand-in, kept whole.
                _ = try await t.waitForScreen("the typed user", timeout: Self.patience) { $0.contains(#"ren\u00e9e.dupont@example.com"#) }
                // Alt-b is word left, not Esc (cancel) then b.
                try await t.keys("M-b", "M-b", "M-b")
                try await t.type("X")
                _ = try await t.waitForScreen("the word moves", timeout: Self.patience) { $0.contains(#"ren\u00e9e.Xdupont@example.com"#) }
                try await t.keys("BSpace", "End", "Tab")
                try await t.type("in 3h")
                try await t.keys("Tab")
                try await t.type("https://shop.example.com/")
                try await t.keys("C-s")
                _ = try await t.waitForScreen("the create", timeout: Self.patience) { $0.contains("Created meeting") }
            }
            #expect(sim.meetings.contains { $0.user == "renée.dupont@example.com" }, "\(sim.meetings.compactMap(\.user))")
        }
    }

    /// Bracketed paste is off once the dashboard is gone, by `q` or by a
    /// signal (the C handler's restore sequence): a paste into the shell after
    /// it carries no markers.
    @Test(arguments: ["q", "SIGTERM"])
    func bracketedPasteIsOffAfterExit(_ how: String) async throws {
        try await withSimulator { _, url in
            let after = "; echo EXITED; cat -v > \"$DIR/after.txt\""
            try await withDashboard(url, then: after) { t in
                try await t.paste("in-app\n")
                if how == "q" { try await t.keys("q") } else { kill(try await t.coclickPID(), SIGTERM) }
                _ = try await t.waitForScreen("the shell", timeout: Self.patience) { $0.contains("EXITED") }
                try await t.paste("PASTED-AFTER\n")
                try await poll("cat to write the paste", timeout: Self.patience) { t.file("after.txt")?.contains("PASTED-AFTER") == true }
                let text = t.file("after.txt") ?? ""
                #expect(!text.contains("[200~") && !text.contains("[201~"), "\(text)")
            }
        }
    }

    @Test func ctrlLRepaintsWhatSomethingElseWroteOverTheScreen() async throws {
        try await withSimulator { _, url in
            try await withDashboard(url) { t in
                try await t.keys("n")
                _ = try await t.waitForScreen("the form", timeout: Self.patience) { $0.contains("New meeting") }
                // Something else writes to the terminal (a `wall`, a stray child).
                let tty = try await t.format("#{pane_tty}")
                let handle = try #require(FileHandle(forWritingAtPath: tty))
                handle.write(Data("\u{1b}[22;30HSTRAY-OUTPUT-XYZ".utf8))
                try handle.close()
                _ = try await t.waitForScreen("the stray text", timeout: Self.patience) { $0.contains("STRAY-OUTPUT-XYZ") }
                try await t.keys("C-l")
                // The whole repaint, not a capture taken between the clear and the form's lines.
                let clean = try await t.waitForScreen("the repaint", timeout: Self.patience) {
                    !$0.contains("STRAY-OUTPUT-XYZ") && $0.contains("New meeting") && $0.contains("User")
                }
                #expect(clean.contains("New meeting") && clean.contains("User"))
            }
        }
    }
}

extension Pane {
    /// Pastes `text` as a terminal does for a program that asked for
    /// bracketed paste (`paste-buffer -p`; line feeds sent as CR, as tmux does).
    func paste(_ text: String) async throws {
        try await tmux("set-buffer", "-b", "coclick-test", "--", text)
        try await tmux("paste-buffer", "-p", "-d", "-b", "coclick-test", "-t", session)
    }
}
