import Dashboard
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The form's draft file (`DraftSlots`), written off the main thread (see
/// `BackgroundWriter`): each write ends in an fsync, and the reducer asks for
/// one after every batch of keys that changed the form.
///
/// Saves and deletes are done in the order asked for, so an earlier draft
/// never lands over a later one; a save queued behind another save replaces
/// it (only the newest draft needs writing). Each job answers through its
/// `answer` (on the writing thread): a save that worked only when no later
/// job waits (that one says what is on disk then), a failure always.
/// Reading the drafts (`open`), `finish` (quit, Ctrl-Z) and `lastFailure` wait
/// for what is queued first.
final class DraftWriter: Sendable {
    typealias Answer = @Sendable (Action) -> Void

    private enum Job: Sendable {
        case save(FormDraft, Answer)
        case delete(Answer)

        var isSave: Bool { if case .save = self { true } else { false } }
    }

    private struct Files {
        /// nil without a folder for drafts (no HOME).
        let slots: DraftSlots?
        /// Why the last save failed; nil when it worked.
        var failure: String?
    }

    private let writer: BackgroundWriter<Files, Job>

    /// `directory`: the drafts' folder (nil without one: every save fails, saying so).
    init(directory: URL?, account: AccountKey?) {
        let slots = directory.map { DraftSlots(directory: $0, account: account) }
        writer = BackgroundWriter(Files(slots: slots), threadName: "coclick draft",
                                  merges: { waiting, new in waiting.isSave && new.isSave }) { files, job, isNewest in
            switch job {
            case .save(let draft, let answer):
                do {
                    guard let slots = files.slots else {
                        throw DraftStore.Failure(description: "no folder for drafts: neither XDG_STATE_HOME nor HOME is set")
                    }
                    try slots.save(draft)
                    files.failure = nil
                    if isNewest() { answer(.draftSaved(draft)) }
                } catch {
                    files.failure = "\(error)"
                    answer(.draftStoreFailed("\(error)"))
                }
            case .delete(let answer):
                do { try files.slots?.delete() } catch { answer(.draftDeleteFailed("\(error)")) }
            }
        }
    }

    /// Queues a write of `draft` to this window's draft file.
    func save(_ draft: FormDraft, answer: @escaping Answer) {
        writer.submit(.save(draft, answer))
    }

    /// Queues the removal of this window's draft file.
    func delete(answer: @escaping Answer) {
        writer.submit(.delete(answer))
    }

    /// The drafts on disk (see `DraftSlots.open`), once queued writes are done; nil without a folder.
    func open() -> DraftSlots.Opened? {
        writer.withTarget { $0.slots?.open() }
    }

    /// Waits for the write under way and does the queued ones here.
    func finish() {
        writer.finish()
    }

    /// Why the last save failed, once queued writes are done; nil when it worked.
    var lastFailure: String? {
        writer.withTarget { $0.failure }
    }
}
