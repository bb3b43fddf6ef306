import CoClickAPI
import Foundation

/// The whole behaviour of the dashboard: pure, so every key is unit-tested.
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .key(let key):
        return Reducer.key(&state, key)
    case .tick(let now):
        state.now = now
        if let m = state.message, m.expires <= now { state.message = nil }
        return []
    case .resize(let w, let h):
        state.width = max(1, w)
        state.height = max(1, h)
        Reducer.clampList(&state)
        Reducer.clampDetail(&state)
        return []
    case .pollDue:
        // After a rejected API key only the user retries (`r`): no request until then.
        state.nextPollAt = nil
        guard state.connection.pollsAutomatically else { return [] }
        return Reducer.startPoll(&state)
    case .listLoaded(let query, let page, let company, let at):
        state.pollInFlight = nil
        guard query == state.query else { return Reducer.startPoll(&state) }
        state.now = max(state.now, at)
        state.meetings = page.meetings
        state.hasMorePages = page.hasMore
        if let company { state.company = company }
        state.connection = .ok
        state.consecutiveFailures = 0
        state.lastSuccess = at
        state.lastError = nil
        state.cachedAt = nil
        let cache: [Effect] = state.isStartView ? [.cacheList(CachedList(savedAt: at, meetings: page.meetings, hasMore: page.hasMore))] : []
        if let seek = state.seekID {
            if state.meetings.contains(where: { $0.id == seek }) {
                state.seekID = nil
                state.selectedID = seek
            } else if page.hasMore, state.page < 100 {
                // The new meeting sorts onto a later page: look there.
                state.page += 1
                return Reducer.startPoll(&state)
            } else {
                state.seekID = nil
            }
        }
        if !state.placedInitialSelection, state.selectedID == nil, !state.meetings.isEmpty {
            // Start on what matters now: the first live or upcoming meeting, not the oldest row.
            state.placedInitialSelection = true
            if let i = state.meetings.firstIndex(where: { $0.status == .inProgress || $0.status == .scheduled }) {
                state.selected = i
                state.selectedID = state.meetings[i].id
            }
        }
        if let id = state.selectedID, let i = state.meetings.firstIndex(where: { $0.id == id }) {
            state.selected = i
        }
        Reducer.clampList(&state)
        return cache + Reducer.schedulePoll(&state, after: state.refreshInterval)
    case .listFailed(let query, let error, let at):
        state.pollInFlight = nil
        state.now = max(state.now, at)
        guard query == state.query else { return Reducer.startPoll(&state) }
        state.consecutiveFailures += 1
        state.connection = ConnectionState.after(error, failures: state.consecutiveFailures)
        state.lastError = error.description
        // The last good data stays on screen, with its age, in every state.
        guard state.connection.pollsAutomatically else {
            // Retrying a rejected key would only be rejected again (and may lock the account).
            state.nextPollAt = nil
            return []
        }
        return Reducer.schedulePoll(&state, after: Backoff.delay(afterFailures: state.consecutiveFailures))
    case .detailLoaded(let m, let purpose):
        state.details[m.id] = m
        if state.detailID == m.id {
            state.detailLoading = false
            state.detailError = nil
            Reducer.clampDetail(&state)
        }
        if case .copy(let link) = purpose { return Reducer.copy(&state, link, from: m) }
        return []
    case .detailFailed(let id, let error, let purpose):
        switch purpose {
        case .show:
            if state.detailID == id {
                state.detailLoading = false
                state.detailError = error.description
            }
        case .copy(let link):
            Reducer.say(&state, "Could not copy the \(link.label): \(error.description)", error: true)
        }
        return []
    case .created(let m):
        return Reducer.showCreated(&state, m, saying: "Created meeting \(SafeText.escape(m.shortID)) for \(SafeText.escape(m.user ?? "?"))")
    case .createFailed(let error):
        guard var form = state.form else { return [] }
        form.inFlight = false
        form.notice = nil
        form.outcomeUnknown = false
        if case .validation(let errors) = error {
            form.serverErrors = errors.fields
            form.failure = "The API refused the meeting: see the marked fields"
        } else if error.createMayHaveSucceeded {
            form.outcomeUnknown = true
            form.failure = Reducer.mayExistText(state, error)
        } else {
            form.failure = error.description
        }
        state.form = form
        if state.screen != .form {
            Reducer.say(&state, "The meeting was not confirmed: press \(state.keymap.keysText(.newMeeting, in: .list)) to see the form", error: true)
        }
        return []
    case .draftLoaded(let draft):
        // Only into a form nobody has typed in yet.
        guard state.form == nil || state.form?.isBlank == true, state.form?.inFlight != true else { return [] }
        var form = MeetingForm(draft: draft)
        if form.outcomeUnknown { form.failure = Reducer.mayExistText(state, nil) }
        state.form = form
        let cookieNote = draft.cookies.isEmpty ? "" : " (cookie values are not saved to disk: type them again)"
        Reducer.say(&state, "Draft restored" + cookieNote)
        return []
    case .draftUnreadable(let why):
        Reducer.say(&state, "Saved draft ignored: \(SafeText.escape(why))", error: true)
        return []
    case .draftStoreFailed(let why):
        Reducer.say(&state, "Draft: \(SafeText.escape(why))", error: true)
        return []
    case .lookupFinished(let lookup, let found):
        guard var form = state.form, form.lookingUp else { return [] }
        form.lookingUp = false
        if let m = found {
            state.form = form
            return Reducer.showCreated(&state, m, saying: "Found meeting \(SafeText.escape(m.shortID)) for \(SafeText.escape(m.user ?? "?")): the create went through")
        }
        form.outcomeUnknown = false
        form.failure = nil
        let when = Countdown.startText(lookup.startsAt, zone: state.timeZone)
        form.notice = "No meeting for \(lookup.user) at \(when) in the list: it was not created. \(state.keymap.keysText(.submit, in: .form)): submit again"
        state.form = form
        return []
    case .lookupFailed(_, let error):
        guard var form = state.form, form.lookingUp else { return [] }
        form.lookingUp = false
        form.notice = "Could not look for it: \(error.description). \(state.keymap.keysText(.lookForCreated, in: .form)): try again"
        state.form = form
        return []
    case .copyFailed(let why):
        Reducer.say(&state, "Copy failed: \(why)", error: true)
        return []
    case .mouse(let event, let target):
        return Reducer.mouse(&state, event, target)
    case .cacheLoaded(let list):
        return Reducer.cacheLoaded(&state, list)
    }
}

