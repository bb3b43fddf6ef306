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

    /// Draft writes are answered after the keys that asked for them (the
    /// runtime writes off the main thread): a draft put aside while its create
    /// runs, then removed by the create that went through, is not said to be
    /// kept, nor taken to be on disk, when its save is answered afterwards.
    @Test func aSaveAnsweredAfterTheDraftWasRemovedSaysNothing() {
        var s = CreateUnderFaultsTests().filledForm()
        guard case .create? = press(&s, .ctrl("s")).first else { Issue.record("no create"); return }
        let aside = press(&s, .escape)
        guard case .saveDraft(let d)? = aside.first else { Issue.record("no save: \(aside)"); return }
        #expect(s.draftWhereaboutsPending)
        #expect(reduce(&s, .created(meeting(2, user: "ada@example.com"))).contains(.deleteDraft))
        _ = reduce(&s, .draftSaved(d))
        #expect(s.message?.text.contains("Draft kept") != true, "\(s.message?.text ?? "")")
        #expect(s.message?.text.contains("Created meeting") == true)
        #expect(s.draftOnDisk == nil, "the file was removed after that save")
    }

    /// Esc right after typing, before the write of what was typed is
    /// answered: nothing is said until it is, and then what is true.
    @Test func escBeforeTheLastSaveIsAnsweredWaitsForTheAnswer() {
        var s = typedForm()
        guard case .saveDraft(let d)? = reduce(&s, .settled).first else { Issue.record("no save"); return }
        #expect(press(&s, .escape).isEmpty, "the same draft is not written twice")
        #expect(s.message?.text.contains("Draft kept") != true, "said before the write was answered")
        _ = reduce(&s, .draftStoreFailed("No space left on device"))
        #expect(s.message?.text.contains("Draft not saved to disk") == true, "\(s.message?.text ?? "")")
        // Once answered, Esc says at once where it is.
        press(&s, .char("n"))
        _ = reduce(&s, .settled)
        _ = reduce(&s, .draftSaved(d))
        press(&s, .escape)
        #expect(s.message?.text.contains("Draft kept") == true, "\(s.message?.text ?? "")")
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

    // MARK: Where the draft is, said truly

    func savesDraft(_ fx: [Effect]) -> Bool {
        fx.contains { if case .saveDraft = $0 { return true } else { return false } }
    }

    @Test func escSaysDraftKeptOnlyOnceTheWriteIsAnswered() {
        var s = typedForm()
        let fx = press(&s, .escape)
        #expect(savesDraft(fx))
        #expect(s.message?.text.contains("Draft kept") != true, "said before the file was written")
        _ = reduce(&s, .draftSaved(s.form!.draft))
        #expect(s.message?.text == "Draft kept: press n to continue it")
        #expect(s.message?.isError == false)
    }

    @Test func escWhenTheWriteFailsSaysTheDraftIsOnlyInThisWindow() {
        var s = typedForm()
        _ = press(&s, .escape)
        _ = reduce(&s, .draftStoreFailed("cannot create /st/coclick/x.tmp: No space left on device"))
        let text = s.message?.text ?? ""
        #expect(s.message?.isError == true)
        #expect(text == "Draft not saved to disk: it is only in this window; press n to continue it (cannot create /st/coclick/x.tmp: No space left on device)", "\(text)")
        #expect(!text.contains("Draft kept"))
        // n brings it back: it is in memory.
        press(&s, .char("n"))
        #expect(s.form?.user.text == "ada@example.com")
    }

    @Test func escAfterAFailureWhileTypingSaysAgainWhereTheDraftIs() {
        var s = typedForm()
        _ = reduce(&s, .settled)
        _ = reduce(&s, .draftStoreFailed("No space left on device"))
        #expect(s.message?.text == "Draft not saved to disk: it is only in this window (No space left on device)")
        s.message = nil
        let fx = press(&s, .escape)
        #expect(savesDraft(fx), "written again on Esc")
        _ = reduce(&s, .draftStoreFailed("No space left on device"))
        #expect(s.message?.text == "Draft not saved to disk: it is only in this window; press n to continue it (No space left on device)")
        // Once it is written after all, that is said instead.
        _ = press(&s, .char("n"))
        type(&s, "x")
        _ = press(&s, .escape)
        _ = reduce(&s, .draftSaved(s.form!.draft))
        #expect(s.message?.text == "Draft kept: press n to continue it")
    }

    @Test func escWithTheDraftAlreadyOnDiskSaysKeptAtOnce() {
        var s = typedForm()
        _ = reduce(&s, .settled)
        _ = reduce(&s, .draftSaved(s.form!.draft))
        let fx = press(&s, .escape)
        #expect(!savesDraft(fx))
        #expect(s.message?.text == "Draft kept: press n to continue it")
        #expect(!s.draftWhereaboutsPending)
    }

    @Test func aFailedDeleteIsSaidAsSuch() {
        var s = typedForm()
        _ = reduce(&s, .draftDeleteFailed("cannot delete /st/draft.json: Read-only file system"))
        #expect(s.message?.text == "Draft: cannot delete /st/draft.json: Read-only file system")
        #expect(!s.draftSaveFailing)
    }

    // MARK: Drafts of other windows

    @Test func otherKeptDraftsAreSaidAfterTheRestoredOne() {
        var s = makeState()
        press(&s, .char("n"))
        var d = FormDraft()
        d.user = "old@example.com"
        d.cookies = [.init(domain: "a.example", name: "sid")]
        _ = reduce(&s, .draftLoaded(d))
        _ = reduce(&s, .otherDrafts(kept: 2, editedElsewhere: 0))
        let text = s.message?.text ?? ""
        #expect(text.hasPrefix("Draft restored (cookie values are not saved to disk: type them again) · "), "\(text)")
        #expect(text.hasSuffix("2 more drafts kept: each opens with n once this one is sent or emptied"), "\(text)")
        #expect(s.form?.user.text == "old@example.com")
    }

    @Test func anUnreadableDraftIsStillSaidWithTheOthers() {
        var s = makeState()
        press(&s, .char("n"))
        _ = reduce(&s, .draftUnreadable("/st/draft-x.json is not a valid draft"))
        _ = reduce(&s, .otherDrafts(kept: 1, editedElsewhere: 0))
        #expect(s.message?.text == "Saved draft ignored: /st/draft-x.json is not a valid draft · 1 more draft kept: it opens with n once this one is sent or emptied")
        #expect(s.message?.isError == true)
    }

    @Test func aDraftEditedInAnotherWindowIsSaidWhenNoneIsRestored() {
        var s = makeState()
        press(&s, .char("n"))
        _ = reduce(&s, .otherDrafts(kept: 0, editedElsewhere: 1))
        #expect(s.message?.text == "A draft is being edited in another coclick window; this form keeps a draft file of its own")
        #expect(s.form?.isBlank == true)
        // Nothing to say: nothing said.
        s.message = nil
        _ = reduce(&s, .otherDrafts(kept: 0, editedElsewhere: 0))
        #expect(s.message == nil)
    }

    @Test func aStartWarningIsAnErrorMessage() {
        var s = makeState()
        _ = reduce(&s, .warning("theme 'nope' not found"))
        #expect(s.message?.isError == true)
        #expect(s.message?.text == "theme 'nope' not found")
        #expect(s.message?.expires == s.now.addingTimeInterval(10))
    }
}
