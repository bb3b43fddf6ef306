#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the footer says about drafts other than the one in the form.
extension Reducer {
    /// After `loadDraft`: other drafts of this account exist. Said after
    /// what the same answer said of the draft it opened ("Draft restored",
    /// "Saved draft ignored: …"), so neither hides the other.
    static func otherDrafts(_ state: inout AppState, kept: Int, editedElsewhere: Int) {
        let n = state.keymap.keysText(.newMeeting, in: .list)
        var parts: [String] = []
        if kept > 0 {
            let which = kept == 1 ? "1 more draft kept: it opens" : "\(kept) more drafts kept: each opens"
            parts.append("\(which) with \(n) once this one is sent or emptied")
        }
        if editedElsewhere > 0 {
            let who = editedElsewhere == 1 ? "A draft is" : "\(editedElsewhere) drafts are"
            parts.append("\(who) being edited in another coclick window; this form keeps a draft file of its own")
        }
        guard !parts.isEmpty else { return }
        // Said in this batch (the clock moves only between batches): the same answer's.
        let justSaid = state.message.flatMap { $0.expires == state.now.addingTimeInterval(messageSeconds) ? $0 : nil }
        let lead = justSaid.map { $0.text + " · " } ?? ""
        say(&state, lead + parts.joined(separator: " · "), error: justSaid?.isError ?? false, seconds: 10)
    }
}