enum Reducer {
    static let messageSeconds: TimeInterval = 5

    static func say(_ state: inout AppState, _ text: String, error: Bool = false) {
        state.message = TransientMessage(text: text, isError: error, expires: state.now.addingTimeInterval(messageSeconds))
    }

    static func startPoll(_ state: inout AppState) -> [Effect] {
        guard state.pollInFlight == nil else { return [] }
        if !state.showHistory {
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = state.timeZone
            state.windowStart = cal.startOfDay(for: state.now)
        }
        let q = state.query
        state.pollInFlight = q
        return [.fetchList(q)]
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
        if let i = state.meetings.firstIndex(where: { $0.id == m.id }) {
            state.selected = i
            clampList(&state)
            return [.deleteDraft] + startPoll(&state)
        }
        // Show it wherever it sorts: all statuses and owners, from page 1 on.
        state.seekID = m.id
        state.userFilter = ""
        state.statusFilter = nil
        state.page = 1
        let effects = queryChanged(&state)
        state.seekID = m.id
        return [.deleteDraft] + effects
    }

    /// What the form says when a create got no answer. Two lines.
    static func mayExistText(_ state: AppState, _ error: APIError?) -> String {
        let look = state.keymap.keysText(.lookForCreated, in: .form)
        let again = state.keymap.keysText(.submit, in: .form)
        let why = error.map { " (\($0.description))" } ?? ""
        return "The server did not answer: the meeting may exist\(why).\n\(look): look for it in the list · \(again): submit again"
    }

    /// A filter or page change: new query, selection back to the top.
    static func queryChanged(_ state: inout AppState) -> [Effect] {
        state.meetings = []
        state.selected = 0
        state.listScroll = 0
        state.selectedID = nil
        state.seekID = nil
        state.hasMorePages = false
        // An in-flight poll for the old query is discarded when it lands, and the new one starts then.
        return startPoll(&state)
    }

