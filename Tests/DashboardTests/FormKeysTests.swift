import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

/// The form's keys as readline has them, cookie rows and the draft on keys
/// of their own (asked before anything typed is lost), pastes, and Ctrl-L.
@Suite("Form keys, paste and repaint")
struct FormKeysTests {
    func openForm() -> AppState {
        var s = makeState(meetings: 2)
        press(&s, .char("n"))
        return s
    }

    @Test func fieldEditingFollowsReadline() {
        var s = openForm()
        type(&s, "ada lovelace@example.com")
        press(&s, .ctrl("a"))
        #expect(s.form?.user.cursor == 0)
        press(&s, .ctrl("e"))
        #expect(s.form?.user.cursor == 24)
        // Alt-b/Alt-f go by words of letters and digits.
        press(&s, .alt("b"))
        #expect(s.form?.user.cursor == 21)
        press(&s, .alt("b"), .alt("b"))
        #expect(s.form?.user.cursor == 4)
        press(&s, .alt("f"))
        #expect(s.form?.user.cursor == 12)
        // Alt-d: to the end of the word.
        press(&s, .alt("d"))
        #expect(s.form?.user.text == "ada lovelace.com")
        // Ctrl-K: to the end; Ctrl-U: to the start.
        press(&s, .ctrl("k"))
        #expect(s.form?.user.text == "ada lovelace")
        press(&s, .left, .left, .left, .left)
        press(&s, .ctrl("u"))
        #expect(s.form?.user.text == "lace" && s.form?.user.cursor == 0)
        // Ctrl-D deletes the character under the cursor.
        press(&s, .ctrl("d"))
        #expect(s.form?.user.text == "ace")
        #expect(s.screen == .form)
    }

    @Test func ctrlWDeletesBackToTheSpaceBefore() {
        var s = openForm()
        type(&s, "see https://shop.example.com/x")
        press(&s, .ctrl("w"))
        #expect(s.form?.user.text == "see ")
        press(&s, .ctrl("w"))
        #expect(s.form?.user.text == "")
    }

    @Test func altKeysNeverCancelTheForm() {
        var s = openForm()
        type(&s, "ada@example.com")
        press(&s, .alt("b"), .alt("f"), .alt("x"))
        #expect(s.screen == .form)
        #expect(s.form?.user.text == "ada@example.com")
    }

    @Test func ctrlDNeverDeletesACookieRow() {
        var s = openForm()
        press(&s, .function(2))
        type(&s, "example.com")
        press(&s, .home, .ctrl("d"))
        #expect(s.form?.cookies.count == 1)
        #expect(s.form?.cookies[0].domain.text == "xample.com")
    }

    @Test func deletingACookieRowThatHoldsTextAsksFirst() {
        var s = openForm()
        press(&s, .function(2))
        type(&s, "example.com")
        press(&s, .function(3))
        #expect(s.form?.confirmation == .deleteCookieRow(0))
        #expect(s.form?.cookies.count == 1)
        // Any key but y keeps it, and does nothing else.
        press(&s, .char("n"))
        #expect(s.form?.confirmation == nil)
        #expect(s.form?.cookies[0].domain.text == "example.com")
        press(&s, .function(3), .escape)
        #expect(s.screen == .form && s.form?.cookies.count == 1)
        press(&s, .function(3), .char("y"))
        #expect(s.form?.cookies.isEmpty == true)
        #expect(s.form?.focus == .cobrowsingURL)
        // An empty row goes at once.
        press(&s, .function(2), .function(3))
        #expect(s.form?.cookies.isEmpty == true && s.form?.confirmation == nil)
    }

    @Test func aRefusedSubmitFocusesTheFirstMarkedField() {
        var s = openForm()
        type(&s, "ada@example.com")
        press(&s, .tab, .tab)
        type(&s, "not a url")
        press(&s, .tab, .tab, .tab, .tab)
        #expect(s.form?.focus == .submit)
        #expect(press(&s, .ctrl("s")).isEmpty)
        #expect(s.form?.failure == .fixMarkedFields)
        // starts_at (empty) comes before the URL.
        #expect(s.form?.focus == .startsAt)
        type(&s, "in 2h")
        #expect(press(&s, .ctrl("s")).isEmpty)
        #expect(s.form?.focus == .cobrowsingURL)
    }

    @Test func aKeptDraftIsDiscardedInOneKeyAfterAQuestion() {
        var s = openForm()
        type(&s, "ada@example.com")
        press(&s, .escape)
        #expect(s.draftOnDisk != nil)
        press(&s, .char("n"))
        #expect(s.form?.user.text == "ada@example.com")
        press(&s, .function(8))
        #expect(s.form?.confirmation == .discardDraft)
        press(&s, .char("n"))
        #expect(s.screen == .form && s.form?.user.text == "ada@example.com")
        press(&s, .function(8))
        let fx = press(&s, .char("y"))
        #expect(fx == [.deleteDraft])
        #expect(s.screen == .list)
        #expect(s.form?.isBlank != false)
        #expect(s.draftOnDisk == nil)
        #expect(s.message?.text == "Draft discarded")
    }

