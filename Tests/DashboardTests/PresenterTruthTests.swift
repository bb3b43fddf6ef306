import CoClickAPI
@testable import Dashboard
import Foundation
import TerminalText
import Testing

/// What a presenter sees is true: countdowns from status and time together,
/// the server's host and port, a theme's own error, and the invitation `i` copies.
@Suite("What a presenter sees is true")
struct PresenterTruthTests {
    // MARK: Countdowns

    @Test func aLiveMeetingWhoseStartIsAheadSaysWhenItStarts() {
        #expect(Countdown.text(status: .inProgress, startsAt: fixedNow.addingTimeInterval(190), now: fixedNow) == "starts in 3m")
        #expect(Countdown.text(status: .inProgress, startsAt: fixedNow.addingTimeInterval(-190), now: fixedNow) == "live 3m")
    }

    @Test func anUnknownStatusShowsItsNameAndNoCountdown() {
        for offset in [-600.0, -30, 30, 600] {
            #expect(Countdown.text(status: .other("on_hold"), startsAt: fixedNow.addingTimeInterval(offset), now: fixedNow) == "on_hold")
        }
        #expect(StatusWord.text(.inProgress) == "in progress")
        #expect(StatusWord.text(.scheduled) == "scheduled")
        #expect(StatusWord.text(.other("on_hold")) == "on_hold")
        #expect(StatusWord.text(.other("x\u{1b}[31m")) == "x\\x1b[31m")
        #expect(!Countdown.isWithinReminder(status: .other("soon"), startsAt: fixedNow.addingTimeInterval(60), now: fixedNow, minutes: 5))
    }

    // MARK: The server in the header

    @Test func hostAndPortAsPeopleTellServersApart() {
        func hp(_ s: String) -> String { APIEndpoint.hostAndPort(URL(string: s)!) }
        #expect(hp("http://127.0.0.1:8080/api/v1") == "127.0.0.1:8080")
        #expect(hp("https://api.example.com/api/v1") == "api.example.com")
        #expect(hp("https://api.example.com:443/api/v1") == "api.example.com")
        #expect(hp("https://api.example.com:8443/api/v1") == "api.example.com:8443")
        #expect(hp("http://localhost:80/") == "localhost")
        #expect(hp("http://[::1]:9000/api/v1") == "[::1]:9000")
    }

    // MARK: Themes

    @Test func aUserThemeWithAnErrorIsNamedByItsError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "[roles]\nheader = { bg = \"pink\" }\n".write(to: dir.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
        do {
            let c = ThemeCatalog.loadLazily(userDirectory: dir)
            let problem = try #require(c.problem(with: "mine"))
            #expect(problem.contains("unknown colour 'pink'"), "\(problem)")
            #expect(problem.contains("mine.toml"))
            #expect(!problem.contains("not found"))
            // Said once: not again among the other warnings.
            #expect(c.warnings(besides: "mine").isEmpty)
            #expect(c.warnings.count == 1)
            #expect(c.problem(with: "nope") == "theme 'nope' not found (have: default, light, high-contrast, mono)")
            #expect(c.problem(with: "light") == nil)
        }
    }

    // MARK: Invitation

    /// Tue 19 Jan 2027 09:00 UTC, an hour long.
    func invited(duration: Int? = 3600) -> Meeting {
        var m = detail(of: meeting(1))
        m.startsAt = APIDate(date: Date(timeIntervalSince1970: 1_800_349_200), offsetSeconds: 0)
        m.duration = duration
        m.user = "alice@example.com"
        return m
    }

    let paris = LocalZone.resolve(tz: "Europe/Paris")

