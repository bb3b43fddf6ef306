import Dashboard
import Foundation
import Testing

@Suite("Clipboard: modes, routes, sequences, messages")
struct ClipboardTests {
    @Test func modesParseFromConfigText() {
        #expect(ClipboardMode(parsing: "auto") == .auto)
        #expect(ClipboardMode(parsing: " OSC52 ") == .osc52)
        #expect(ClipboardMode(parsing: "tmux") == .tmux)
        #expect(ClipboardMode(parsing: "Screen") == .screen)
        #expect(ClipboardMode(parsing: "off") == .off)
        #expect(ClipboardMode(parsing: "command:xclip -selection clipboard") == .command("xclip -selection clipboard"))
        #expect(ClipboardMode(parsing: "COMMAND: /opt/bin/copy 'a b'") == .command("/opt/bin/copy 'a b'"))
        #expect(ClipboardMode(parsing: "command:") == nil)
        #expect(ClipboardMode(parsing: "command:   ") == nil)
        #expect(ClipboardMode(parsing: "xclip") == nil)
        #expect(ClipboardMode(parsing: "") == nil)
    }

    @Test func commandProgramsRunInTheShellNamedByTheirFirstWord() {
        let p = ClipboardProgram.shell("/usr/local/bin/wl-copy --trim-newline")
        #expect(p.arguments == ["/bin/sh", "-c", "/usr/local/bin/wl-copy --trim-newline"])
        #expect(p.name == "wl-copy")
        #expect(ClipboardProgram.shell("pbcopy").name == "pbcopy")
    }

    func route(_ env: [String: String], mode: ClipboardMode = .auto, have: Set<String> = []) -> ClipboardRoute {
        ClipboardRoute.choose(mode: mode, environment: env) { have.contains($0) }
    }

    static let xclip = ClipboardRoute.program(ClipboardProgram(arguments: ["xclip", "-selection", "clipboard"], name: "xclip"))

