import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

@Suite("Mouse")
struct MouseReducerTests {
    func click(_ s: inout AppState, _ target: MouseTarget?, after seconds: TimeInterval = 1, x: Int = 5, y: Int = 5) -> [Effect] {
        s.now = s.now.addingTimeInterval(seconds)
        var fx = reduce(&s, .mouse(MouseEvent(.press(button: 0), x: x, y: y), target: target))
        fx += reduce(&s, .mouse(MouseEvent(.release, x: x, y: y), target: target))
        return fx
    }

    @Test func aClickSelectsTheRow() {
        var s = makeState(meetings: 10)
        let fx = click(&s, .meeting(4))
        #expect(fx.isEmpty)
        #expect(s.selected == 4 && s.selectedID == s.meetings[4].id)
        #expect(s.screen == .list)
    }

    @Test func aDoubleClickOpensIt() {
        var s = makeState(meetings: 10)
        _ = click(&s, .meeting(4))
        let fx = click(&s, .meeting(4), after: 0.25)
        #expect(s.screen == .detail)
        #expect(s.detailID == s.meetings[4].id)
        #expect(fx == [.fetchDetail(id: s.meetings[4].id, purpose: .show)])
    }

    @Test func aKeyBetweenTwoQuickClicksMakesThemTwoClicks() {
        var s = makeState(meetings: 10)
        _ = click(&s, .meeting(4))
        _ = reduce(&s, .key(.char("j")))
        _ = click(&s, .meeting(4), after: 0.1)
        #expect(s.screen == .list && s.selected == 4)
    }

    @Test func slowOrDifferentSecondClicksOnlySelect() {
        var s = makeState(meetings: 10)
        _ = click(&s, .meeting(4))
        _ = click(&s, .meeting(4), after: 0.9)
        #expect(s.screen == .list)
        _ = click(&s, .meeting(5), after: 0.1)
        #expect(s.screen == .list && s.selected == 5)
        // A click on nothing (the header) forgets the last one.
        _ = click(&s, nil, after: 0.1)
        _ = click(&s, .meeting(5), after: 0.1)
        #expect(s.screen == .list)
    }

    @Test func theWheelScrolls() {
        var s = makeState(meetings: 40, height: 24)
        _ = reduce(&s, .mouse(MouseEvent(.wheelDown, x: 3, y: 5), target: .meeting(2)))
        #expect(s.selected == 3)
        for _ in 0..<10 { _ = reduce(&s, .mouse(MouseEvent(.wheelDown, x: 3, y: 5), target: nil)) }
        #expect(s.selected == 33)
        #expect(s.listScroll > 0, "the list scrolls with the selection")
        _ = reduce(&s, .mouse(MouseEvent(.wheelUp, x: 3, y: 5), target: nil))
        #expect(s.selected == 30)
    }

    @Test func theWheelScrollsTheDetailAndTheHelp() {
        var s = makeState(meetings: 3, height: 12)
        press(&s, .enter)
        _ = reduce(&s, .detailLoaded(detail(of: s.meetings[0]), purpose: .show))
        _ = reduce(&s, .mouse(MouseEvent(.wheelDown, x: 3, y: 5), target: nil))
        #expect(s.detailScroll == 3)
        _ = reduce(&s, .mouse(MouseEvent(.wheelUp, x: 3, y: 5), target: nil))
        #expect(s.detailScroll == 0)

        press(&s, .char("?"))
        _ = reduce(&s, .mouse(MouseEvent(.wheelDown, x: 3, y: 5), target: nil))
        #expect(s.helpScroll == 3)
        _ = click(&s, nil)
        #expect(!s.showHelp, "a click closes the help")
        #expect(s.screen == .detail)
    }