    @Test func theTextSaysTheStartInTheProspectsWords() throws {
        let m = invited()
        let t = "{start}{end} {zone}|{prospect_url}|{site}|{user}"
        let text = try Invitation.text(template: t, meeting: m, zone: paris, now: fixedNow).get()
        #expect(text == "Tue 19 Jan, 10:00–11:00 CET|http://127.0.0.1/essai/room/\(m.id)|https://www.example.com|alice@example.com")
        // No duration: no end. Another year: the year.
        #expect(try Invitation.text(template: t, meeting: invited(duration: nil), zone: paris, now: fixedNow).get().hasPrefix("Tue 19 Jan, 10:00 CET|"))
        let nextYear = fixedNow.addingTimeInterval(-366 * 86_400)
        #expect(try Invitation.text(template: "{start}", meeting: m, zone: paris, now: nextYear).get() == "Tue 19 Jan 2027, 10:00")
        // A rule zone names itself by its abbreviation.
        let jst = LocalZone.resolve(tz: "JST-9")
        #expect(try Invitation.text(template: "{start}{end} {zone}", meeting: m, zone: jst, now: fixedNow).get() == "Tue 19 Jan, 18:00–19:00 JST")
        // Ending on another day says the day.
        #expect(try Invitation.text(template: "{end}", meeting: invited(duration: 15 * 3600), zone: paris, now: fixedNow).get() == "–Wed 20 Jan, 01:00")
        // The default template uses them all.
        let full = try Invitation.text(template: Invitation.defaultTemplate, meeting: m, zone: paris, now: fixedNow).get()
        #expect(full.contains("Tue 19 Jan, 10:00–11:00 CET"))
        #expect(full.contains(m.prospectRoomURL!))
        #expect(full.contains("https://www.example.com"))
        #expect(Invitation.problem(in: Invitation.defaultTemplate) == nil)
    }

