import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

@Suite("Create form")
struct FormTests {
    func openForm() -> AppState {
        var s = makeState(meetings: 2)
        press(&s, .char("n"))
        return s
    }

    func fillValid(_ s: inout AppState) {
        type(&s, "ada@example.com")
        press(&s, .tab)
        type(&s, "in 2h")
        press(&s, .tab)
        type(&s, "https://shop.example.com/")
    }

    @Test func fieldsFollowTheDocumentedOrder() {
        var s = openForm()
        var order: [FormField] = [s.form!.focus]
        for _ in 0..<10 { press(&s, .tab); order.append(s.form!.focus) }
        #expect(Array(order.prefix(7)) == [.user, .startsAt, .cobrowsingURL, .customData, .presenterIframe, .prospectIframe, .submit])
        press(&s, .backTab)
        #expect(s.form?.focus == .prospectIframe)
        press(&s, .up, .down, .down)
        #expect(s.form?.focus == .submit)
    }

    @Test func printableKeysTypeEvenListKeys() {
        var s = openForm()
        type(&s, "qnrys/t?jkgG")
        #expect(s.form?.user.text == "qnrys/t?jkgG")
        #expect(s.screen == .form)
    }

    @Test func editingKeys() {
        var s = openForm()
        type(&s, "abcd")
        press(&s, .left, .left, .backspace)
        #expect(s.form?.user.text == "acd")
        press(&s, .delete)
        #expect(s.form?.user.text == "ad")
        press(&s, .home)
        type(&s, "X")
        press(&s, .end)
        type(&s, "Y")
        #expect(s.form?.user.text == "XadY")
        press(&s, .ctrl("u"))
        #expect(s.form?.user.text == "")
    }

    @Test func enterMovesToTheNextFieldAndPressesTheButton() {
        var s = openForm()
        fillValid(&s)
        press(&s, .enter)
        #expect(s.form?.focus == .customData)
        press(&s, .enter, .enter, .enter)
        #expect(s.form?.focus == .submit)
        let fx = press(&s, .enter)
        guard case .create(let m)? = fx.first else { Issue.record("no create: \(fx)"); return }
        #expect(m.user == "ada@example.com")
        #expect(m.startsAt.date == fixedNow.addingTimeInterval(7200))
    }

    @Test func ctrlSSubmitsOnceWhileInFlight() {
        var s = openForm()
        fillValid(&s)
        let fx = press(&s, .ctrl("s"))
        #expect(fx.count == 1)
        #expect(s.form?.inFlight == true)
        #expect(press(&s, .ctrl("s")).isEmpty)
    }

    @Test func clientChecksBlockSubmitAndKeepText() {
        var s = openForm()
        type(&s, "not-an-email")
        press(&s, .tab)
        type(&s, "yesterday-ish")
        let fx = press(&s, .ctrl("s"))
        #expect(fx.isEmpty)
        #expect(s.form?.user.text == "not-an-email")
        #expect(s.form?.startsAt.text == "yesterday-ish")
        #expect(s.form?.submitAttempted == true)
        guard case .failure(let p)? = s.form?.build(now: fixedNow, zone: utc) else { Issue.record("should fail"); return }
        #expect(p.fields["user"] != nil)
        #expect(p.fields["starts_at"] != nil)
        #expect(p.fields["cobrowsing_url"] != nil)
    }

    @Test func pastDatesAreRefused() {
        var f = MeetingForm()
        f.user = TextField("a@example.com")
        f.cobrowsingURL = TextField("https://example.com")
        f.startsAt = TextField("2020-01-01 10:00")
        guard case .failure(let p) = f.build(now: fixedNow, zone: utc) else { Issue.record("accepted"); return }
        #expect(p.fields["starts_at"]?.first?.contains("past") == true)
    }

    @Test func cookiesNeedAllThreeKeys() {
        var s = openForm()
        fillValid(&s)
        press(&s, .function(2))
        #expect(s.form?.focus == .cookie(row: 0, column: .domain))
        type(&s, "example.com")
        press(&s, .tab)
        type(&s, "sid")
        #expect(press(&s, .ctrl("s")).isEmpty)
        guard case .failure(let p)? = s.form?.build(now: fixedNow, zone: utc) else { Issue.record("accepted"); return }
        #expect(p.fields["cobrowsing_cookies_data"] == ["row 1: value required"])
        // The refused submit put the cursor in the empty cell.
        #expect(s.form?.focus == .cookie(row: 0, column: .value))
        type(&s, "v")
        let fx = press(&s, .ctrl("s"))
        guard case .create(let m)? = fx.first else { Issue.record("no create"); return }
        #expect(m.cookies == [Cookie(domain: "example.com", name: "sid", value: "v")])
    }

    @Test func cookieRowsCanBeDeleted() {
        var s = openForm()
        press(&s, .function(2), .function(2))
        #expect(s.form?.cookies.count == 2)
        press(&s, .function(3))
        #expect(s.form?.cookies.count == 1)
        press(&s, .function(3))
        #expect(s.form?.cookies.isEmpty == true)
        #expect(s.form?.focus == .cobrowsingURL)
    }

