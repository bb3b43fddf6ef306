import CoClickAPI
import Foundation
import Testing
@testable import Dashboard

/// The reducer decides when the draft is written (effects), and hears back
/// (actions): the runtime never changes the state itself.
@Suite("Keeping the draft")
struct DraftKeepingTests {
    func typedForm() -> AppState {
        var s = makeState(meetings: 1)
        press(&s, .char("n"))
        type(&s, "ada@example.com")
        return s
    }

    @Test func aBatchWritesTheChangedDraftOnce() {
        var s = typedForm()
        let fx = reduce(&s, .settled)
        #expect(fx == [.saveDraft(s.form!.draft)])
        #expect(reduce(&s, .settled).isEmpty, "nothing changed since")
        type(&s, "x")
        guard case .saveDraft(let d)? = reduce(&s, .settled).first else { Issue.record("no save"); return }
        #expect(d.user == "ada@example.comx")
    }

    @Test func aBlankFormIsNeverWritten() {
        var s = makeState()
        press(&s, .char("n"))
        #expect(reduce(&s, .settled).isEmpty)
    }

    @Test func aFailedWriteIsSaidOnceAndRetried() {
        var s = typedForm()
        _ = reduce(&s, .settled)
        _ = reduce(&s, .draftStoreFailed("not saved: disk full"))
        #expect(s.message?.isError == true)
        #expect(s.message?.text.contains("disk full") == true)
        s.message = nil
        // The next batch tries again; a second failure is not said again.
        #expect(reduce(&s, .settled).count == 1)
        _ = reduce(&s, .draftStoreFailed("not saved: disk full"))
        #expect(s.message == nil)
        // Once a write works, a later failure is news again.
        _ = reduce(&s, .settled)
        _ = reduce(&s, .draftSaved(s.form!.draft))
        #expect(!s.draftSaveFailing)
        _ = reduce(&s, .draftStoreFailed("not saved: read-only"))
        #expect(s.message?.text.contains("read-only") == true)
    }

    @Test func quittingWithAKeptFormWritesItFirst() {
        var s = typedForm()
        press(&s, .escape)
        s.form?.user = TextField("grace@example.com")
        let fx = press(&s, .char("q"))
        #expect(fx.count == 2)
        #expect(fx.last == .quit)
        guard case .saveDraft(let d)? = fx.first else { Issue.record("no save before quit: \(fx)"); return }
        #expect(d.user == "grace@example.com")
    }

    @Test func aCreateThatWentThroughForgetsTheDraft() {
        var s = typedForm()
        _ = reduce(&s, .settled)
        #expect(s.draftOnDisk != nil)
        let fx = reduce(&s, .created(detail(of: meeting(3))))
        #expect(fx.first == .deleteDraft)
        #expect(s.draftOnDisk == nil)
        #expect(reduce(&s, .settled).isEmpty)
    }

    @Test func aLoadedDraftIsNotWrittenBack() {
        var s = makeState()
        press(&s, .char("n"))
        var d = FormDraft()
        d.user = "old@example.com"
        _ = reduce(&s, .draftLoaded(d))
        #expect(s.form?.user.text == "old@example.com")
        #expect(reduce(&s, .settled).isEmpty)
    }

    @Test func aStartWarningIsAnErrorMessage() {
        var s = makeState()
        _ = reduce(&s, .warning("theme 'nope' not found"))
        #expect(s.message?.isError == true)
        #expect(s.message?.text == "theme 'nope' not found")
        #expect(s.message?.expires == s.now.addingTimeInterval(10))
    }
}
