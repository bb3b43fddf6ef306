import CoClickAPI
import CoClickSimulator
import Dashboard
import Foundation
import TerminalText
import Testing
@testable import TerminalUI

/// Scalars that must never reach the terminal raw: C0, DEL, C1, bidi controls.
func unsafeScalars(_ s: String) -> [Unicode.Scalar] {
    s.unicodeScalars.filter { $0 != "\n" && SafeText.needsEscape($0) }
}

/// Everything the backend would send for a buffer, cell by cell, is safe, and
/// every cell's width is the width of its text.
func expectDrawable(_ buf: CellBuffer, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for y in 0..<buf.height {
        for x in 0..<buf.width {
            let cell = buf[x, y]
            if cell.isContinuation { continue }
            let sent = NcursesBackend.drawable(cell.text)
            let bad = sent.filter { SafeText.needsEscape($0) }
            #expect(bad.isEmpty, "\(context): raw \(bad.map { String($0.value, radix: 16) }) at \(x),\(y)", sourceLocation: sourceLocation)
            if let ch = cell.text.first {
                #expect(TextWidth.width(ch) == Int(cell.width), "\(context): width of '\(cell.text)' at \(x),\(y)", sourceLocation: sourceLocation)
            }
            if cell.width == 2 {
                #expect(x + 1 < buf.width && buf[x + 1, y].isContinuation, "\(context): wide cell without continuation at \(x),\(y)",
                        sourceLocation: sourceLocation)
            }
        }
    }
    #expect(unsafeScalars(buf.text).isEmpty, "\(context): unsafe text\n\(buf.text)", sourceLocation: sourceLocation)
}

/// The column (in cells) where `needle` starts on row `y`, or nil.
func column(of needle: String, in buf: CellBuffer, row y: Int) -> Int? {
    for x in 0..<buf.width where !buf[x, y].isContinuation {
        var s = ""
        var cx = x
        while cx < buf.width, s.count < needle.count {
            s += buf[cx, y].text
            cx += 1
        }
        if s.hasPrefix(needle) { return x }
    }
    return nil
}

/// The hostile fixture, fetched from the real simulator over loopback with
/// the real client, rendered on every screen.
@Suite("Hostile server data on screen")
struct HostileDataTests {
    struct Loaded {
        var list: [Meeting]
        var details: [Meeting]
    }

    static func load() async throws -> Loaded {
        let sim = Simulator(options: SimulatorOptions(fixture: .hostile))
        let url = try await sim.start()
        do {
            let client = CoClickClient(configuration: ClientConfiguration(baseURL: url, credentials: Simulator.demoCredentials))
            let list = try await client.meetings(MeetingQuery(per: 100)).meetings
            var details: [Meeting] = []
            for m in list { details.append(try await client.meeting(id: m.id)) }
            await sim.stop()
            return Loaded(list: list, details: details)
        } catch {
            await sim.stop()
            throw error
        }
    }

