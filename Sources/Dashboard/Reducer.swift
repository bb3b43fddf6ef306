import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// The whole behaviour of the dashboard: pure, so every key is unit-tested.
/// Keys are handled per screen (`Reducer+Keys`, `Reducer+Form`), the answers
/// to requests in `Reducer+Results`; this file holds what they share.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .key(let key):
        // Two clicks make a double-click only with nothing between them
        // (click, Enter, q, click must not open the row).
        state.lastClick = nil
        return Reducer.key(&state, key)
    case .paste(let text):
        state.lastClick = nil
        return Reducer.paste(&state, text)
    case .tick(let now):
        state.now = now
        if let m = state.message, m.expires <= now { state.message = nil }
        return Reminders.effects(&state) + Reducer.fetchRowExtras(&state)
    case .resize(let w, let h):
        state.width = max(1, w)
        state.height = max(1, h)
        Reducer.clampList(&state)
        Reducer.clampDetail(&state)
        return Reducer.fetchAhead(&state)
    case .pollDue:
        // After a rejected API key only the user retries (`r`): no request until then.
        state.nextPollAt = nil
        guard state.connection.pollsAutomatically else { return [] }
        return Reducer.startPoll(&state)
    case .listLoaded(let query, let page, let company, let at):
        return Reducer.listLoaded(&state, query: query, page: page, company: company, at: at)
    case .listFailed(let query, let error, let at):
        return Reducer.listFailed(&state, query: query, error: error, at: at)
    case .detailLoaded(let m, let purpose):
        return Reducer.detailLoaded(&state, m, purpose: purpose)
    case .detailFailed(let id, let error, let purpose):
        return Reducer.detailFailed(&state, id: id, error: error, purpose: purpose)
    case .created(let m):
        return Reducer.showCreated(&state, m, saying: "Created meeting \(SafeText.escape(m.shortID)) for \(SafeText.escape(m.user ?? "?"))")
    case .createFailed(let error):
        return Reducer.createFailed(&state, error)
    case .draftLoaded(let draft):
        return Reducer.draftLoaded(&state, draft)
    case .draftUnreadable(let why):
        Reducer.say(&state, "Saved draft ignored: \(SafeText.escape(why))", error: true)
        return []
    case .draftStoreFailed(let why):
        // What is on disk is unknown now: the next change writes it again.
        state.draftOnDisk = nil
        state.draftSaveUnanswered = false
        if state.draftWhereaboutsPending || !state.draftSaveFailing {
            Reducer.say(&state, Reducer.draftOnlyInMemoryText(state, why: why), error: true)
        }
        state.draftWhereaboutsPending = false
        state.draftSaveFailing = true
        return []
    case .draftDeleteFailed(let why):
        Reducer.say(&state, "Draft: \(SafeText.escape(why))", error: true)
        return []
    case .draftSaved(let draft):
        state.draftSaveFailing = false
        state.draftSaveUnanswered = false
        // Answers come after the keys that asked: one for a draft since removed or changed is history.
        if state.draftOnDisk == nil, state.form?.draft == draft { state.draftOnDisk = draft }
        if state.draftWhereaboutsPending { Reducer.sayDraftKept(&state) }
        state.draftWhereaboutsPending = false
        return []
    case .otherDrafts(let kept, let elsewhere):
        Reducer.otherDrafts(&state, kept: kept, editedElsewhere: elsewhere)
        return []
    case .settled:
        return Reducer.keepDraft(&state)
    case .warning(let text):
        Reducer.say(&state, text, error: true, seconds: 10)
        return []
    case .lookupFinished(let lookup, let found):
        return Reducer.lookupFinished(&state, lookup, found: found)
    case .lookupFailed(_, let error):
        return Reducer.lookupFailed(&state, error)
    case .openFailed(let why, let url, let link):
        return Reducer.copyInstead(&state, link, url, because: "Could not open a browser (\(SafeText.escape(why)))")
    case .copyFinished(let label, let text, let outcome, let because):
        Reducer.copyFinished(&state, label: label, text: text, outcome, because: because)
        return []
    case .mouse(let event, let target):
        return Reducer.mouse(&state, event, target) + (state.screen == .list ? Reducer.fetchAhead(&state) : [])
    case .cacheLoaded(let list):
        return Reducer.cacheLoaded(&state, list)
    }
}

