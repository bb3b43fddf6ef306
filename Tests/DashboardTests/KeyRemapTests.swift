import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

@Suite("[keys] remap")
struct KeyRemapTests {
    func state(_ keymap: Keymap, meetings: Int = 3) -> AppState {
        var s = AppState(settings: DashboardSettings(userThemeDirectory: nil, keymap: keymap),
                         themeNames: ["default"], now: fixedNow, timeZone: utc, width: 80, height: 24)
        let page = MeetingPage(meetings: (0..<meetings).map { meeting($0, minutes: Double($0 * 10)) }, page: 1, per: 20)
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: page, company: "Acme", at: fixedNow))
        return s
    }

    @Test func keysAreReadAsPeopleWriteThem() throws {
        func k(_ t: String) -> Key? { try? Key.parse(t).get() }
        #expect(k("x") == .char("x"))
        #expect(k("X") == .char("X"))
        #expect(k("?") == .char("?"))
        #expect(k("Space") == .char(" "))
        #expect(k(" ") == .char(" "))
        #expect(k("Enter") == .enter)
        #expect(k("esc") == .escape)
        #expect(k("Shift-Tab") == .backTab)
        #expect(k("PgDn") == .pageDown)
        #expect(k("up") == .up)
        #expect(k("↓") == .down)
        #expect(k("F5") == .function(5))
        #expect(k("Ctrl-R") == .ctrl("r"))
        #expect(k("C-r") == .ctrl("r"))
        #expect(k("ctrl+r") == .ctrl("r"))
        #expect(k("^R") == .ctrl("r"))
        // Spaces and tabs around a name are not part of it; a line break is no key.
        #expect(k(" Enter\t") == .enter)
        #expect(k("\tx ") == .char("x"))
        #expect(k("\n") == nil)
        // Each key written as the help shows it reads back as that key.
        for b in Keymap.standard.bindings.values.flatMap({ $0 }) {
            for key in b.keys { #expect(k(key.description) == key, "\(key.description)") }
        }
    }

    @Test func unreadableKeysSayWhy() {
        func why(_ t: String) -> String {
            if case .failure(let e) = Key.parse(t) { return e.message }
            return "parsed"
        }
        #expect(why("Ctrl-C").contains("interrupts"))
        #expect(why("Ctrl-Z").contains("suspends"))
        #expect(why("Ctrl-I").contains("Tab"))
        #expect(why("F99").contains("F1 to F24"))
        #expect(why("").contains("empty"))
        #expect(why("banana").contains("not a key"))
    }

    @Test func everyActionHasAConfigName() {
        for c in Command.allCases {
            #expect(Command(configName: c.configName) == c)
            #expect(c.configName == c.configName.lowercased())
        }
        #expect(Command.copyProspect.configName == "copy_prospect")
        #expect(Command.quit.configName == "quit")
        #expect(Command(configName: "new-meeting") == .newMeeting)
        #expect(Command(configName: " New-Meeting\t") == .newMeeting)
        #expect(Command(configName: "new\nmeeting") == nil)
    }

    @Test func quitOnXAndCopyProspectOnC() {
        let r = KeyRemap([("quit", ["x"]), ("copy_prospect", ["c"])]).apply()
        // `c` is free in the standard keys unless another action took it.
        let cTaken = Keymap.standard.command(for: .char("c"), in: .list)
        if cTaken == nil || cTaken == .copyProspect {
            #expect(r.problems.isEmpty, "\(r.problems)")
            #expect(r.keymap.command(for: .char("c"), in: .list) == .copyProspect)
            #expect(r.keymap.command(for: .char("c"), in: .detail) == .copyProspect)
            #expect(r.keymap.command(for: .char("y"), in: .list) == nil)
        } else {
            #expect(r.problems.contains { $0.contains("copy_prospect") && $0.contains("already") })
        }
        #expect(r.keymap.command(for: .char("x"), in: .list) == .quit)
        #expect(r.keymap.command(for: .char("q"), in: .list) == nil)
        // Detail's q is `back`, a different action: untouched.
        #expect(r.keymap.command(for: .char("q"), in: .detail) == .back)

        var s = state(r.keymap)
        #expect(press(&s, .char("q")).isEmpty)
        #expect(press(&s, .char("x")) == [.quit])
    }

    @Test func helpAndFooterShowTheKeysAsConfigured() {
        let r = KeyRemap([("quit", ["x"]), ("new_meeting", ["a", "F2"])]).apply()
        #expect(r.problems.isEmpty)
        let help = HelpView.lines(r.keymap).map { $0.map(\.text).joined() }
        #expect(help.contains { $0.contains("x") && $0.hasSuffix("quit") })
        #expect(!help.contains { $0.hasPrefix("  q ") && $0.hasSuffix("quit") })
        #expect(help.contains { $0.contains("a F2") && $0.hasSuffix("new meeting") })
        #expect(r.keymap.keysText(.newMeeting, in: .list) == "a/F2")
    }

    @Test func aConflictIsReportedAndThoseDefaultsStay() {
        let r = KeyRemap([("quit", ["j"]), ("refresh", ["R"])]).apply()
        #expect(r.problems.count == 1)
        let p = r.problems.first ?? ""
        #expect(p.contains("quit") && p.contains("j is already move_down on the list screen") && p.contains("the default q stays"), "\(p)")
        #expect(r.keymap.command(for: .char("q"), in: .list) == .quit)
        #expect(r.keymap.command(for: .char("j"), in: .list) == .moveDown)
        // The entry without a conflict still applies.
        #expect(r.keymap.command(for: .char("R"), in: .list) == .refresh)
    }

    @Test func twoActionsOnOneKeyKeepTheFirst() {
        let r = KeyRemap([("quit", ["x"]), ("refresh", ["x"])]).apply()
        #expect(r.keymap.command(for: .char("x"), in: .list) == .quit)
        #expect(r.keymap.command(for: .char("r"), in: .list) == .refresh)
        #expect(r.problems.count == 1 && r.problems[0].contains("refresh"))
    }

    @Test func swappingTwoKeysWorks() {
        let r = KeyRemap([("refresh", ["t"]), ("next_theme", ["r"])]).apply()
        #expect(r.problems.isEmpty, "\(r.problems)")
        #expect(r.keymap.command(for: .char("t"), in: .list) == .refresh)
        #expect(r.keymap.command(for: .char("r"), in: .list) == .nextTheme)
    }

    @Test func unknownActionsAndBadKeysAreReported() {
        let r = KeyRemap([("launch_rockets", ["l"]), ("quit", ["Ctrl-C"])]).apply()
        #expect(r.problems.count == 2)
        #expect(r.problems[0].contains("launch_rockets: no such action"))
        #expect(r.problems[0].contains("copy_prospect"))
        #expect(r.problems[1].contains("Ctrl-C interrupts coclick") && r.problems[1].contains("the default q stays"))
        #expect(r.keymap == Keymap.standard)
    }

    @Test func theFormKeepsPrintableKeysForTyping() {
        // help on `h`: on the list and detail, not in the form (F1 stays there).
        let r = KeyRemap([("help", ["h"]), ("toggle_history", ["H"])]).apply()
        #expect(r.problems.isEmpty, "\(r.problems)")
        #expect(r.keymap.command(for: .char("h"), in: .list) == .help)
        #expect(r.keymap.command(for: .function(1), in: .form) == .help)
        #expect(r.keymap.command(for: .char("h"), in: .form) == nil)
        // A form-only action on a printable key would stop that letter being typed.
        let bad = KeyRemap([("submit", ["s"])]).apply()
        #expect(bad.problems.count == 1 && bad.problems[0].contains("types text in the form"))
        #expect(bad.keymap.command(for: .ctrl("s"), in: .form) == .submit)
        let ok = KeyRemap([("submit", ["Ctrl-G"])]).apply()
        #expect(ok.problems.isEmpty)
        #expect(ok.keymap.command(for: .ctrl("g"), in: .form) == .submit)
    }

    @Test func theHelpOverlayListsTheProblems() {
        var s = state(Keymap.standard)
        s.startupProblems = ["config file: [keys] launch_rockets: no such action (actions: quit)"]
        let help = s.helpLines.map { $0.map(\.text).joined() }
        #expect(help.first?.contains("Configuration problems") == true)
        #expect(help.contains { $0.contains("launch_rockets") })
    }
}