    static func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        if case .resize = key { return [] }
        if state.showHelp { return helpKey(&state, key) }
        switch state.screen {
        case .form: return formKey(&state, key)
        case .list:
            if state.filterInput != nil { return filterKey(&state, key) }
            return listKey(&state, key)
        case .detail: return detailKey(&state, key)
        }
    }

    static func helpKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let total = state.helpLines.count
        let visible = max(1, state.height - 4)
        let maxScroll = max(0, total - visible)
        let command = state.keymap.command(for: key, in: .list)
        switch key {
        case _ where command == .moveDown, .char("j"), .down: state.helpScroll = min(maxScroll, state.helpScroll + 1)
        case _ where command == .moveUp, .char("k"), .up: state.helpScroll = max(0, state.helpScroll - 1)
        case .pageDown, .char(" "): state.helpScroll = min(maxScroll, state.helpScroll + visible)
        case .pageUp: state.helpScroll = max(0, state.helpScroll - visible)
        default:
            state.showHelp = false
            state.helpScroll = 0
        }
        return []
    }

    static func listKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard let command = state.keymap.command(for: key, in: .list) else { return [] }
        let page = state.listVisibleRows
        switch command {
        case .moveUp: moveSelection(&state, to: state.selected - 1)
        case .moveDown: moveSelection(&state, to: state.selected + 1)
        case .pageUp: moveSelection(&state, to: state.selected - page)
        case .pageDown: moveSelection(&state, to: state.selected + page)
        case .top: moveSelection(&state, to: 0)
        case .bottom: moveSelection(&state, to: state.meetings.count - 1)
        case .open:
            guard let m = state.selectedMeeting else { return [] }
            state.screen = .detail
            state.detailID = m.id
            state.detailScroll = 0
            state.detailError = nil
            state.detailLoading = true
            return [.fetchDetail(id: m.id, purpose: .show)]
        case .quit: return [.quit]
        case .clearFilter:
            guard !state.userFilter.isEmpty || state.statusFilter != nil || state.page != 1 || state.showHistory else { return [] }
            state.userFilter = ""
            state.statusFilter = nil
            state.showHistory = false
            state.page = 1
            say(&state, "Filters cleared")
            return queryChanged(&state)
        case .newMeeting:
            // A create in flight stays in flight: its answer still lands in this form.
            state.screen = .form
            if state.form.map({ $0.isBlank && !$0.inFlight }) ?? true {
                // Nothing typed in this process: a draft from an earlier run may be on disk.
                state.form = MeetingForm()
                return [.loadDraft]
            }
        case .refresh:
            let effects = startPoll(&state)
            if effects.isEmpty { say(&state, "A refresh is already in progress") }
            else if state.connection == .keyRejected { say(&state, "Trying the API key again…") }
            return effects
        case .filter:
            state.filterInput = TextField(state.userFilter)
        case .toggleHistory:
            state.showHistory.toggle()
            state.page = 1
            say(&state, state.showHistory ? "Showing every date, past included" : "Showing from today on")
            return queryChanged(&state)
        case .cycleStatus:
            let cycle: [MeetingStatus?] = [nil] + MeetingStatus.documented.map { Optional($0) }
            let i = cycle.firstIndex(where: { $0 == state.statusFilter }) ?? 0
            state.statusFilter = cycle[(i + 1) % cycle.count]
            state.page = 1
            return queryChanged(&state)
        case .copyProspect: return copyRequest(&state, .prospect, id: state.selectedMeeting?.id)
        case .copyPresenter: return copyRequest(&state, .presenter, id: state.selectedMeeting?.id)
        case .nextTheme: nextTheme(&state)
        case .help: state.showHelp = true
        case .nextPage:
            guard state.hasMorePages else { say(&state, "This is the last page"); return [] }
            state.page += 1
            return queryChanged(&state)
        case .previousPage:
            guard state.page > 1 else { say(&state, "This is the first page"); return [] }
            state.page -= 1
            return queryChanged(&state)
        default: break
        }
        return []
    }

    static func filterKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var input = state.filterInput else { return [] }
        switch key {
        case .enter:
            state.filterInput = nil
            let text = input.text.trimmingCharacters(in: .whitespaces)
            guard text != state.userFilter else { return [] }
            state.userFilter = text
            state.page = 1
            return queryChanged(&state)
        case .escape: state.filterInput = nil; return []
        case .char(let c): input.insert(c)
        case .backspace: input.deleteBackward()
        case .delete: input.deleteForward()
        case .left: input.left()
        case .right: input.right()
        case .home: input.home()
        case .end, .ctrl("e"): input.end()
        case .ctrl("u"): input.clear()
        default: break
        }
        state.filterInput = input
        return []
    }

    static func detailKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard let command = state.keymap.command(for: key, in: .detail) else { return [] }
        let page = state.detailVisibleRows
        switch command {
        case .moveUp: state.detailScroll -= 1
        case .moveDown: state.detailScroll += 1
        case .pageUp: state.detailScroll -= page
        case .pageDown: state.detailScroll += page
        case .top: state.detailScroll = 0
        case .bottom: state.detailScroll = Int.max / 2
        case .back:
            state.screen = .list
            state.detailError = nil
            state.detailLoading = false
            return []
        case .refresh:
            guard let id = state.detailID else { return [] }
            state.detailLoading = true
            state.detailError = nil
            return [.fetchDetail(id: id, purpose: .show)]
        case .copyProspect: return copyRequest(&state, .prospect, id: state.detailID)
        case .copyPresenter: return copyRequest(&state, .presenter, id: state.detailID)
        case .nextTheme: nextTheme(&state)
        case .help: state.showHelp = true
        default: break
        }
        clampDetail(&state)
        return []
    }

    static func formKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var form = state.form else { state.screen = .list; return [] }
        defer { state.form = form }
        if let command = state.keymap.command(for: key, in: .form) {
            switch command {
            case .nextField: form.moveFocus(by: 1)
            case .previousField: form.moveFocus(by: -1)
            case .activate:
                if form.focus == .submit { return submit(&state, &form) }
                form.moveFocus(by: 1)
            case .submit: return submit(&state, &form)
            case .cancel:
                state.screen = .list
                if form.isBlank, !form.inFlight {
                    form = MeetingForm()
                    return [.deleteDraft]
                }
                say(&state, "Draft kept: press \(state.keymap.keysText(.newMeeting, in: .list)) to continue it")
                return [.saveDraft(form.draft)]
            case .lookForCreated: return lookFor(&state, &form)
            case .addCookie: form.addCookieRow()
            case .deleteCookie: form.deleteCookieRow()
            case .cursorLeft: form.editFocused { $0.left() }
            case .cursorRight: form.editFocused { $0.right() }
            case .cursorHome: form.editFocused { $0.home() }
            case .cursorEnd: form.editFocused { $0.end() }
            case .deleteBackward: form.editFocused { $0.deleteBackward() }
            case .deleteForward: form.editFocused { $0.deleteForward() }
            case .clearField: form.editFocused { $0.clear() }
            case .help: state.showHelp = true
            default: break
            }
            return []
        }
        switch key {
        case .char(let c):
            if form.focus == .submit {
                if c == " " { return submit(&state, &form) }
            } else {
                form.editFocused { $0.insert(c) }
            }
        default: break
        }
        return []
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
        case .failure:
            form.failure = "Fix the marked fields first"
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
            let user = form.user.text.trimmingCharacters(in: .whitespaces)
            if !user.isEmpty { lookup = MeetingLookup(user: user, startsAt: d.date) }
        }
        guard let lookup else {
            say(&state, "Fill in the user and starts at first: they are what to look for", error: true)
            return []
        }
        form.lookingUp = true
        form.notice = "Looking for a meeting for \(lookup.user) at \(Countdown.startText(lookup.startsAt, zone: state.timeZone))…"
        return [.lookFor(lookup)]
    }

    static func copyRequest(_ state: inout AppState, _ link: RoomLink, id: String?) -> [Effect] {
        guard let id else { say(&state, "No meeting selected", error: true); return [] }
        if let m = state.details[id] { return copy(&state, link, from: m) }
        say(&state, "Fetching the \(link.label)…")
        return [.fetchDetail(id: id, purpose: .copy(link))]
    }

    static func copy(_ state: inout AppState, _ link: RoomLink, from m: Meeting) -> [Effect] {
        guard let raw = link.url(in: m) else {
            say(&state, "Meeting \(SafeText.escape(m.shortID)) has no \(link.label)", error: true)
            return []
        }
        let url = SafeText.escape(raw)
        if state.clipboardMode == .off {
            say(&state, "\(link.label.prefix(1).uppercased() + link.label.dropFirst()): \(url)")
            return []
        }
        say(&state, "Copied \(link.label)")
        // The raw URL goes to the clipboard; control characters never reach the terminal (base64).
        return [.copy(text: raw, label: link.label)]
    }

    static func nextTheme(_ state: inout AppState) {
        state.themeIndex = (state.themeIndex + 1) % max(1, state.themeNames.count)
        say(&state, "Theme: \(state.themeName)")
    }

    static func moveSelection(_ state: inout AppState, to index: Int) {
        state.selected = index
        clampList(&state)
    }

    static func clampList(_ state: inout AppState) {
        let n = state.meetings.count
        state.selected = n == 0 ? 0 : min(max(0, state.selected), n - 1)
        if n > 0 { state.selectedID = state.meetings[state.selected].id }
        let rows = state.listVisibleRows
        if state.selected < state.listScroll { state.listScroll = state.selected }
        if state.selected >= state.listScroll + rows { state.listScroll = state.selected - rows + 1 }
        state.listScroll = max(0, min(state.listScroll, max(0, n - rows)))
    }

    static func clampDetail(_ state: inout AppState) {
        guard let m = state.detailMeeting else { state.detailScroll = 0; return }
        let total = DetailView.lines(for: m, loading: state.detailLoading, error: state.detailError, now: state.now, zone: state.timeZone, width: state.width).count
        state.detailScroll = max(0, min(state.detailScroll, total - state.detailVisibleRows))
    }
}

extension APIError {
    /// The request may have reached the server and been carried out, but no
    /// answer came back: a timeout, a dropped connection, an unreadable reply.
    /// A refused connection or an unknown host never reached it.
    var createMayHaveSucceeded: Bool {
        switch self {
        case .timeout, .invalidResponse: return true
        case .offline(let detail):
            return !["connection refused", "host not found", "no network connection", "TLS handshake failed"].contains(detail)
        default: return false
        }
    }
}