/// The reducer's parts. Each extension is one job; this one is what they share.
enum Reducer {
    static let messageSeconds: TimeInterval = 5

    /// A failed copy shows the URL this long, to be selected by hand.
    static let uncopiedURLSeconds: TimeInterval = 60

    static func say(_ state: inout AppState, _ text: String, error: Bool = false, seconds: TimeInterval = messageSeconds) {
        state.message = TransientMessage(text: text, isError: error, expires: state.now.addingTimeInterval(seconds))
    }

    /// Writes the typed form to disk when it changed: SIGTERM, SIGHUP (ssh
    /// dropped) and crashes end the process in a signal handler where no
    /// Swift code may run, so the file must already be there.
    static func keepDraft(_ state: inout AppState) -> [Effect] {
        guard let form = state.form, !form.isBlank else { return [] }
        let draft = form.draft
        guard draft != state.draftOnDisk else { return [] }
        state.draftOnDisk = draft
        state.draftSaveUnanswered = true
        return [.saveDraft(draft)]
    }

    /// The form is put aside and its draft is on disk.
    static func sayDraftKept(_ state: inout AppState) {
        say(&state, "Draft kept: press \(state.keymap.keysText(.newMeeting, in: .list)) to continue it")
    }

    /// The draft could not be written: it lives only in this process.
    static func draftOnlyInMemoryText(_ state: AppState, why: String) -> String {
        let onList = state.screen != .form && state.form != nil
        let more = onList ? "; press \(state.keymap.keysText(.newMeeting, in: .list)) to continue it" : ""
        // Where it is first: a long reason is what the footer cuts off.
        return "Draft not saved to disk: it is only in this window\(more) (\(SafeText.escape(why)))"
    }

    /// The draft file goes away (a blank form, or a create that went through).
    static func deleteDraft(_ state: inout AppState) -> [Effect] {
        state.draftOnDisk = nil
        // A save still unanswered has nothing left to say about where the draft is.
        state.draftWhereaboutsPending = false
        state.draftSaveUnanswered = false
        return [.deleteDraft]
    }

    static func schedulePoll(_ state: inout AppState, after delay: TimeInterval) -> [Effect] {
        state.nextPollDelay = delay
        state.nextPollAt = state.now.addingTimeInterval(delay)
        return [.schedulePoll(after: delay)]
    }

    /// Back to the list with `m` selected (a create that went through), the draft gone.
    static func showCreated(_ state: inout AppState, _ m: Meeting, saying text: String) -> [Effect] {
        state.form = nil
        state.screen = .list
        if m.isDetail { state.details[m.id] = m }
        say(&state, text)
        if state.meetings.contains(where: { $0.id == m.id }) {
            state.seek = .meeting(m.id)
            resolveSeek(&state)
            return deleteDraft(&state) + startPoll(&state)
        }
        // Show it wherever it sorts: all statuses and owners, its day in the window.
        state.userFilter = ""
        state.statusFilter = nil
        state.mineOnly = state.mineOnly && state.isMine(m)
        if let start = m.startsAt?.date, !state.showHistory,
           start < LocalTime.startOfDay(state.now, zone: state.timeZone) {
            state.fromDay = LocalTime.startOfDay(start, zone: state.timeZone)
        }
        var effects = queryChanged(&state)
        state.seek = .meeting(m.id)
        // Until a page holds it, the window shows it where it sorts.
        state.window.insert(CachedList.listFields(m))
        resolveSeek(&state)
        effects += fetchAhead(&state)
        return deleteDraft(&state) + effects
    }

    /// What the form says when a create got no answer. Two lines.
    static func mayExistText(_ state: AppState, _ error: APIError?) -> String {
        let look = state.keymap.keysText(.lookForCreated, in: .form)
        let again = state.keymap.keysText(.submit, in: .form)
        let why = error.map { " (\($0.description))" } ?? ""
        return "The server did not answer: the meeting may exist\(why).\n\(look): look for it in the list · \(again): submit again"
    }

