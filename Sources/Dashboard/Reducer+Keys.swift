import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// Keys, per screen: help overlay, list (and its filter line), detail. The
/// form's keys are in `Reducer+Form`.
extension Reducer {
    static func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        let context: KeyContext = state.screen == .form ? .form : state.screen == .detail ? .detail : .list
        let command = state.keymap.command(for: key, in: context)
        // Ctrl-L works on every screen, over the help, the filter line and a question too.
        if command == .repaint { return [.repaint] }
        if state.showHelp { return helpKey(&state, key) }
        switch state.screen {
        case .form: return formKey(&state, key)
        case .list:
            if state.filterInput != nil { return filterKey(&state, key) }
            if state.dateInput != nil { return dateKey(&state, key) }
            guard let command else { return fetchAhead(&state) }
            return run(&state, command: command, in: .list)
        case .detail:
            guard let command else { return [] }
            return run(&state, command: command, in: .detail)
        }
    }

    /// Does `command` on the screen `ctx` names: what a key bound to it does
    /// (after the keymap lookup), and what a click asks for.
    static func run(_ state: inout AppState, command: Command, in ctx: KeyContext) -> [Effect] {
        switch ctx {
        case .list:
            // Wherever a command leaves the selection, the next page is there before it.
            let effects = listCommand(&state, command)
            return effects + (state.screen == .list ? fetchAhead(&state) : [])
        case .detail: return detailCommand(&state, command)
        case .form: return formInput(&state) { $0.perform(command) }
        }
    }

    /// Pasted text: typed into the form or the filter line; elsewhere it
    /// does nothing but close the help, as any key does.
    static func paste(_ state: inout AppState, _ text: String) -> [Effect] {
        if state.showHelp {
            state.showHelp = false
            state.helpScroll = 0
            return []
        }
        switch state.screen {
        case .form: return formInput(&state) { $0.paste(text) }
        case .list:
            guard var input = state.filterInput else { return [] }
            // An address copied from a mail: on one line, without its line break.
            input.insert(MeetingForm.oneLine(text).text.trimmed)
            state.filterInput = input
            return []
        case .detail: return []
        }
    }

    static func helpKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let total = state.helpLines.count
        let visible = state.geometry.helpRows(lineCount: total)
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

    static func listCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
        switch command {
        case .moveUp: moveSelection(&state, to: state.selected - 1)
        case .moveDown: moveSelection(&state, to: state.selected + 1)
        case .pageUp: pageAgenda(&state, down: false)
        case .pageDown: pageAgenda(&state, down: true)
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
        case .quit:
            // A form kept in the background is on disk before the process ends.
            return keepDraft(&state) + [.quit]
        case .clearFilter:
            let filtered: Bool = !state.userFilter.isEmpty || state.statusFilter != nil || state.showHistory
            guard filtered || state.fromDay != nil || state.showsOnlyMine else { return [] }
            state.userFilter = ""
            state.statusFilter = nil
            state.showHistory = false
            state.fromDay = nil
            state.mineOnly = false
            say(&state, "Filters cleared: everyone's meetings from today")
            return queryChanged(&state)
        case .newMeeting:
            // A create in flight stays in flight: its answer still lands in this form.
            state.screen = .form
            if state.form.map({ $0.isBlank && !$0.inFlight }) ?? true {
                // Nothing typed in this process: a draft from an earlier run may be on disk.
                state.form = MeetingForm(me: state.me)
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
            state.fromDay = nil
            say(&state, state.showHistory ? "Showing every date, past included" : "Showing from today on")
            return queryChanged(&state)
        case .cycleStatus:
            let cycle: [MeetingStatus?] = [nil] + MeetingStatus.documented.map { Optional($0) }
            let i = cycle.firstIndex(where: { $0 == state.statusFilter }) ?? 0
            state.statusFilter = cycle[(i + 1) % cycle.count]
            return queryChanged(&state)
        case .copyProspect: return copyRequest(&state, .prospect, id: state.selectedMeeting?.id)
        case .copyPresenter: return copyRequest(&state, .presenter, id: state.selectedMeeting?.id)
        case .openProspect: return openRequest(&state, .prospect, id: state.selectedMeeting?.id)
        case .openPresenter: return openRequest(&state, .presenter, id: state.selectedMeeting?.id)
        case .duplicate: return duplicateRequest(&state, id: state.selectedMeeting?.id)
        case .copyInvitation: return invitationRequest(&state, id: state.selectedMeeting?.id)
        case .nextTheme: nextTheme(&state)
        case .help: state.showHelp = true
        case .nextPage: pageAgenda(&state, down: true)
        case .previousPage: pageAgenda(&state, down: false)
        case .jumpToNow: return jumpToNow(&state)
        case .goToDate: state.dateInput = TextField("")
        case .toggleMine:
            guard let me = state.me, !me.isEmpty else {
                say(&state, "Who is me? Set me = \"you@example.com\" in the config, or pass --me", error: true, seconds: 8)
                return []
            }
            state.mineOnly = !state.showsOnlyMine
            state.userFilter = ""
            say(&state, state.mineOnly ? "Only my meetings (\(SafeText.escape(me)))" : "Everyone's meetings")
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
            let text = input.text.trimmed
            guard text != state.userFilter else { return [] }
            state.userFilter = text
            return queryChanged(&state)
        case .escape:
            state.filterInput = nil
            return []
        default:
            if let edit = TextField.edit(for: key) { input.apply(edit) }
        }
        state.filterInput = input
        return []
    }

    /// The `:` line: a date as the form reads it, then Enter goes there.
    static func dateKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var input = state.dateInput else { return [] }
        switch key {
        case .enter:
            let text = input.text.trimmed
            guard !text.isEmpty else { state.dateInput = nil; return [] }
            switch DateInput.parse(text, now: state.now, zone: state.timeZone) {
            case .success(let date):
                state.dateInput = nil
                say(&state, "Going to \(LocalTime.startText(date.date, zone: state.timeZone))")
                return goToDate(&state, date.date)
            case .failure(let failure):
                // The typed text stays, to be fixed.
                say(&state, "\(failure.message) (\(DateInput.examples))", error: true, seconds: 10)
                return []
            }
        case .escape:
            state.dateInput = nil
            return []
        default:
            if let edit = TextField.edit(for: key) { input.apply(edit) }
        }
        state.dateInput = input
        return []
    }

    static func detailCommand(_ state: inout AppState, _ command: Command) -> [Effect] {
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
        case .openProspect: return openRequest(&state, .prospect, id: state.detailID)
        case .openPresenter: return openRequest(&state, .presenter, id: state.detailID)
        case .duplicate: return duplicateRequest(&state, id: state.detailID)
        case .copyInvitation: return invitationRequest(&state, id: state.detailID)
        case .nextTheme: nextTheme(&state)
        case .help: state.showHelp = true
        default: break
        }
        clampDetail(&state)
        return []
    }
}