    @Test func autoPicksWhatWorksWhereItRuns() {
        let all: Set = ["wl-copy", "xclip", "xsel", "pbcopy"]
        // tmux first, also with a display and inside screen (load-buffer reaches tmux by its socket).
        #expect(route(["TMUX": "/tmp/tmux-0/default,1,0", "DISPLAY": ":0"], have: all) == .tmuxBuffer)
        #expect(route(["TMUX": "/tmp/tmux-0/default,1,0", "STY": "12.pts-0.host"]) == .tmuxBuffer)
        #expect(route(["STY": "12.pts-0.host", "DISPLAY": ":0"], have: all) == .terminal(.screen))
        // A local graphical session: Wayland first, then X.
        #expect(route(["WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"], have: all)
            == .program(ClipboardProgram(arguments: ["wl-copy"], name: "wl-copy")))
        #expect(route(["WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"], have: ["xclip"]) == Self.xclip)
        #expect(route(["DISPLAY": ":0"], have: all) == Self.xclip)
        #expect(route(["DISPLAY": ":0"], have: ["xsel"])
            == .program(ClipboardProgram(arguments: ["xsel", "--clipboard", "--input"], name: "xsel")))
        // No program: OSC 52.
        #expect(route(["DISPLAY": ":0"]) == .terminal(.plain))
        #expect(route(["WAYLAND_DISPLAY": "wayland-0"], have: ["xclip"]) == .terminal(.plain))
        // Over ssh (X forwarding sets DISPLAY too): the clipboard that matters is the user's, through the terminal.
        #expect(route(["DISPLAY": "localhost:10.0", "SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"], have: all) == .terminal(.plain))
        // Empty variables count as unset.
        #expect(route(["TMUX": "", "STY": "", "DISPLAY": ""], have: all) == .terminal(.plain))
        #expect(route([:]) == .terminal(.plain))
    }

    @Test func explicitModesIgnoreWhereItRuns() {
        let env = ["TMUX": "/tmp/tmux-0/default,1,0", "DISPLAY": ":0"]
        #expect(route(env, mode: .osc52, have: ["xclip"]) == .terminal(.plain))
        #expect(route(env, mode: .tmux) == .terminal(.tmux))
        #expect(route(env, mode: .screen) == .terminal(.screen))
        #expect(route(env, mode: .off) == ClipboardRoute.none)
        #expect(route(env, mode: .command("my-copy --x")) == .program(.shell("my-copy --x")))
    }

    @Test func tmuxVersionsThatForwardTheirBuffer() {
        for v in ["tmux 3.2", "tmux 3.2a", "tmux 3.3a", "tmux 3.4", "tmux 3.5a", "tmux 10.0", "tmux next-3.6", "tmux master", "tmux 3.2-rc2"] {
            #expect(ClipboardRoute.tmuxCanForwardBuffer(versionOutput: v + "\n"), "\(v)")
        }
        for v in ["tmux 3.1c", "tmux 3.0a", "tmux 2.9", "tmux 1.8", "", "screen 4.9", "tmux", "tmux ?"] {
            #expect(!ClipboardRoute.tmuxCanForwardBuffer(versionOutput: v), "\(v)")
        }
    }

    @Test func osc52Envelopes() {
        let b64 = Data("https://x.example/r".utf8).base64EncodedString()
        #expect(OSC52.sequence(for: "https://x.example/r", envelope: .plain) == "\u{1B}]52;c;\(b64)\u{07}")
        #expect(OSC52.sequence(for: "https://x.example/r", envelope: .tmux) == "\u{1B}Ptmux;\u{1B}\u{1B}]52;c;\(b64)\u{07}\u{1B}\\")
        #expect(OSC52.sequence(for: "https://x.example/r", envelope: .screen) == "\u{1B}P\u{1B}]52;c;\(b64)\u{07}\u{1B}\\")
    }

    @Test func longTextIsOneLineOfBase64() {
        for envelope in [OSC52.Envelope.plain, .tmux, .screen] {
            let s = OSC52.sequence(for: String(repeating: "https://x/", count: 200), envelope: envelope)
            #expect(!s.contains("\n") && !s.contains("\r"))
        }
    }

    @Test(arguments: [0, 1, 500, 570, 571, 572, 2000, 10_000])
    func screenChunksStayWithinScreensLimit(_ length: Int) {
        let text = String(repeating: "é/x", count: length / 3 + 1).prefix(length)
        let seq = OSC52.sequence(for: String(text), envelope: .screen)
        let plain = OSC52.sequence(for: String(text), envelope: .plain)
        // Cut the output back into its DCS strings.
        var chunks: [Substring] = []
        var rest = Substring(seq)
        while !rest.isEmpty {
            #expect(rest.hasPrefix("\u{1B}P"))
            guard let end = rest.range(of: "\u{1B}\\") else { Issue.record("unterminated chunk"); return }
            chunks.append(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        for c in chunks {
            #expect(c.utf8.count + 4 <= OSC52.screenChunkLimit)
            #expect(!c.contains("\u{1B}\\"))
        }
        #expect(chunks.joined() == plain, "screen writes the contents one after the other: the plain sequence")
        #expect(chunks.count == (plain.utf8.count + 763) / 764)
    }

    // MARK: - Messages

    func copied(_ outcome: CopyOutcome) -> AppState {
        var s = makeState(meetings: 1)
        press(&s, .char("y"))
        _ = reduce(&s, .copyFinished(label: "prospect room URL", text: "http://127.0.0.1/essai/room/1", outcome))
        return s
    }

    @Test func aConfirmedCopyNamesWhatConfirmedIt() {
        let s = copied(.confirmed(by: "tmux buffer"))
        #expect(s.message?.text == "Copied prospect room URL (tmux buffer)")
        #expect(s.message?.isError == false)
        #expect(copied(.confirmed(by: "xclip")).message?.text == "Copied prospect room URL (xclip)")
    }

    @Test func osc52OnlySaysItWasSent() {
        let s = copied(.sent)
        #expect(s.message?.text == "Sent prospect room URL to the terminal's clipboard (OSC 52)")
        #expect(s.message?.isError == false)
    }

    @Test func aFailedCopyShowsTheURLForALongWhile() {
        let s = copied(.failed("xclip: exited 1: Error: Can't open display: :0"))
        #expect(s.message?.text == "Copy failed: http://127.0.0.1/essai/room/1 (xclip: exited 1: Error: Can't open display: :0)")
        #expect(s.message?.isError == true)
        #expect((s.message?.expires.timeIntervalSince(s.now) ?? 0) >= 60)
    }

    @Test func offModeShowsTheURL() {
        var s = makeState(meetings: 1, clipboard: .off)
        s.details[s.meetings[0].id] = detail(of: s.meetings[0])
        #expect(press(&s, .char("Y")).isEmpty)
        #expect(s.message?.text == "Presenter room URL: http://127.0.0.1/essai/presenter/\(s.meetings[0].id)")
    }
}
