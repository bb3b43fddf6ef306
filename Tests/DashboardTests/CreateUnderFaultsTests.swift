import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

/// Issue 4 part 4: creating a meeting when the network misbehaves.
@Suite("Creating under faults")
struct CreateUnderFaultsTests {
    func filledForm() -> AppState {
        var s = makeState(meetings: 2)
        press(&s, .char("n"))
        type(&s, "ada@example.com")
        press(&s, .tab)
        type(&s, "in 2h")
        press(&s, .tab)
        type(&s, "https://shop.example.com/")
        press(&s, .function(2))
        type(&s, "shop.example.com")
        press(&s, .tab)
        type(&s, "sid")
        press(&s, .tab)
        type(&s, "s3cret")
        press(&s, .tab)
        type(&s, #"{"crm": 7}"#)
        press(&s, .tab)
        type(&s, "https://www.youtube.com/embed/a")
        press(&s, .tab)
        type(&s, "https://www.youtube.com/embed/b")
        return s
    }

    func expectAllFieldsKept(_ s: AppState, sourceLocation: SourceLocation = #_sourceLocation) {
        let f = s.form
        #expect(f?.user.text == "ada@example.com", sourceLocation: sourceLocation)
        #expect(f?.startsAt.text == "in 2h", sourceLocation: sourceLocation)
        #expect(f?.cobrowsingURL.text == "https://shop.example.com/", sourceLocation: sourceLocation)
        #expect(f?.cookies.first?.domain.text == "shop.example.com", sourceLocation: sourceLocation)
        #expect(f?.cookies.first?.name.text == "sid", sourceLocation: sourceLocation)
        #expect(f?.cookies.first?.value.text == "s3cret", sourceLocation: sourceLocation)
        #expect(f?.customData.text == #"{"crm": 7}"#, sourceLocation: sourceLocation)
        #expect(f?.presenterIframe.text == "https://www.youtube.com/embed/a", sourceLocation: sourceLocation)
        #expect(f?.prospectIframe.text == "https://www.youtube.com/embed/b", sourceLocation: sourceLocation)
    }

    @Test func noDoubleSubmitWhileInFlight() {
        var s = filledForm()
        let first = press(&s, .ctrl("s"))
        #expect(first.count == 1)
        guard case .create? = first.first else { Issue.record("no create: \(first)"); return }
        #expect(press(&s, .ctrl("s")).isEmpty)
        #expect(s.message?.text.hasPrefix("creating…") == true)
        // Enter on the button, Space on the button, Ctrl-R: nothing is sent either.
        while s.form?.focus != .submit { press(&s, .tab) }
        #expect(press(&s, .enter).isEmpty)
        #expect(press(&s, .char(" ")).isEmpty)
        #expect(press(&s, .ctrl("r")).isEmpty)
        // Leaving and coming back does not re-arm the button.
        press(&s, .escape)
        #expect(press(&s, .char("n")).isEmpty)
        #expect(s.form?.inFlight == true)
        #expect(press(&s, .ctrl("s")).isEmpty)
    }

    @Test func aTimeoutKeepsEveryFieldAndSaysTheMeetingMayExist() {
        var s = filledForm()
        press(&s, .ctrl("s"))
        _ = reduce(&s, .createFailed(.unconfirmed(.timeout)))
        expectAllFieldsKept(s)
        #expect(s.form?.inFlight == false)
        #expect(s.form?.outcomeUnknown == true)
        let text = s.form?.failure?.text ?? ""
        #expect(text.contains("The server did not answer: the meeting may exist"))
        #expect(text.contains("Ctrl-R: look for it in the list · Ctrl-S: submit again"))
        // Submitting again is allowed (the user chose to).
        #expect(press(&s, .ctrl("s")).count == 1)
    }

    @Test func aSentCreateMayHaveSucceededButAnUnsentOneDidNot() {
        var s = filledForm()
        press(&s, .ctrl("s"))
        _ = reduce(&s, .createFailed(.unconfirmed(.offline("connection lost"))))
        #expect(s.form?.outcomeUnknown == true)
        press(&s, .ctrl("s"))
        _ = reduce(&s, .createFailed(.offline("connection refused")))
        #expect(s.form?.outcomeUnknown == false)
        #expect(s.form?.failure == .message("Not created: " + APIError.offline("connection refused").description))
        // A timeout before the request went out (e.g. while authenticating): not created.
        press(&s, .ctrl("s"))
        _ = reduce(&s, .createFailed(.timeout))
        #expect(s.form?.outcomeUnknown == false)
        #expect(s.form?.failure?.text.hasPrefix("Not created: ") == true)
        press(&s, .ctrl("s"))
        _ = reduce(&s, .createFailed(.server(status: 500)))
        expectAllFieldsKept(s)
        #expect(s.form?.failure?.text.contains("500") == true)
    }

    @Test func lookingFindsTheMeetingAndShowsIt() {
        var s = filledForm()
        let sent = press(&s, .ctrl("s"))
        guard case .create(let new)? = sent.first else { Issue.record("no create"); return }
        _ = reduce(&s, .createFailed(.unconfirmed(.timeout)))
        // Later, "in 2h" would mean another time: the look uses what was sent.
        _ = reduce(&s, .tick(fixedNow.addingTimeInterval(600)))
        let fx = press(&s, .ctrl("r"))
        let lookup = MeetingLookup(user: "ada@example.com", startsAt: new.startsAt.date)
        #expect(fx == [.lookFor(lookup)])
        #expect(lookup.query().startsFrom == new.startsAt.date.addingTimeInterval(-60))
        #expect(lookup.query().userEmailContains == "ada@example.com")
        #expect(press(&s, .ctrl("r")).isEmpty, "one look at a time")
        #expect(press(&s, .ctrl("s")).isEmpty, "no submit while looking")
        var found = meeting(42, user: "ADA@example.com")
        found.startsAt = APIDate(date: new.startsAt.date, offsetSeconds: 7200)
        #expect(lookup.match(in: [meeting(1), found])?.id == found.id)
        let after = reduce(&s, .lookupFinished(lookup, found: found))
        #expect(s.form == nil)
        #expect(s.screen == .list)
        #expect(after.contains(.deleteDraft))
        #expect(s.message?.text.contains("the create went through") == true)
    }

    @Test func lookingFindsNothingAndSaysSo() {
        var s = filledForm()
        press(&s, .ctrl("s"))
        _ = reduce(&s, .createFailed(.unconfirmed(.timeout)))
        guard case .lookFor(let lookup)? = press(&s, .ctrl("r")).first else { Issue.record("no look"); return }
        _ = reduce(&s, .lookupFinished(lookup, found: nil))
        expectAllFieldsKept(s)
        #expect(s.form?.outcomeUnknown == false)
        #expect(s.form?.notice?.contains("it was not created") == true)
        #expect(press(&s, .ctrl("s")).count == 1)
    }

    @Test func aFailedLookSaysWhyAndCanBeRepeated() {
        var s = filledForm()
        press(&s, .ctrl("s"))
        _ = reduce(&s, .createFailed(.unconfirmed(.timeout)))
        guard case .lookFor(let lookup)? = press(&s, .ctrl("r")).first else { Issue.record("no look"); return }
        _ = reduce(&s, .lookupFailed(lookup, .timeout))
        #expect(s.form?.notice?.contains("Could not look for it") == true)
        #expect(s.form?.outcomeUnknown == true)
        #expect(press(&s, .ctrl("r")) == [.lookFor(lookup)])
    }

    @Test func escSavesTheDraftAndABlankFormDoesNot() {
        var s = filledForm()
        let fx = press(&s, .escape)
        guard case .saveDraft(let d)? = fx.first else { Issue.record("no save: \(fx)"); return }
        #expect(d.user == "ada@example.com" && d.startsAt == "in 2h" && d.cobrowsingURL == "https://shop.example.com/")
        #expect(d.cookies == [FormDraft.CookieDraft(domain: "shop.example.com", name: "sid")], "cookie values never reach the disk")
        #expect(d.customData == #"{"crm": 7}"#)
        #expect(d.createOutcomeUnknown == false)
        // Back in the same process: the draft in memory, values and all; no file read.
        #expect(press(&s, .char("n")).isEmpty)
        expectAllFieldsKept(s)

        var blank = makeState()
        #expect(press(&blank, .char("n")) == [.loadDraft])
        #expect(press(&blank, .escape) == [.deleteDraft])
    }

    @Test func nInANewProcessLoadsTheDraftFromDisk() {
        var earlier = filledForm()
        press(&earlier, .ctrl("s"))
        _ = reduce(&earlier, .createFailed(.unconfirmed(.timeout)))
        guard case .saveDraft(let d)? = press(&earlier, .escape).first else { Issue.record("no save"); return }
        #expect(d.createOutcomeUnknown && d.sentUser == "ada@example.com" && d.sentStartsAt != nil)

        var s = makeState(meetings: 1)
        #expect(press(&s, .char("n")) == [.loadDraft])
        _ = reduce(&s, .draftLoaded(d))
        #expect(s.form?.user.text == "ada@example.com")
        #expect(s.form?.startsAt.text == "in 2h")
        #expect(s.form?.cookies.first?.name.text == "sid")
        #expect(s.form?.cookies.first?.value.text == "")
        #expect(s.message?.text.contains("cookie values are not saved") == true)
        // It still knows the last create may have gone through, and what to look for.
        #expect(s.form?.failure?.text.contains("may exist") == true)
        guard case .lookFor(let l)? = press(&s, .ctrl("r")).first else { Issue.record("no look"); return }
        #expect(l.user == "ada@example.com")
    }

    @Test func aDraftNeverOverwritesTyping() {
        var s = makeState()
        press(&s, .char("n"))
        type(&s, "typed@example.com")
        var d = FormDraft()
        d.user = "old@example.com"
        _ = reduce(&s, .draftLoaded(d))
        #expect(s.form?.user.text == "typed@example.com")
    }

    @Test func anUnreadableDraftIsAMessage() {
        var s = makeState()
        press(&s, .char("n"))
        _ = reduce(&s, .draftUnreadable("/x/draft.json is not a valid draft"))
        #expect(s.screen == .form)
        #expect(s.form?.isBlank == true)
        #expect(s.message?.isError == true)
        #expect(s.message?.text.hasPrefix("Saved draft ignored") == true)
    }

    @Test func successDeletesTheDraft() {
        var s = filledForm()
        press(&s, .ctrl("s"))
        let fx = reduce(&s, .created(detail(of: meeting(1))))
        #expect(fx.first == .deleteDraft)
        #expect(s.form == nil)
    }

    @Test func aFailureWhileOnTheListIsNotMissed() {
        var s = filledForm()
        press(&s, .ctrl("s"))
        press(&s, .escape)
        _ = reduce(&s, .createFailed(.unconfirmed(.timeout)))
        #expect(s.message?.isError == true)
        press(&s, .char("n"))
        #expect(s.form?.failure?.text.contains("may exist") == true)
    }
}
