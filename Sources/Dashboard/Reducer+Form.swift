import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// The create form's keys: the form edits itself (`MeetingForm.handle`);
/// what reaches beyond it (submit, cancel, look for a create) is here.
extension Reducer {
    static func formKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let keymap = state.keymap
        return formInput(&state) { $0.handle(key, keymap: keymap) }
    }

    /// What the form does with `input` (a key, a paste, a command), then what
    /// reaches beyond it.
    static func formInput(_ state: inout AppState, _ input: (inout MeetingForm) -> FormKeyOutcome) -> [Effect] {
        let effects = formEdit(&state, input)
        // The complaint goes once the marked fields are fixed, before the next submit.
        if var form = state.form, form.failure == .fixMarkedFields,
           case .success = form.build(now: state.now, zone: state.timeZone) {
            form.failure = nil
            state.form = form
        }
        return effects
    }

    static func formEdit(_ state: inout AppState, _ input: (inout MeetingForm) -> FormKeyOutcome) -> [Effect] {
        guard var form = state.form else { state.screen = .list; return [] }
        defer { state.form = form }
        switch input(&form) {
        case .handled: return []
        case .pasteFlattened:
            say(&state, "Pasted on one line: its line breaks and tabs became spaces")
            return []
        case .discardDraft:
            // Asked and answered: the typed form and its file go.
            form = MeetingForm()
            state.screen = .list
            say(&state, "Draft discarded")
            return deleteDraft(&state)
        case .submit: return submit(&state, &form)
        case .lookForCreated: return lookFor(&state, &form)
        case .help:
            state.showHelp = true
            return []
        case .cancel:
            state.screen = .list
            if form.isBlank, !form.inFlight {
                form = MeetingForm(me: state.me)
                return deleteDraft(&state)
            }
            state.form = form
            let effects = keepDraft(&state)
            if effects.isEmpty, !state.draftSaveUnanswered {
                // Already on disk as it is (or nothing to write).
                sayDraftKept(&state)
            } else {
                // Said when the write is answered: on disk, or only in memory.
                state.draftWhereaboutsPending = true
            }
            return effects
        }
    }

    static func submit(_ state: inout AppState, _ form: inout MeetingForm) -> [Effect] {
        guard !form.inFlight else {
            say(&state, "creating… the meeting was sent; waiting for the answer")
            return []
        }
        guard !form.lookingUp else {
            say(&state, "looking for the meeting in the list…")
            return []
        }
        form.submitAttempted = true
        form.failure = nil
        form.notice = nil
        switch form.build(now: state.now, zone: state.timeZone) {
        case .failure(let problems):
            form.failure = .fixMarkedFields
            if let f = form.firstMarkedField(problems.fields) { form.focus = f }
            return []
        case .success(let meeting):
            form.inFlight = true
            form.outcomeUnknown = false
            form.serverErrors = [:]
            form.lookup = MeetingLookup(user: meeting.user, startsAt: meeting.startsAt.date)
            return [.create(meeting)]
        }
    }

    /// Searches the list for the meeting the last create sent (or the form describes).
    static func lookFor(_ state: inout AppState, _ form: inout MeetingForm) -> [Effect] {
        guard !form.inFlight else { say(&state, "creating… the meeting was sent; waiting for the answer"); return [] }
        guard !form.lookingUp else { say(&state, "looking for the meeting in the list…"); return [] }
        var lookup = form.lookup
        if lookup == nil, case .success(let d)? = form.startsAtPreview(now: state.now, zone: state.timeZone) {
            let user = form.user.text.trimmed
            if !user.isEmpty { lookup = MeetingLookup(user: user, startsAt: d.date) }
        }
        guard let lookup else {
            say(&state, "Fill in the user and starts at first: they are what to look for", error: true)
            return []
        }
        form.lookingUp = true
        form.notice = "Looking for a meeting for \(lookup.user) at \(LocalTime.startText(lookup.startsAt, zone: state.timeZone))…"
        return [.lookFor(lookup)]
    }
}