    func state(_ data: Loaded, width: Int, height: Int) -> AppState {
        var s = AppState(settings: DashboardSettings(clipboardMode: .auto, apiDescription: "demo", keymap: .standard),
                         themeNames: ["default"], now: Date(), timeZone: TimeZone(identifier: "Asia/Tokyo")!, width: width, height: height)
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: data.list, page: 1, per: 100),
                                   company: "Evil\u{1B}]0;pwned\u{07} Corp\u{202E}", at: Date()))
        return s
    }

    static func isHostile(_ m: Meeting) -> Bool {
        let strings = [m.user, m.cobrowsingURL, m.presenterWaitingRoomIframeURL].compactMap { $0 }
            + (m.cookies ?? []).flatMap { [$0.domain, $0.name, $0.value] }
            + [m.customData?.prettyText() ?? ""]
        return strings.contains { $0.unicodeScalars.contains { SafeText.needsEscape($0) || $0.value > 0x2FF } }
    }

    @Test(arguments: [(120, 40), (80, 24), (56, 14), (40, 10)])
    func listShowsEscapesAndKeepsColumnsAligned(_ w: Int, _ h: Int) async throws {
        let data = try await Self.load()
        #expect(data.list.contains { $0.user?.contains("\u{1B}") == true }, "the fixture is not hostile")
        var s = state(data, width: w, height: h)
        var seen = ""
        // Walk the whole list, a screen at a time.
        for _ in 0..<(data.list.count / max(1, s.listVisibleRows) + 2) {
            let buf = Screens.render(s)
            expectDrawable(buf, "list \(w)x\(h)")
            seen += buf.text
            if w >= 56 {
                // The ID column starts at the same cell on every row, whatever the owner holds.
                let idX = column(of: "ID", in: buf, row: 2)
                #expect(idX != nil)
                let rows = s.agendaRows
                for i in 0..<s.listVisibleRows where s.listScroll + i < rows.count {
                    guard let index = rows[s.listScroll + i].meetingIndex else { continue }
                    let m = s.meetings[index]
                    #expect(column(of: m.shortID, in: buf, row: 3 + i) == idX, "row \(3 + i): \(buf.line(3 + i))")
                }
            }
            _ = reduce(&s, .key(.pageDown))
        }
        #expect(seen.contains("\\x1b"))
        if w >= 80 {
            #expect(seen.contains("evil\\x1b[2J"))
            #expect(seen.contains("\\u202emoc.elpmaxe"))
            #expect(seen.contains("日本語ユーザー"))
        }
    }

    @Test(arguments: [(120, 40), (80, 24), (40, 10)])
    func everyHostileDetailIsEscaped(_ w: Int, _ h: Int) async throws {
        let data = try await Self.load()
        var s = state(data, width: w, height: h)
        var all = ""
        var hostile = 0
        for (i, d) in data.details.enumerated() where Self.isHostile(d) {
            hostile += 1
            s.selected = i
            _ = reduce(&s, .key(.enter))
            _ = reduce(&s, .detailLoaded(d, purpose: .show))
            // Scroll to the end, a line at a time, checking every frame.
            var last = ""
            for _ in 0..<400 {
                let buf = Screens.render(s)
                expectDrawable(buf, "detail of \(d.shortID) at \(w)x\(h)")
                all += buf.text
                if buf.text == last { break }
                last = buf.text
                _ = reduce(&s, .key(.char("j")))
            }
            _ = reduce(&s, .key(.escape))
        }
        #expect(hostile >= 6)
        guard w >= 80 else { return }
        #expect(all.contains("\\x1b]52;c;aGFja2Vk\\x07"), "the OSC 52 payload is shown escaped")
        #expect(all.contains("\\u2066"))
        #expect(all.contains("\\u009b"))
        #expect(all.contains("\\x7f"))
    }

    @Test func serverErrorsFooterAndMessagesAreEscaped() async throws {
        let data = try await Self.load()
        let osc52 = "\u{1B}]52;c;aGFja2Vk\u{07}"
        var s = state(data, width: 100, height: 30)

        // Footer: the last error, from a server message.
        _ = reduce(&s, .pollDue)
        _ = reduce(&s, .listFailed(query: s.query, error: .badRequest("bad \(osc52) \u{202E}x"), at: Date()))
        _ = reduce(&s, .pollDue)
        _ = reduce(&s, .listFailed(query: s.query, error: .offline("\u{9B}2J\(osc52)"), at: Date()))
        var buf = Screens.render(s)
        expectDrawable(buf, "footer")
        #expect(buf.line(29).contains("\\u009b2J"))

        // A transient message quoting the server (a failed copy).
        _ = reduce(&s, .detailFailed(id: data.list[0].id, error: .notFound("meeting \(osc52)"), purpose: .copy(.prospect)))
        buf = Screens.render(s)
        expectDrawable(buf, "copy failure message")
        #expect(buf.line(28).contains("\\x1b]52"))

        // A room URL with control characters is never copied (pasted, they
        // would act on a terminal): the footer shows it escaped, in every mode.
        var evil = data.details[0]
        evil.prospectRoomURL = "https://example.com/room/\(osc52)\u{202E}"
        for mode in [ClipboardMode.off, .auto, .osc52, .command("cat")] {
            var t = s
            t.clipboardMode = mode
            let effects = reduce(&t, .detailLoaded(evil, purpose: .copy(.prospect)))
            #expect(effects.isEmpty, "\(mode)")
            buf = Screens.render(t)
            expectDrawable(buf, "copy refusal \(mode)")
            #expect(buf.line(28).contains("\\x1b]52"))
        }
        // A failed copy shows the URL, escaped.
        _ = reduce(&s, .copyFinished(label: "prospect room URL", text: "https://example.com/\(osc52)", .failed("xclip: exited 1: \(osc52)")))
        buf = Screens.render(s)
        expectDrawable(buf, "copy failure with the URL")
        #expect(buf.line(28).contains("Copy failed: https://example.com/\\x1b]52"))
        // OSC 52 itself: only base64 between the delimiters, in every envelope.
        for envelope in [OSC52.Envelope.plain, .tmux, .screen] {
            let seq = OSC52.sequence(for: "https://example.com/\(osc52)\u{202E}", envelope: envelope)
            let body = seq.split(separator: "]52;c;", maxSplits: 1).last.map(String.init) ?? ""
            let base64 = body.prefix { $0 != "\u{07}" && $0 != "\u{1B}" }
            #expect(unsafeScalars(String(base64)).isEmpty, "only base64 between the OSC 52 delimiters")
        }

        // Form: server errors for known and unknown fields, and a failure line.
        _ = reduce(&s, .key(.char("n")))
        s.form?.inFlight = true
        _ = reduce(&s, .createFailed(.validation(ValidationErrors([
            "user": ["\u{1B}[2J gone \u{202E}"],
            "x\(osc52)": ["\u{85}\u{9D}0;t\u{9C}"],
        ]))))
        buf = Screens.render(s)
        expectDrawable(buf, "form server errors")
        #expect(buf.text.contains("✗ server: \\x1b[2J gone \\u202e"))
        #expect(buf.text.contains("x\\x1b]52;c;aGFja2Vk\\x07: \\u0085\\u009d0;t\\u009c"))
        s.form?.inFlight = true
        _ = reduce(&s, .createFailed(.badRequest("\(osc52)")))
        buf = Screens.render(s)
        expectDrawable(buf, "form failure")

        // An unknown status word from the server, in list and detail.
        var odd = data.details[0]
        odd.status = .other("live\u{1B}[5m\u{202E}")
        _ = reduce(&s, .key(.escape))
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: [odd], page: 1, per: 100), company: nil, at: Date()))
        buf = Screens.render(s)
        expectDrawable(buf, "unknown status in the list")
        _ = reduce(&s, .key(.enter))
        _ = reduce(&s, .detailLoaded(odd, purpose: .show))
        buf = Screens.render(s)
        expectDrawable(buf, "unknown status in the detail")
        #expect(buf.text.contains("live\\x1b[5m\\u202e"))
    }
}