    @Test func customDataMustBeAnObject() throws {
        var f = MeetingForm()
        f.customData = TextField("[1,2]")
        guard case .failure(let p) = f.customDataValue() else { Issue.record("array accepted"); return }
        #expect(p.message.contains("object"))
        f.customData = TextField("{\"a\": ")
        guard case .failure(let q) = f.customDataValue() else { Issue.record("bad JSON accepted"); return }
        #expect(q.message.contains("invalid JSON"))
        f.customData = TextField("{\"user_id\": 17}")
        #expect(try f.customDataValue().get() == ["user_id": .int(17)])
    }

    @Test func startsAtPreviewShowsTheExactTimestamp() throws {
        var f = MeetingForm()
        let paris = TimeZone(identifier: "Europe/Paris")!
        f.startsAt = TextField("2027-02-01 14:30")
        #expect(try f.startsAtPreview(now: fixedNow, zone: paris)?.get().text == "2027-02-01T14:30:00.000+01:00")
        f.startsAt = TextField("tomorrow 9:00")
        #expect(try f.startsAtPreview(now: fixedNow, zone: paris)?.get().text == "2027-01-16T09:00:00.000+01:00")
        f.startsAt = TextField("in 30m")
        #expect(try f.startsAtPreview(now: fixedNow, zone: utc)?.get().date == fixedNow.addingTimeInterval(1800))
        f.startsAt = TextField("2027-03-01T10:00:00-05:00")
        #expect(try f.startsAtPreview(now: fixedNow, zone: paris)?.get().text == "2027-03-01T10:00:00.000-05:00")
    }

    @Test func serverErrorsAreKeptPerFieldWithAllTheText() {
        var s = openForm()
        fillValid(&s)
        press(&s, .ctrl("s"))
        _ = reduce(&s, .createFailed(.validation(ValidationErrors(["user": ["User must exist"], "cobrowsing_url": ["Cobrowsing URL is not valid"]]))))
        #expect(s.form?.inFlight == false)
        #expect(s.form?.serverErrors["user"] == ["User must exist"])
        #expect(s.form?.user.text == "ada@example.com")
        #expect(s.form?.cobrowsingURL.text == "https://shop.example.com/")
        // Editing a field clears its server message only.
        press(&s, .backTab, .backTab)
        type(&s, "x")
        #expect(s.form?.serverErrors["user"] == nil)
        #expect(s.form?.serverErrors["cobrowsing_url"] != nil)
    }

    @Test func networkFailureKeepsTheDraft() {
        var s = openForm()
        fillValid(&s)
        press(&s, .ctrl("s"))
        _ = reduce(&s, .createFailed(.offline("connection refused")))
        #expect(s.form?.failure?.text.contains("connection refused") == true)
        #expect(s.form?.cobrowsingURL.text == "https://shop.example.com/")
        #expect(press(&s, .ctrl("s")).count == 1)
    }

    @Test func escKeepsTheDraftAndNRestoresIt() {
        var s = openForm()
        type(&s, "draft@example.com")
        press(&s, .escape)
        #expect(s.screen == .list)
        press(&s, .char("n"))
        #expect(s.screen == .form)
        #expect(s.form?.user.text == "draft@example.com")
    }

    @Test func f1OpensHelpInTheForm() {
        var s = openForm()
        press(&s, .function(1))
        #expect(s.showHelp)
    }

    @Test func successReturnsToTheListAndSelectsTheNewMeeting() {
        var s = openForm()
        fillValid(&s)
        press(&s, .ctrl("s"))
        let created = detail(of: meeting(77, minutes: 120, user: "ada@example.com"))
        s.pollRound = []; s.inFlight = []
        let fx = reduce(&s, .created(created))
        #expect(s.screen == .list)
        #expect(s.form == nil)
        #expect(fx.first == .deleteDraft && fx.contains(.fetchList(s.query)))
        // Shown at once where it sorts, before any page holds it.
        #expect(s.selectedMeeting?.id == created.id)
        // Page 1 ends before it: it stays, selected, and page 2 is asked for.
        let fx2 = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: (0..<20).map { meeting($0, minutes: Double($0)) }, page: 1, per: 20), company: nil, at: fixedNow))
        #expect(s.selectedMeeting?.id == created.id)
        #expect(fx2.contains(.fetchList(s.query(page: 2))))
        _ = reduce(&s, .listLoaded(query: s.query(page: 2), page: MeetingPage(meetings: [meeting(20, minutes: 100), created], page: 2, per: 20), company: nil, at: fixedNow))
        #expect(s.selectedMeeting?.id == created.id)
        #expect(s.meetings.filter { $0.id == created.id }.count == 1)
    }

    @Test func longFieldsAreFine() {
        var f = TextField()
        f.insert(String(repeating: "x", count: 10_000))
        f.home()
        f.insert("a")
        #expect(f.text.count == 10_001)
        #expect(f.cursor == 1)
    }
}
