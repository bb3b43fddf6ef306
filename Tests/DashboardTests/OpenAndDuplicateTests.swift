import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

@Suite("Open room URLs and duplicate")
struct OpenAndDuplicateTests {
    func withOpener(_ o: Opener, meetings: Int = 3) -> AppState {
        var s = makeState(meetings: meetings)
        s.opener = o
        return s
    }

    @Test func oAndOOpenTheRoomURLsFetchingTheDetailFirst() {
        var s = withOpener(.command(["/usr/bin/my-browser", "--new-tab"]))
        let m = s.meetings[0]
        #expect(press(&s, .char("o")) == [.fetchDetail(id: m.id, purpose: .open(.prospect))])
        let fx = reduce(&s, .detailLoaded(detail(of: m), purpose: .open(.prospect)))
        #expect(fx == [.openURL(argv: ["/usr/bin/my-browser", "--new-tab", "http://127.0.0.1/essai/room/\(m.id)"], url: "http://127.0.0.1/essai/room/\(m.id)", link: .prospect)])
        #expect(s.screen == .list)
        // The detail is known now: O opens at once.
        #expect(press(&s, .char("O")) == [.openURL(argv: ["/usr/bin/my-browser", "--new-tab", "http://127.0.0.1/essai/presenter/\(m.id)"], url: "http://127.0.0.1/essai/presenter/\(m.id)", link: .presenter)])
        // The same keys on the detail screen.
        press(&s, .enter)
        #expect(s.screen == .detail)
        #expect(press(&s, .char("o")).first == .openURL(argv: ["/usr/bin/my-browser", "--new-tab", "http://127.0.0.1/essai/room/\(m.id)"], url: "http://127.0.0.1/essai/room/\(m.id)", link: .prospect))
    }

    @Test func overSSHWithoutADisplayItSaysSoAndCopies() {
        var s = withOpener(.unavailable(.overSSHWithoutDisplay))
        let m = s.meetings[0]
        s.details[m.id] = detail(of: m)
        let why = "No display over ssh to open a browser"
        #expect(press(&s, .char("o")) == [.copy(text: "http://127.0.0.1/essai/room/\(m.id)", label: "prospect room URL", because: why)])
        #expect(s.message?.text == "\(why): copying the prospect room URL…")
    }

    @Test func withNoBrowserProgramTheURLIsShownAndCopiedAndWhySaid() {
        var s = withOpener(.unavailable(.noProgram))
        let m = s.meetings[0]
        s.details[m.id] = detail(of: m)
        let url = "http://127.0.0.1/essai/room/\(m.id)"
        let why = "No browser (no $BROWSER, no xdg-open)"
        #expect(press(&s, .char("o")) == [.copy(text: url, label: "prospect room URL", because: why)])
        _ = reduce(&s, .copyFinished(label: "prospect room URL", text: url, .confirmed(by: "tmux buffer"), because: why))
        #expect(s.message?.text == "\(why): copied prospect room URL (tmux buffer): \(url)")
        _ = reduce(&s, .copyFinished(label: "prospect room URL", text: url, .failed("xclip: exited 1"), because: why))
        #expect(s.message?.text == "\(why); copy failed too (xclip: exited 1): \(url)")
        #expect(s.message?.isError == true)
        // With copying off, the URL is shown all the same.
        s.clipboardMode = .off
        #expect(press(&s, .char("o")).isEmpty)
        #expect(s.message?.text == "\(why): prospect room URL: \(url)")
    }

    @Test func onlyWebAddressesAreOpened() {
        var s = withOpener(.command(["xdg-open"]))
        let m = s.meetings[0]
        var d = detail(of: m)
        d.prospectRoomURL = "file:///etc/passwd"
        d.presenterRoomURL = "http://x/\u{1B}]0;t\u{07}"
        s.details[m.id] = d
        #expect(press(&s, .char("o")).isEmpty)
        #expect(s.message?.isError == true)
        #expect(press(&s, .char("O")).isEmpty)
        #expect(s.message?.text.contains("\\x1b") == true)
    }