    @Test func aClickFocusesAFormFieldAndPressesTheButton() {
        var s = makeState(meetings: 3)
        press(&s, .char("n"))
        #expect(s.form?.focus == .user)
        _ = click(&s, .field(.cobrowsingURL))
        #expect(s.form?.focus == .cobrowsingURL)
        type(&s, "https://example.com/x")
        #expect(s.form?.cobrowsingURL.text == "https://example.com/x")
        _ = reduce(&s, .mouse(MouseEvent(.wheelDown, x: 3, y: 5), target: nil))
        #expect(s.form?.focus != .cobrowsingURL)
        // The button: a click submits (here the client checks stop it: no user yet).
        let fx = click(&s, .field(.submit))
        #expect(fx.isEmpty)
        #expect(s.form?.failure == .fixMarkedFields)
        #expect(s.form?.cobrowsingURL.text == "https://example.com/x")
    }

    /// The keymap without any key for `command` in `context`.
    func unbinding(_ command: Command, in context: KeyContext, from keymap: Keymap = .standard) -> Keymap {
        var bindings = keymap.bindings
        bindings[context] = bindings[context]?.filter { $0.command != command }
        return Keymap(bindings: bindings)
    }

    @Test func aClickRunsItsCommandWhetherOrNotAKeyIsBoundToIt() {
        // Clicks are not keys: they work with no key left for what they do.
        var s = makeState(meetings: 10)
        s.keymap = unbinding(.open, in: .list)
        _ = click(&s, .meeting(4))
        let fx = click(&s, .meeting(4), after: 0.25)
        #expect(s.screen == .detail && s.detailID == s.meetings[4].id)
        #expect(fx == [.fetchDetail(id: s.meetings[4].id, purpose: .show)])

        var f = makeState(meetings: 3)
        press(&f, .char("n"))
        f.keymap = unbinding(.submit, in: .form)
        #expect(click(&f, .field(.submit)).isEmpty)
        #expect(f.form?.failure == .fixMarkedFields)
    }

    @Test func mouseFalseTurnsItOff() {
        var s = AppState(settings: DashboardSettings(userThemeDirectory: nil, mouse: false),
                         themeNames: ["default"], now: fixedNow, timeZone: utc, width: 80, height: 24)
        let page = MeetingPage(meetings: (0..<10).map { meeting($0) }, page: 1, per: 20)
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: page, company: nil, at: fixedNow))
        let before = s.selected
        _ = click(&s, .meeting(7))
        _ = click(&s, .meeting(7), after: 0.1)
        _ = reduce(&s, .mouse(MouseEvent(.wheelDown, x: 3, y: 5), target: nil))
        #expect(s.selected == before)
        #expect(s.screen == .list)
    }

    @Test func sgrReportsDecode() {
        #expect(MouseEvent.sgr(button: 0, column: 10, row: 7, final: "M") == MouseEvent(.press(button: 0), x: 9, y: 6))
        #expect(MouseEvent.sgr(button: 0, column: 10, row: 7, final: "m") == MouseEvent(.release, x: 9, y: 6))
        #expect(MouseEvent.sgr(button: 2, column: 1, row: 1, final: "M") == MouseEvent(.press(button: 2), x: 0, y: 0))
        #expect(MouseEvent.sgr(button: 64, column: 300, row: 80, final: "M") == MouseEvent(.wheelUp, x: 299, y: 79))
        #expect(MouseEvent.sgr(button: 65, column: 3, row: 3, final: "M") == MouseEvent(.wheelDown, x: 2, y: 2))
        // Ctrl held (16) still a press; motion (32) is a drag.
        #expect(MouseEvent.sgr(button: 16, column: 3, row: 3, final: "M") == MouseEvent(.press(button: 0), x: 2, y: 2))
        #expect(MouseEvent.sgr(button: 32, column: 3, row: 3, final: "M") == MouseEvent(.drag, x: 2, y: 2))
        #expect(MouseEvent.sgr(button: 0, column: 0, row: 3, final: "M") == nil)
        #expect(MouseEvent.sgr(button: 66, column: 3, row: 3, final: "M") == nil)
    }
}