    @Test func aPasteIsTextInTheFocusedFieldNeverKeys() {
        var s = openForm()
        // Newlines, Esc and q in a paste: no submit, no cancel, no quit.
        let fx = paste(&s, "ada@example.com\n")
        #expect(fx.isEmpty)
        #expect(s.screen == .form && s.form?.focus == .user)
        #expect(s.form?.user.text == "ada@example.com ")
        #expect(s.message?.text.contains("line breaks and tabs became spaces") == true)
        press(&s, .ctrl("u"))
        paste(&s, "a\tb\u{1b}q")
        #expect(s.form?.user.text == "a bq" && s.screen == .form)
    }

    @Test func prettyPrintedJSONPastedIntoCustomDataStaysThere() throws {
        var s = openForm()
        type(&s, "ada@example.com")
        press(&s, .tab)
        type(&s, "in 2h")
        press(&s, .tab)
        type(&s, "https://shop.example.com/")
        press(&s, .tab)
        #expect(s.form?.focus == .customData)
        paste(&s, "{\r\n  \"zeta\": 1,\n  \"big\": 12345678901234567890,\n  \"r\": 0.1000\n}\n")
        #expect(s.form?.focus == .customData)
        #expect(s.form?.customData.text == "{   \"zeta\": 1,   \"big\": 12345678901234567890,   \"r\": 0.1000 } ")
        guard case .create(let m)? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        let body = String(decoding: m.jsonBody(), as: UTF8.self)
        #expect(body.contains(#""custom_data":{"zeta":1,"big":12345678901234567890,"r":0.1000}"#), "\(body)")
    }

    @Test func aPasteGoesIntoTheListFilter() {
        var s = makeState(meetings: 2)
        // Outside a text field a paste is nothing: its "q" does not quit.
        #expect(paste(&s, "q").isEmpty)
        press(&s, .char("/"))
        paste(&s, "alice@example.com\n")
        #expect(s.filterInput?.text == "alice@example.com")
        press(&s, .enter)
        #expect(s.userFilter == "alice@example.com")
    }

    @Test func ctrlLRepaintsOnEveryScreen() {
        var s = makeState(meetings: 2)
        #expect(press(&s, .ctrl("l")) == [.repaint])
        press(&s, .char("/"))
        #expect(press(&s, .ctrl("l")) == [.repaint])
        #expect(s.filterInput != nil)
        press(&s, .escape, .enter)
        #expect(s.screen == .detail)
        #expect(press(&s, .ctrl("l")) == [.repaint])
        press(&s, .escape, .char("n"))
        type(&s, "ada")
        #expect(press(&s, .ctrl("l")) == [.repaint])
        #expect(s.form?.user.text == "ada")
        press(&s, .function(1))
        #expect(press(&s, .ctrl("l")) == [.repaint])
    }

    @Test func lookingForACreateIsCtrlRAndItsTextsSaySo() {
        let s = openForm()
        #expect(s.keymap.command(for: .ctrl("r"), in: .form) == .lookForCreated)
        #expect(s.keymap.command(for: .ctrl("l"), in: .form) == .repaint)
        #expect(Reducer.mayExistText(s, nil).contains("Ctrl-R: look for it in the list"))
    }

    @Test func newKeysAreRemappable() {
        #expect(Key.parse("Alt-b") == .success(.alt("b")))
        #expect(Key.parse("M-d") == .success(.alt("d")))
        #expect(Key.parse("alt-+") == .success(.alt("+")))
        #expect((try? Key.parse("Alt-[").get()) == nil)
        let (map, problems) = KeyRemap([("add_cookie", ["Alt-+"]), ("delete_cookie", ["Alt--"]), ("repaint", ["F5"]),
                                        ("discard_draft", ["F9"]), ("clear_field", ["Ctrl-X"])]).apply()
        #expect(problems.isEmpty, "\(problems)")
        #expect(map.command(for: .alt("+"), in: .form) == .addCookie)
        #expect(map.command(for: .alt("-"), in: .form) == .deleteCookie)
        #expect(map.command(for: .function(5), in: .list) == .repaint)
        #expect(map.command(for: .function(9), in: .form) == .discardDraft)
        #expect(map.command(for: .ctrl("x"), in: .form) == .deleteToStart)
    }
}

@Suite("Where a refused submit puts the cursor")
struct FirstMarkedFieldTests {
    @Test func theFirstEmptyCookieCellOfAMarkedRow() {
        var f = MeetingForm()
        f.addCookieRow()
        f.addCookieRow()
        f.focus = .cookie(row: 0, column: .domain)
        f.editFocused { $0.insert("example.com") }
        f.focus = .cookie(row: 0, column: .name)
        f.editFocused { $0.insert("sid") }
        f.focus = .cookie(row: 0, column: .value)
        f.editFocused { $0.insert("v") }
        let cookies = MeetingField.cookies.name
        #expect(f.firstMarkedField([cookies: ["row 2: domain, name, value required"]]) == .cookie(row: 1, column: .domain))
        #expect(f.firstMarkedField([MeetingField.customData.name: ["x"], cookies: ["x"]]) == .cookie(row: 1, column: .domain))
        #expect(f.firstMarkedField([MeetingField.user.name: ["x"], cookies: ["x"]]) == .user)
        #expect(f.firstMarkedField([:]) == nil)
    }
}