    @Test func aBrowserThatFailsToStartHasTheURLCopiedInstead() {
        var s = withOpener(.command(["xdg-open"]))
        let url = "http://127.0.0.1/essai/room/1"
        let fx = reduce(&s, .openFailed("cannot run xdg-open: No such file or directory", url: url, link: .presenter))
        let why = "Could not open a browser (cannot run xdg-open: No such file or directory)"
        #expect(fx == [.copy(text: url, label: "presenter room URL", because: why)])
        _ = reduce(&s, .copyFinished(label: "presenter room URL", text: url, .sent, because: why))
        #expect(s.message?.text == "\(why): sent presenter room URL to the terminal's clipboard (OSC 52): \(url)")
    }

    @Test func theOpenerComesFromTheEnvironment() {
        func detect(_ env: [String: String], xdgOpen: Bool = true) -> Opener {
            Opener.detect(environment: env) { $0 == "xdg-open" && xdgOpen }
        }
        #expect(detect(["BROWSER": "firefox"]) == .command(["firefox"]))
        #expect(detect(["BROWSER": "w3m -N %s:lynx"]).argv(for: "http://a") == ["w3m", "-N", "http://a"])
        #expect(detect([:]) == .command(["xdg-open"]))
        #expect(detect([:], xdgOpen: false) == .unavailable(.noProgram))
        #expect(detect(["BROWSER": "firefox"], xdgOpen: false) == .command(["firefox"]))
        #expect(detect(["SSH_CONNECTION": "1 2 3 4"]) == .unavailable(.overSSHWithoutDisplay))
        #expect(detect(["SSH_TTY": "/dev/pts/1", "DISPLAY": "localhost:10.0"]) == .command(["xdg-open"]))
        #expect(detect(["SSH_CONNECTION": "1 2 3 4", "BROWSER": "echo"]) == .command(["echo"]))
    }

    @Test func cDuplicatesIntoTheFormWithTheStartEmptyAndFocused() {
        var s = makeState(meetings: 3)
        let m = s.meetings[1]
        press(&s, .char("j"))
        #expect(press(&s, .char("c")) == [.fetchDetail(id: m.id, purpose: .duplicate)])
        var d = detail(of: m)
        d.cookies = [Cookie(domain: ".example.com", name: "sid", value: "abc")]
        d.customData = .object(["user_id": .int(17), "url": .string("https://a/b")])
        d.presenterWaitingRoomIframeURL = "https://www.youtube.com/embed/x"
        _ = reduce(&s, .detailLoaded(d, purpose: .duplicate))
        #expect(s.screen == .form)
        let f = try! #require(s.form)
        #expect(f.user.text == m.user)
        #expect(f.startsAt.text == "")
        #expect(f.focus == .startsAt)
        #expect(f.cobrowsingURL.text == "https://www.example.com")
        #expect(f.cookies.count == 1 && f.cookies[0].value.text == "abc" && f.cookies[0].domain.text == ".example.com")
        #expect(f.customData.text == #"{"url":"https://a/b","user_id":17}"#)
        #expect(f.presenterIframe.text == "https://www.youtube.com/embed/x")
        #expect(f.prospectIframe.text == "")
        // Typing goes into the start time, and the copy submits.
        type(&s, "in 2h")
        let fx = press(&s, .ctrl("s"))
        guard case .create(let new)? = fx.first else { Issue.record("no create: \(fx)"); return }
        #expect(new.user == m.user)
        #expect(new.cookies.count == 1)
    }

    @Test func cOnTheDetailScreenToo() {
        var s = makeState(meetings: 2)
        let m = s.meetings[0]
        press(&s, .enter)
        _ = reduce(&s, .detailLoaded(detail(of: m), purpose: .show))
        #expect(press(&s, .char("c")).isEmpty)
        #expect(s.screen == .form && s.form?.focus == .startsAt)
    }

    @Test func theNewKeysAreKeymapActions() {
        let k = Keymap.standard
        for ctx in [KeyContext.list, .detail] {
            #expect(k.command(for: .char("o"), in: ctx) == .openProspect)
            #expect(k.command(for: .char("O"), in: ctx) == .openPresenter)
            #expect(k.command(for: .char("c"), in: ctx) == .duplicate)
        }
        #expect(k.command(for: .char("c"), in: .form) == nil, "c types in the form")
    }
}