    @Test func serverTextIsEscapedAndABadRoomURLRefused() {
        var m = invited()
        m.user = "eve\u{1B}]0;owned\u{07}@example.com"
        m.cobrowsingURL = "https://x/\u{1B}[2J"
        let text = (try? Invitation.text(template: "{user} {site} {}{nope} {", meeting: m, zone: paris, now: fixedNow).get()) ?? ""
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("eve\\x1b]0;owned\\x07@example.com"))
        // Braces that name nothing, or nothing known, stay as written.
        #expect(text.hasSuffix(" {}{nope} {"))
        m.prospectRoomURL = "https://x/room\u{1B}]52;c;AAAA\u{07}"
        #expect(Invitation.text(template: "{prospect_url}", meeting: m, zone: paris, now: fixedNow) == .failure(.controlCharacters("https://x/room\\x1b]52;c;AAAA\\x07")))
        m.prospectRoomURL = nil
        #expect(Invitation.text(template: "{prospect_url}", meeting: m, zone: paris, now: fixedNow) == .failure(.noProspectURL))
    }

    @Test func anUnknownPlaceholderIsAConfigError() {
        #expect(Invitation.problem(in: "Join {prospect_url} at {start}") == nil)
        #expect(Invitation.problem(in: "Join {room} at {start}")?.hasPrefix("unknown placeholder {room} (use {start}, {end}, {zone}, {prospect_url}, {site}, {user})") == true)
        #expect(throws: ConfigFile.ParseError.self) { try ConfigFile.parse("invitation = \"see {when}\"\n") }
        do {
            _ = try ConfigFile.parse("[profiles.work]\ninvitation = \"see {when}\"\n")
            Issue.record("a profile's bad template was taken")
        } catch {
            #expect("\(error)".contains("[profiles.work] 'invitation': unknown placeholder {when}"), "\(error)")
        }
        let c = try? ConfigFile.parse("invitation = \"\"\"\nHi {user}\n\"\"\"\n[profiles.work]\ninvitation = \"Yo {user}\"\n")
        #expect(c?.invitation == "Hi {user}\n")
        #expect(c.map { $0.applying($0.profiles["work"]!).invitation } == "Yo {user}")
    }

    func stateForInvitations(clipboard: ClipboardMode = .auto) -> AppState {
        var s = makeState(meetings: 2, clipboard: clipboard)
        s.zone = paris
        s.invitation = "{start}{end} {zone} {prospect_url}"
        return s
    }

    @Test func iOnTheListFetchesTheDetailThenCopiesTheInvitation() {
        var s = stateForInvitations()
        let m = s.meetings[0]
        #expect(press(&s, .char("i")) == [.fetchDetail(id: m.id, purpose: .invitation)])
        var d = detail(of: m)
        d.duration = 1800
        let fx = reduce(&s, .detailLoaded(d, purpose: .invitation))
        // fixedNow is Fri 15 Jan 2027 08:00 UTC; the meeting starts then, 09:00 in Paris.
        let text = "Fri 15 Jan, 09:00–09:30 CET http://127.0.0.1/essai/room/\(m.id)"
        #expect(fx == [.copy(text: text, label: "invitation for \(m.shortID)")])
        #expect(s.message?.text == "Copying the invitation…")
        _ = reduce(&s, .copyFinished(label: "invitation for \(m.shortID)", text: text, .confirmed(by: "tmux buffer")))
        #expect(s.message?.text == "Copied invitation for \(m.shortID) (tmux buffer)")
        // Known now: at once.
        #expect(press(&s, .char("i")) == [.copy(text: text, label: "invitation for \(m.shortID)")])
    }

    @Test func iOnTheDetailCopiesTheInvitation() {
        var s = stateForInvitations()
        let m = s.meetings[1]
        press(&s, .char("j"), .enter)
        #expect(s.screen == .detail)
        _ = reduce(&s, .detailLoaded(detail(of: m), purpose: .show))
        let fx = press(&s, .char("i"))
        #expect(fx == [.copy(text: "Fri 15 Jan, 09:10 CET http://127.0.0.1/essai/room/\(m.id)", label: "invitation for \(m.shortID)")])
    }

    @Test func invitationFailuresAreSaid() {
        var s = stateForInvitations()
        let m = s.meetings[0]
        press(&s, .char("i"))
        _ = reduce(&s, .detailFailed(id: m.id, error: .offline("connection refused"), purpose: .invitation))
        #expect(s.message?.isError == true)
        #expect(s.message?.text == "Could not copy the invitation: \(APIError.offline("connection refused").description)")
        var d = detail(of: m)
        d.prospectRoomURL = "http://x/\u{1B}[2J"
        #expect(reduce(&s, .detailLoaded(d, purpose: .invitation)).isEmpty)
        #expect(s.message?.text == "The prospect room URL holds control characters; no invitation: http://x/\\x1b[2J")
        // A failed copy of lines names what was lost, not the lines themselves.
        _ = reduce(&s, .copyFinished(label: "invitation for \(m.shortID)", text: "a\nb", .failed("xclip: exited 1")))
        #expect(s.message?.text == "Copy failed: invitation for \(m.shortID) (xclip: exited 1)")
        // Copying off: the command that prints it.
        var off = stateForInvitations(clipboard: .off)
        off.details[off.meetings[0].id] = detail(of: off.meetings[0])
        #expect(press(&off, .char("i")).isEmpty)
        #expect(off.message?.text.contains("meetings show \(off.meetings[0].shortID) --invitation") == true)
    }

    @Test func iIsBoundOnTheListAndTheDetailAndRemappable() {
        #expect(Keymap.standard.command(for: .char("i"), in: .list) == .copyInvitation)
        #expect(Keymap.standard.command(for: .char("i"), in: .detail) == .copyInvitation)
        #expect(Command.copyInvitation.configName == "copy_invitation")
        let remapped = KeyRemap([("copy_invitation", ["I"])]).apply()
        #expect(remapped.problems.isEmpty)
        #expect(remapped.keymap.command(for: .char("I"), in: .list) == .copyInvitation)
        #expect(Keymap.standard.helpSections().contains { $0.lines.contains { $0.summary == "copy the invitation text" } })
    }
}
