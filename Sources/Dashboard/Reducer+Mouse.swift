import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Reducer {
    /// Two presses on the same thing within this many seconds open it.
    static let doubleClickSeconds: TimeInterval = 0.4
    /// Rows (or lines) one wheel notch moves.
    static let wheelStep = 3

    /// Clicks and the wheel. Where things are comes from the screen that was
    /// drawn (`target`), never from geometry worked out here.
    static func mouse(_ state: inout AppState, _ event: MouseEvent, _ target: MouseTarget?) -> [Effect] {
        guard state.mouseEnabled else { return [] }
        let now = state.now.timeIntervalSinceReferenceDate
        if state.showHelp {
            switch event.kind {
            case .wheelDown: return scrollHelp(&state, by: wheelStep)
            case .wheelUp: return scrollHelp(&state, by: -wheelStep)
            case .press:
                state.showHelp = false
                state.helpScroll = 0
            default: break
            }
            return []
        }
        switch state.screen {
        case .list:
            guard state.filterInput == nil else { return [] }
            switch event.kind {
            case .wheelDown: moveSelection(&state, to: state.selected + wheelStep)
            case .wheelUp: moveSelection(&state, to: state.selected - wheelStep)
            case .press(button: 0):
                guard case .meeting(let i)? = target, state.meetings.indices.contains(i) else {
                    state.lastClick = nil
                    return []
                }
                let double = isDoubleClick(state, on: .meeting(i), at: now)
                moveSelection(&state, to: i)
                if double {
                    state.lastClick = nil
                    return run(&state, command: .open, in: .list)
                }
                state.lastClick = LastClick(target: .meeting(i), at: now)
            default: break
            }
        case .detail:
            switch event.kind {
            case .wheelDown: state.detailScroll += wheelStep
            case .wheelUp: state.detailScroll -= wheelStep
            default: break
            }
            clampDetail(&state)
        case .form:
            guard var form = state.form else { return [] }
            // A click or wheel is no "y": a pending question is answered no.
            form.confirmation = nil
            switch event.kind {
            case .wheelDown: form.moveFocus(by: 1)
            case .wheelUp: form.moveFocus(by: -1)
            case .press(button: 0):
                guard case .field(let f)? = target else { state.form = form; return [] }
                form.focus = f
                state.form = form
                // A button is pressed by a click, as everywhere else.
                if f == .submit { return run(&state, command: .submit, in: .form) }
                return []
            default: break
            }
            state.form = form
        }
        return []
    }

    static func isDoubleClick(_ state: AppState, on target: MouseTarget, at now: TimeInterval) -> Bool {
        guard let last = state.lastClick, last.target == target else { return false }
        return now - last.at >= 0 && now - last.at <= doubleClickSeconds
    }

    static func scrollHelp(_ state: inout AppState, by delta: Int) -> [Effect] {
        let total = state.helpLines.count
        let maxScroll = max(0, total - state.geometry.helpRows(lineCount: total))
        state.helpScroll = min(maxScroll, max(0, state.helpScroll + delta))
        return []
    }
}

extension AppState {
    /// The help overlay's lines: the keys as configured, then any configuration problems.
    public var helpLines: [[Span]] { HelpView.lines(keymap, problems: startupProblems, charset: charset) }
}
