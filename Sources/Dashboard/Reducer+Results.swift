import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// The answers to requests the runtime made (list, detail, create, lookup, draft).
extension Reducer {
    static func detailLoaded(_ state: inout AppState, _ m: Meeting, purpose: DetailPurpose) -> [Effect] {
        let m = ServerTextLimits.cut(m)
        state.details[m.id] = m
        if state.detailID == m.id {
            state.detailLoading = false
            state.detailError = nil
            clampDetail(&state)
        }
        switch purpose {
        case .show: return []
        case .rowExtras:
            state.extrasInFlight = max(0, state.extrasInFlight - 1)
            return []
        case .copy(let link): return copy(&state, link, from: m)
        case .open(let link): return open(&state, link, from: m)
        case .duplicate: return duplicate(&state, m)
        case .invitation: return copyInvitation(&state, m)
        }
    }

    static func detailFailed(_ state: inout AppState, id: String, error: APIError, purpose: DetailPurpose) -> [Effect] {
        switch purpose {
        case .show:
            if state.detailID == id {
                state.detailLoading = false
                state.detailError = error.description
                state.detailRetryable = error.isTransient
            }
        case .copy(let link):
            say(&state, "Could not copy the \(link.label): \(error.description)", error: true)
        case .open(let link):
            say(&state, "Could not open the \(link.label): \(error.description)", error: true)
        case .duplicate:
            say(&state, "Could not duplicate the meeting: \(error.description)", error: true)
        case .rowExtras:
            // The columns stay empty for it; the row's own fields are all there.
            state.extrasInFlight = max(0, state.extrasInFlight - 1)
        case .invitation:
            say(&state, "Could not copy the invitation: \(error.description)", error: true)
        }
        return []
    }

    static func createFailed(_ state: inout AppState, _ error: APIError) -> [Effect] {
        guard var form = state.form else { return [] }
        form.inFlight = false
        form.notice = nil
        form.outcomeUnknown = false
        if case .validation(let errors) = error {
            form.serverErrors = errors.fields
            form.failure = .refusedByServer
        } else if error.createMayHaveSucceeded {
            form.outcomeUnknown = true
            form.failure = .message(mayExistText(state, error.underlying))
        } else if error.isTransient {
            form.failure = .message("Not created: " + error.description)
        } else {
            form.failure = .message(error.description)
        }
        state.form = form
        if state.screen != .form {
            say(&state, "The meeting was not confirmed: press \(state.keymap.keysText(.newMeeting, in: .list)) to see the form", error: true)
        }
        return []
    }

    static func draftLoaded(_ state: inout AppState, _ draft: FormDraft) -> [Effect] {
        // Only into a form nobody has typed in yet.
        guard state.form == nil || state.form?.isBlank == true, state.form?.inFlight != true else { return [] }
        var form = MeetingForm(draft: draft)
        if form.outcomeUnknown { form.failure = .message(mayExistText(state, nil)) }
        state.form = form
        state.draftOnDisk = draft
        let cookieNote = draft.cookies.isEmpty ? "" : " (cookie values are not saved to disk: type them again)"
        say(&state, "Draft restored" + cookieNote)
        return []
    }

    static func lookupFinished(_ state: inout AppState, _ lookup: MeetingLookup, found: Meeting?) -> [Effect] {
        guard var form = state.form, form.lookingUp else { return [] }
        form.lookingUp = false
        if let m = found {
            state.form = form
            return showCreated(&state, m, saying: "Found meeting \(SafeText.escape(m.shortID)) for \(SafeText.escape(m.user ?? "?")): the create went through")
        }
        form.outcomeUnknown = false
        form.failure = nil
        let when = LocalTime.startText(lookup.startsAt, zone: state.timeZone)
        form.notice = "No meeting for \(lookup.user) at \(when) in the list: it was not created. \(state.keymap.keysText(.submit, in: .form)): submit again"
        state.form = form
        return []
    }

    static func lookupFailed(_ state: inout AppState, _ error: APIError) -> [Effect] {
        guard var form = state.form, form.lookingUp else { return [] }
        form.lookingUp = false
        form.notice = "Could not look for it: \(error.description). \(state.keymap.keysText(.lookForCreated, in: .form)): try again"
        state.form = form
        return []
    }
}