    static func copyRequest(_ state: inout AppState, _ link: RoomLink, id: String?) -> [Effect] {
        withDetail(&state, id: id, fetching: "Fetching the \(link.label)…", purpose: .copy(link)) { state, m in copy(&state, link, from: m) }
    }

    static func copy(_ state: inout AppState, _ link: RoomLink, from m: Meeting) -> [Effect] {
        guard let raw = link.url(in: m) else {
            say(&state, "Meeting \(SafeText.escape(m.shortID)) has no \(link.label)", error: true)
            return []
        }
        let url = SafeText.escape(raw)
        if url != raw {
            // Pasted, control characters would act on whatever terminal gets them.
            say(&state, "The \(link.label) holds control characters; not copied: \(url)", error: true, seconds: uncopiedURLSeconds)
            return []
        }
        if state.clipboardMode == .off {
            say(&state, "\(link.label.prefix(1).uppercased() + link.label.dropFirst()): \(url)", seconds: uncopiedURLSeconds)
            return []
        }
        say(&state, "Copying the \(link.label)…")
        return [.copy(text: raw, label: link.label)]
    }

    /// Says what became of a copy, and no more than coclick knows.
    static func copyFinished(_ state: inout AppState, label: String, text: String, _ outcome: CopyOutcome, because: String? = nil) {
        if let because {
            // The URL is what the user came for: shown whatever became of the copy.
            let url = SafeText.escape(text)
            switch outcome {
            case .confirmed(let by): say(&state, "\(because): copied \(label) (\(by)): \(url)", seconds: uncopiedURLSeconds)
            case .sent: say(&state, "\(because): sent \(label) to the terminal's clipboard (OSC 52): \(url)", seconds: uncopiedURLSeconds)
            case .failed(let why): say(&state, "\(because); copy failed too (\(why)): \(url)", error: true, seconds: uncopiedURLSeconds)
            }
            return
        }
        switch outcome {
        case .confirmed(let by):
            say(&state, "Copied \(label) (\(by))")
        case .sent:
            say(&state, "Sent \(label) to the terminal's clipboard (OSC 52)")
        case .failed(let why) where text.contains("\n"):
            // Lines (an invitation) do not fit the footer: the label says what was lost.
            say(&state, "Copy failed: \(label) (\(why))", error: true, seconds: uncopiedURLSeconds)
        case .failed(let why):
            // The URL first: the footer may cut the end, and the user selects it by hand.
            say(&state, "Copy failed: \(SafeText.escape(text)) (\(why))", error: true, seconds: uncopiedURLSeconds)
        }
    }

    static func nextTheme(_ state: inout AppState) {
        state.themeIndex = (state.themeIndex + 1) % max(1, state.themeNames.count)
        say(&state, "Theme: \(state.themeName)")
    }

    static func moveSelection(_ state: inout AppState, to index: Int) {
        state.selected = index
        clampList(&state)
    }

    static func clampList(_ state: inout AppState) { clampAgenda(&state) }

    static func clampDetail(_ state: inout AppState) {
        guard let m = state.detailMeeting else { state.detailScroll = 0; return }
        let total = DetailView.rows(for: m, loading: state.detailLoading, error: state.detailError, now: state.now, zone: state.timeZone, geometry: state.geometry).count
        state.detailScroll = max(0, min(state.detailScroll, total - state.detailVisibleRows))
    }
}

extension AppState {
    /// The query the first `.pollDue` of a fresh start sends (the start view,
    /// from today): the dashboard asks for it before its terminal is set up
    /// (first paint), and uses that answer for the first `.fetchList` when
    /// the two queries are equal.
    public static func startQuery(settings: DashboardSettings, now: Date, timeZone: TimeZone? = nil) -> MeetingQuery {
        var state = AppState(settings: settings, now: now, timeZone: timeZone)
        _ = Reducer.startPoll(&state)
        return state.query
    }
}
