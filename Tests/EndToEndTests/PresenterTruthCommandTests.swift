import CoClickAPI
import CoClickSimulator
import Dashboard
import Foundation
import TerminalText
import Testing

/// The commands tell the same truth as the dashboard: the invitation, the
/// zone from `TZ`, and a `--theme` that cannot be used.
@Suite("What the commands say is true", .serialized)
struct PresenterTruthCommandTests {
    func withSimulator(_ body: (Simulator, [String: String]) async throws -> Void) async throws {
        try await CommandTests().withSimulator(SimulatorOptions(), body)
    }

    /// A config folder of its own, with `files` (path under it -> text).
    func configHome(_ files: [String: String]) throws -> URL {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-truth-\(UUID().uuidString)")
        for (path, text) in files {
            let url = home.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return home
    }

    @Test func meetingsShowInvitationPrintsTheTemplateFilledIn() async throws {
        try await withSimulator { sim, env in
            let id = try #require(sim.meetings.first?.id)
            // The detail as the server sends it: the invitation is made from it.
            let shown = try await runCoclick(["meetings", "show", id, "--json"], env: env)
            let m = try JSONDecoder().decode(Meeting.self, from: Data(shown.stdout.utf8))
            #expect(m.prospectRoomURL != nil)
            var env = env
            env["TZ"] = "Europe/Paris"
            let r = try await runCoclick(["meetings", "show", m.id, "--invitation"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            let expected = try Invitation.text(template: Invitation.defaultTemplate, meeting: m, zone: LocalZone.resolve(tz: "Europe/Paris"), now: Date()).get()
            #expect(r.stdout == expected + "\n", "\(r.stdout)")
            #expect(r.stdout.contains(m.prospectRoomURL ?? "-"))

            // The config's template, a profile's over it; an unknown placeholder is a usage error said at once.
            let home = try configHome(["coclick/config.toml": """
                invitation = "Join me {start}{end} {zone}: {prospect_url}"
                [profiles.short]
                invitation = "{prospect_url}"
                """])
            defer { try? FileManager.default.removeItem(at: home) }
            env["XDG_CONFIG_HOME"] = home.path
            let mine = try await runCoclick(["meetings", "show", m.id, "--invitation"], env: env)
            #expect(mine.status == 0, "\(mine.stderr)")
            #expect(mine.stdout.hasPrefix("Join me "), "\(mine.stdout)")
            #expect(mine.stdout.hasSuffix(": \(m.prospectRoomURL ?? "-")\n"))
            let short = try await runCoclick(["meetings", "show", m.id, "--invitation", "--profile", "short"], env: env)
            #expect(short.stdout == (m.prospectRoomURL ?? "-") + "\n")

            let bad = try configHome(["coclick/config.toml": "invitation = \"at {when}\"\n"])
            defer { try? FileManager.default.removeItem(at: bad) }
            env["XDG_CONFIG_HOME"] = bad.path
            let refused = try await runCoclick(["meetings", "show", m.id, "--invitation"], env: env)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("'invitation': unknown placeholder {when}"), "\(refused.stderr)")
        }
    }

    @Test func theListsZoneIsTheOneTZSays() async throws {
        try await withSimulator { _, env in
            for (tz, shown) in [("JST-9", "STARTS (JST (UTC+09:00))"), (":Asia/Tokyo", "STARTS (Asia/Tokyo (UTC+09:00))"),
                                ("Foo/Bar", "STARTS (TZ 'Foo/Bar' unknown · UTC)")] {
                var env = env
                env["TZ"] = tz
                let r = try await runCoclick(["meetings", "list"], env: env)
                #expect(r.status == 0, "\(r.stderr)")
                #expect(r.stdout.contains(shown), "TZ=\(tz): \(r.stdout.prefix(200))")
            }
            var env = env
            env["TZ"] = "Foo/Bar"
            let next = try await runCoclick(["next"], env: env)
            #expect(next.stderr.contains("TZ 'Foo/Bar' unknown: times are UTC"), "\(next.stderr)")
        }
    }

    @Test func themeFlagOnACommandThatDoesNotDrawIsChecked() async throws {
        try await withSimulator { _, env in
            let r = try await runCoclick(["meetings", "list", "--theme", "nope"], env: env)
            #expect(r.status == 2)
            #expect(r.stderr.contains("--theme: theme 'nope' not found (have: default, light, high-contrast, mono)"), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(try await runCoclick(["meetings", "list", "--theme", "mono"], env: env).status == 0)

            // A user theme with an error is named by its error.
            let home = try configHome(["coclick/themes/mine.toml": "[roles]\nheader = { bg = \"pink\" }\n"])
            defer { try? FileManager.default.removeItem(at: home) }
            var env = env
            env["XDG_CONFIG_HOME"] = home.path
            let mine = try await runCoclick(["next", "--theme", "mine"], env: env)
            #expect(mine.status == 2)
            #expect(mine.stderr.contains("unknown colour 'pink'") && mine.stderr.contains("mine.toml"), "\(mine.stderr)")
            #expect(!mine.stderr.contains("not found"))
        }
    }
}
