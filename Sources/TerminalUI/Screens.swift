import CoClickAPI
import Dashboard
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// Draws the state into a buffer: pure, so every screen is snapshot-tested.
public enum Screens {
    public static func render(_ state: AppState) -> CellBuffer {
        var buf = CellBuffer(width: state.width, height: state.height, charset: state.charset)
        if state.geometry.isTooSmall {
            tooSmall(&buf, need: minimumSize, quit: state.keymap.keysText(.quit, in: .list))
            return buf
        }
        switch state.screen {
        case .list: list(&buf, state)
        case .detail: detail(&buf, state)
        case .form: form(&buf, state)
        }
        if state.showHelp {
            help(&buf, state)
            // Under the overlay nothing is clickable: a click closes it.
            for y in 0..<buf.height { buf.setTarget(nil, row: y) }
        }
        return buf
    }

    public static var minimumSize: (width: Int, height: Int) {
        (ScreenGeometry.minimumWidth, ScreenGeometry.minimumHeight)
    }

    static func tooSmall(_ buf: inout CellBuffer, need: (width: Int, height: Int), quit: String) {
        let lines = ["terminal too small", "(need \(need.width)x\(need.height),", "have \(buf.width)x\(buf.height))", "\(quit) quits"]
        let top = max(0, (buf.height - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            let x = max(0, (buf.width - TextWidth.width(l)) / 2)
            buf.write(l, x: x, y: top + i, role: i == 0 ? .warning : .normal)
        }
    }

    // MARK: Shared pieces

    static func header(_ buf: inout CellBuffer, _ left: String, right: String) {
        buf.fill(y: 0, role: .header)
        let rw = TextWidth.width(right)
        let room = buf.width - 1
        if rw + 2 < room - 10 {
            buf.write(right, x: buf.width - rw - 1, y: 0, role: .header)
            buf.write(left, x: 1, y: 0, maxWidth: room - rw - 2, role: .header)
        } else {
            buf.write(left, x: 1, y: 0, maxWidth: room, role: .header)
        }
    }

    /// The bottom two rows: a message or key hints, then the connection line.
    /// `question`: a yes/no question waiting for its answer, shown before anything else.
    static func footer(_ buf: inout CellBuffer, _ state: AppState, hints: [Hint], question: String? = nil) {
        let hintY = ScreenGeometry(width: buf.width, height: buf.height).hintRow
        buf.fill(y: hintY, role: .normal)
        if let question {
            buf.write(question, x: 1, y: hintY, maxWidth: buf.width - 2, role: .error)
        } else if let m = state.message {
            // Messages can quote the server (error texts, URLs): escaped here, whoever made them.
            buf.write(SafeText.escape(m.text), x: 1, y: hintY, maxWidth: buf.width - 2, role: m.isError ? .error : .message)
        } else {
            var spans: [Span] = []
            for hint in fitHints(hints, width: buf.width - 2) {
                spans += [Span(hint.keys, .key), Span(" " + hint.label + "  ", .dim)]
            }
            buf.write(spans, x: 1, y: hintY, maxWidth: buf.width - 2)
        }
        let y = ScreenGeometry(width: buf.width, height: buf.height).statusRow
        buf.fill(y: y, role: .footer)
        // The state in words (never colour alone), then the data's age and what happens next.
        let status = ConnectionStatus(state)
        var x = buf.write(" " + status.badge + " ", x: 0, y: y, role: state.connection == .ok ? .connectionOK : .connectionBad)
        x += buf.write(status.detail, x: x, y: y, maxWidth: buf.width - x, role: .footer)
        let right = "theme \(state.themeName) "
        if buf.width - x > TextWidth.width(right) + 2 {
            buf.write(right, x: buf.width - TextWidth.width(right), y: y, role: .footer)
        }
    }

    /// "j/k" as configured: the first key of each direction.
    static func scrollKeys(_ state: AppState, _ ctx: KeyContext) -> String {
        let down = state.keymap.bindings[ctx]?.first { $0.command == .moveDown }?.keys.first?.description ?? "↓"
        let up = state.keymap.bindings[ctx]?.first { $0.command == .moveUp }?.keys.first?.description ?? "↑"
        return down + "/" + up
    }

    /// A key hint in the footer: the command's keys as configured, and a word for it.
    struct Hint {
        let command: Command
        let keys: String
        let label: String
    }

    static func hints(_ state: AppState, _ ctx: KeyContext, _ commands: [(Command, String)]) -> [Hint] {
        commands.map { Hint(command: $0.0, keys: state.keymap.keysText($0.0, in: ctx), label: $0.1) }
    }

    /// What leaves a screen or explains it; the last hints to go when the footer is narrow.
    static let essentialCommands: Set<Command> = [.quit, .help, .back, .cancel]

    /// The hints that fit in `width` columns, in their order: others are
    /// dropped from the end first, so quit and help stay (at 80 columns too).
    static func fitHints(_ hints: [Hint], width: Int) -> [Hint] {
        var kept = hints.filter { !$0.keys.isEmpty }
        func used(_ h: [Hint]) -> Int {
            h.reduce(0) { $0 + TextWidth.width($1.keys) + 1 + TextWidth.width($1.label) + 2 } - 2
        }
        while used(kept) > width, let i = kept.lastIndex(where: { !essentialCommands.contains($0.command) }) {
            kept.remove(at: i)
        }
        return kept
    }

    // MARK: List

    struct Columns {
        var status = 11, start = 5, countdown = 13, id = 8
        var showStart = true, showID = true, showEnd = false, showExtras = false
        var owner = 10, site = 0, data = 0

        /// A narrow list keeps status, time, countdown and owner: the status in a short word.
        var shortStatus = false

        init(width: Int, endsKnown: Bool) {
            shortStatus = width < 56
            if shortStatus { status = 6 }
            showStart = true
            showID = width >= 56
            // "10:00–11:00" once a row knows its end and there is room beside a readable owner.
            showEnd = endsKnown && width >= 84
            if showEnd { start = 11 }
            showExtras = width >= RowExtras.minimumWidth
            var used = 1 + status + 2 + countdown + 2
            if showStart { used += start + 2 }
            if showID { used += id + 2 }
            if showExtras {
                // Owner and site get what they need; the custom data the rest.
                owner = 28
                site = 24
                data = max(10, width - used - owner - 2 - site - 2 - 1)
            } else {
                owner = max(6, width - used - 1)
            }
        }
    }

    /// "CoClick · company · profile p · host:port" in `width` columns: when
    /// it does not fit, the product name goes first, then the profile; the
    /// company and the server (which account, where) stay longest.
    static func listTitle(_ state: AppState, width: Int) -> String {
        let company = state.company.map(SafeText.escape) ?? "…"
        let profile = state.profileName.flatMap { $0.isEmpty ? nil : "profile " + SafeText.escape($0) }
        let server = state.apiDescription.isEmpty ? nil : SafeText.escape(state.apiDescription)
        let choices = [["CoClick", company, profile, server], [company, profile, server], [company, server]]
            .map { $0.compactMap { $0 }.joined(separator: " · ") }
        return choices.first { TextWidth.width($0) <= width } ?? choices[choices.count - 1]
    }

    static func statusWord(_ s: MeetingStatus) -> String {
        StatusWord.text(s)
    }

    static func list(_ buf: inout CellBuffer, _ state: AppState) {
        // Start times are local: the header says in which zone.
        let zone = state.zone.name(at: state.now, withOffset: buf.width >= 80)
        header(&buf, listTitle(state, width: buf.width - TextWidth.width(zone) - 3), right: zone)
        let g = state.geometry
        let agenda = state.agendaRows
        let rows = g.listRows
        listFilterLine(&buf, state, count: agenda.count <= rows)
        let scroll = max(0, min(state.listScroll, agenda.count - rows))
        let drawn = agenda[scroll..<min(agenda.count, scroll + rows)].compactMap(\.meetingIndex)
        let cols = Columns(width: buf.width, endsKnown: drawn.contains { state.end(of: state.meetings[$0]) != nil })
        listTitles(&buf, cols, y: g.listTitleRow)
        if state.meetings.isEmpty {
            let text = state.isLoading ? "loading meetings…"
                : state.lastSuccess == nil ? "no data yet" : "no meetings match (\(state.keymap.keysText(.clearFilter, in: .list)) clears filters, \(state.keymap.keysText(.newMeeting, in: .list)) creates one)"
            buf.write(text, x: 2, y: g.listTop + 1, maxWidth: buf.width - 4, role: .dim)
        }
        for i in 0..<rows {
            let r = scroll + i
            guard r < agenda.count else { break }
            listRow(&buf, state, agenda[r], cols: cols, y: g.listTop + i)
        }
        // Scroll position when the list is longer than the screen: which meetings show.
        if agenda.count > rows {
            let more = state.hasMorePages ? "+" : ""
            let s = drawn.isEmpty ? " \(state.meetings.count)\(more) meetings"
                : " \(drawn[0] + 1)-\(drawn[drawn.count - 1] + 1) of \(state.meetings.count)\(more)"
            buf.write(s, x: buf.width - TextWidth.width(s) - 1, y: g.listFilterRow, role: .dim)
        }
        footer(&buf, state, hints: hints(state, .list, [
            (.moveDown, "move"), (.open, "open"), (.newMeeting, "new"), (.filter, "filter"), (.cycleStatus, "status"),
            (.copyProspect, "copy"), (.openProspect, "open"), (.duplicate, "dup"), (.refresh, "refresh"), (.help, "help"), (.quit, "quit"),
        ]))
    }

    /// The line above the list: the filters in use, or the line being typed
    /// (an owner filter, a date to go to). `count`: say how many meetings
    /// are shown (when the list fits, no scroll position says it).
    static func listFilterLine(_ buf: inout CellBuffer, _ state: AppState, count: Bool) {
        let y = state.geometry.listFilterRow
        if let input = state.filterInput {
            let label = "owner email contains: "
            let x = buf.write(label, x: 1, y: y, role: .label)
            fieldLine(&buf, input, x: 1 + x, y: y, width: buf.width - x - 2, focused: true)
        } else if let input = state.dateInput {
            let label = "go to date: "
            let x = buf.write(label, x: 1, y: y, role: .label)
            fieldLine(&buf, input, x: 1 + x, y: y, width: buf.width - x - 2, focused: true)
        } else {
            let statusText = state.statusFilter.map { $0.rawValue } ?? "all"
            let owner = state.showsOnlyMine ? "me (" + SafeText.escape(state.me ?? "") + ")"
                : state.userFilter.isEmpty ? "any" : "\"" + SafeText.escape(state.userFilter) + "\""
            var dates = "from today"
            if state.showHistory {
                dates = "all"
            } else if let day = state.fromDay {
                let today = LocalTime.startOfDay(state.now, zone: state.timeZone)
                dates = "from " + Agenda.heading(day, today: today, Agenda.calendar(state.timeZone))
            }
            let more = state.hasMorePages ? "+" : ""
            buf.write([Span("status: ", .label), Span(statusText, state.statusFilter.map(StyleRole.status) ?? .normal),
                       Span("   owner: ", .label), Span(owner),
                       Span("   dates: ", .label), Span(dates),
                       Span(count ? "   \(state.meetings.count)\(more) shown" : "", .dim)],
                      x: 1, y: y, maxWidth: buf.width - 2)
        }
    }

    /// The column titles, over the columns `cols` shows.
    static func listTitles(_ buf: inout CellBuffer, _ cols: Columns, y: Int) {
        var titles: [(String, Int)] = [("STATUS", cols.status)]
        if cols.showStart { titles.append(("TIME", cols.start)) }
        titles += [("COUNTDOWN", cols.countdown), ("OWNER", cols.owner)]
        if cols.showID { titles.append(("ID", cols.id)) }
        if cols.showExtras { titles += [("SITE", cols.site), ("DATA", cols.data)] }
        var x = 1
        for (t, w) in titles {
            buf.write(t, x: x, y: y, maxWidth: w, role: .label)
            x += w + 2
        }
    }

    /// One row of the agenda: a day heading, the "now" rule, or a meeting.
    static func listRow(_ buf: inout CellBuffer, _ state: AppState, _ row: AgendaRow, cols: Columns, y: Int) {
        switch row {
        case .day(let text):
            buf.write(text, x: 1, y: y, maxWidth: buf.width - 2, role: .title)
        case .now(let text):
            // A rule across the list, the time in it: "── now 14:05 ─────".
            let label = " \(text) "
            let lead = 2
            buf.write(String(repeating: "─", count: lead) + label
                      + String(repeating: "─", count: max(0, buf.width - 2 - lead - TextWidth.width(label))),
                      x: 1, y: y, maxWidth: buf.width - 2, role: .key)
        case .meeting(let index):
            let m = state.meetings[index]
            let selected = index == state.selected
            // Where the row is drawn is where a click finds it.
            buf.setTarget(.meeting(index), row: y)
            let remind = Countdown.isWithinReminder(status: m.status, startsAt: m.startsAt?.date, now: state.now, minutes: state.remindBeforeMinutes)
            if selected { buf.fill(y: y, role: .selection) }
            // A marker column, so the reminder shows without colour too.
            buf.write(remind ? "!" : " ", x: 0, y: y, role: selected ? .selection : (remind ? .reminder : .normal))
            var cx = 1
            for (text, w, role) in meetingCells(m, state, cols: cols, remind: remind) {
                buf.write(text, x: cx, y: y, maxWidth: w, role: selected ? .selection : role)
                cx += w + 2
            }
        }
    }

    /// A meeting's cells in the list: text, column width, style.
    static func meetingCells(_ m: Meeting, _ state: AppState, cols: Columns, remind: Bool) -> [(String, Int, StyleRole)] {
        let word = cols.shortStatus ? StatusWord.short(m.status) : statusWord(m.status)
        var out: [(String, Int, StyleRole)] = [(word, cols.status, StyleRole.status(m.status))]
        if cols.showStart {
            // The day is in the heading above: the row says the time (and the end, when known).
            out.append((state.timeText(m, withEnd: cols.showEnd), cols.start, .normal))
        }
        out.append((state.countdownText(m), cols.countdown, remind ? .reminder : .normal))
        out.append((SafeText.escape(m.user ?? "—"), cols.owner, .normal))
        if cols.showID { out.append((SafeText.escape(m.shortID), cols.id, .dim)) }
        if cols.showExtras {
            // The list has four fields; the rest come with the detail, once loaded.
            let d = state.details[m.id] ?? m
            out.append((SafeText.escape(RowExtras.site(d.cobrowsingURL)), cols.site, .dim))
            out.append((SafeText.escape(RowExtras.customData(d.customData)), cols.data, .dim))
        }
        return out
    }

    // MARK: Detail

    static func detail(_ buf: inout CellBuffer, _ state: AppState) {
        guard let m = state.detailMeeting else {
            header(&buf, "Meeting", right: "")
            buf.write("No meeting selected", x: 1, y: 2, role: .dim)
            footer(&buf, state, hints: hints(state, .detail, [(.back, "back")]))
            return
        }
        header(&buf, "Meeting \(SafeText.escape(m.shortID)) · \(SafeText.escape(m.user ?? "—"))",
               right: state.detailLoading ? "loading…" : "")
        let g = state.geometry
        let lines = DetailView.rows(for: m, loading: state.detailLoading, error: state.detailError,
                                    now: state.now, zone: state.timeZone, geometry: g)
        let rows = g.detailRows
        let scroll = max(0, min(state.detailScroll, lines.count - rows))
        for i in 0..<rows where scroll + i < lines.count {
            let line = lines[scroll + i]
            // A URL's continuation runs from column 0 across the screen: nothing to copy in between.
            let x = line.flush ? 0 : g.detailLeft
            let used = buf.write(line.spans, x: x, y: g.detailTop + i, maxWidth: line.flush ? buf.width : g.detailTextWidth)
            if let link = line.link, let last = line.spans.last {
                // The URL is the row's last span: it ends where the row's text does.
                let w = min(used, TextWidth.width(last.text))
                buf.links.append(CellLink(x: x + used - w, y: g.detailTop + i, width: w, target: link))
            }
        }
        if lines.count > rows {
            let s = "lines \(scroll + 1)-\(min(lines.count, scroll + rows)) of \(lines.count) (\(scrollKeys(state, .detail)) scroll)"
            buf.write(s, x: g.detailLeft, y: g.detailPositionRow, maxWidth: g.detailTextWidth, role: .dim)
        }
        footer(&buf, state, hints: hints(state, .detail, [
            (.back, "back"), (.moveDown, "scroll"), (.copyProspect, "copy prospect"), (.copyPresenter, "copy presenter"),
            (.openProspect, "open"), (.copyInvitation, "invitation"), (.duplicate, "duplicate"), (.refresh, "refresh"), (.help, "help"),
        ]))
    }

    // MARK: Help

    static func help(_ buf: inout CellBuffer, _ state: AppState) {
        let lines = state.helpLines
        let g = state.geometry
        let (x0, y0, w, h) = g.helpBox(lineCount: lines.count)
        for y in y0..<(y0 + h) { buf.fill(x: x0, y: y, width: w, role: .normal) }
        buf.write("┌" + String(repeating: "─", count: w - 2) + "┐", x: x0, y: y0, role: .title)
        buf.write("└" + String(repeating: "─", count: w - 2) + "┘", x: x0, y: y0 + h - 1, role: .title)
        for y in (y0 + 1)..<(y0 + h - 1) {
            buf.write("│", x: x0, y: y, role: .title)
            buf.write("│", x: x0 + w - 1, y: y, role: .title)
        }
        buf.write(" Keys ", x: x0 + 2, y: y0, role: .title)
        let rows = g.helpRows(lineCount: lines.count)
        let scroll = max(0, min(state.helpScroll, lines.count - rows))
        for i in 0..<rows where scroll + i < lines.count {
            buf.write(lines[scroll + i], x: x0 + 2, y: y0 + 1 + i, maxWidth: w - 4)
        }
        let more = lines.count > rows ? "\(scrollKeys(state, .list)) scroll · " : ""
        buf.write(more + "any other key closes", x: x0 + 2, y: y0 + h - 2, maxWidth: w - 4, role: .dim)
    }

    // MARK: Form

    /// Draws one line of a text field, scrolled so the cursor is visible.
    static func fieldLine(_ buf: inout CellBuffer, _ field: TextField, x: Int, y: Int, width: Int, focused: Bool) {
        guard width > 0 else { return }
        let role: StyleRole = focused ? .fieldFocus : .field
        buf.fill(x: x, y: y, width: width, role: role)
        let chars = field.characters
        let cursor = field.cursor
        if !focused {
            buf.write(SafeText.escape(String(chars.prefix(width * 4))), x: x, y: y, maxWidth: width, role: role)
            return
        }
        // Walk back from the cursor until the field is full: O(width), even for 10 KB of text.
        var start = cursor
        var used = 1  // the cursor cell
        while start > 0 {
            let w = TextWidth.width(buf.charset.fit(SafeText.escape(String(chars[start - 1]))))
            if used + w > width { break }
            used += w
            start -= 1
        }
        var cx = x
        if start > 0 { buf.write("…", x: cx, y: y, role: .dim); cx += 1 }
        var i = start + (start > 0 ? 1 : 0)
        while i < chars.count, cx < x + width {
            // As drawn: outside UTF-8 a character may take several cells ("\u00e9").
            let piece = buf.charset.fit(SafeText.escape(String(chars[i])))
            let w = TextWidth.width(piece)
            if cx + w > x + width { break }
            if i == cursor {
                buf.write(piece, x: cx, y: y, role: .cursor)
            } else {
                buf.write(piece, x: cx, y: y, role: role)
            }
            cx += w
            i += 1
        }
        if cursor >= chars.count, cx < x + width { buf.write(" ", x: cx, y: y, role: .cursor) }
    }

    struct FormLine {
        var field: FormField?
        var draw: (inout CellBuffer, Int) -> Void
    }

    static func form(_ buf: inout CellBuffer, _ state: AppState) {
        guard let form = state.form else { return }
        header(&buf, "New meeting", right: form.inFlight ? "creating…" : form.lookingUp ? "looking…" : "* required")
        let lines = FormLines(form, state, width: buf.width).lines
        // Scroll so the focused field (and the line under it) is visible.
        let g = state.geometry
        let rows = g.formRows
        let focusLine = lines.firstIndex(where: { $0.field == form.focus }) ?? 0
        var top = 0
        if focusLine + 2 > rows { top = min(focusLine + 2 - rows, max(0, lines.count - rows)) }
        for i in 0..<rows where top + i < lines.count {
            lines[top + i].draw(&buf, g.formTop + i)
            if let f = lines[top + i].field { buf.setTarget(.field(f), row: g.formTop + i) }
        }
        footer(&buf, state, hints: hints(state, .form, [
            (.nextField, "next"), (.submit, "submit"), (.addCookie, "cookie+"), (.cancel, "cancel"), (.help, "help"),
        ]), question: form.confirmation?.question)
    }

    /// The create form's lines, top to bottom, before scrolling: each field
    /// with the messages about it, then the button and what the form says.
    struct FormLines {
        let form: MeetingForm
        let labelW: Int, fieldX: Int, fieldW: Int
        /// The client's checks, by field, once a submit was tried.
        var client: [String: [String]] = [:]
        private(set) var lines: [FormLine] = []

        init(_ form: MeetingForm, _ state: AppState, width: Int) {
            self.form = form
            labelW = min(20, max(10, width / 3))
            fieldX = 1 + labelW
            fieldW = width - fieldX - 1
            let built = form.build(now: state.now, zone: state.timeZone)
            if form.submitAttempted, case .failure(let p) = built { client = p.fields }

            input("User *", .user, form.user)
            messages(MeetingField.user.name)
            input("Starts at *", .startsAt, form.startsAt)
            startsAtPreview(state)
            messages(MeetingField.startsAt.name)
            input("Cobrowsing URL *", .cobrowsingURL, form.cobrowsingURL)
            messages(MeetingField.cobrowsingURL.name)
            cookies(state)
            messages(MeetingField.cookies.name)
            input("Custom data", .customData, form.customData)
            if case .failure(let p) = form.customDataValue(), client[MeetingField.customData.name] == nil {
                note("? " + p.message, role: .warning)
            }
            messages(MeetingField.customData.name)
            input("Presenter iframe", .presenterIframe, form.presenterIframe)
            messages(MeetingField.presenterIframe.name)
            input("Prospect iframe", .prospectIframe, form.prospectIframe)
            messages(MeetingField.prospectIframe.name)
            otherServerErrors()
            submit(state)
            for (text, role) in [(form.failure?.text, StyleRole.error), (form.notice, StyleRole.message)] {
                for line in (text ?? "").split(separator: "\n") {
                    lines.append(FormLine(field: nil) { b, y in
                        b.write(SafeText.escape(String(line)), x: 1, y: y, maxWidth: b.width - 2, role: role)
                    })
                }
            }
        }

        /// A field's label and its input line.
        mutating func input(_ label: String, _ f: FormField, _ tf: TextField) {
            let form = form, labelW = labelW, fieldX = fieldX, fieldW = fieldW
            lines.append(FormLine(field: f) { b, y in
                b.write(label, x: 1, y: y, maxWidth: labelW - 1, role: form.focus == f ? .title : .label)
                fieldLine(&b, tf, x: fieldX, y: y, width: fieldW, focused: form.focus == f)
            })
        }

        /// A line under the field's input.
        mutating func note(_ text: String, role: StyleRole) {
            let fieldX = fieldX, fieldW = fieldW
            lines.append(FormLine(field: nil) { b, y in
                b.write(text, x: fieldX, y: y, maxWidth: fieldW, role: role)
            })
        }

        /// What the server and then the client's checks say about an API field.
        mutating func messages(_ api: String) {
            for m in form.serverErrors[api] ?? [] {
                note("✗ server: " + SafeText.escape(m), role: .error)
            }
            for m in client[api] ?? [] {
                note("✗ " + m, role: .warning)
            }
        }

        /// What the start time typed sends, why it cannot be read, or examples when empty.
        mutating func startsAtPreview(_ state: AppState) {
            switch form.startsAtPreview(now: state.now, zone: state.timeZone) {
            case .success(let d)?:
                let when = Countdown.relative(d.date, now: state.now)
                note("→ sends \(d.text) (\(when))", role: .dim)
            case .failure(let p)? where client[MeetingField.startsAt.name] == nil:
                note("? " + p.message, role: .warning)
            case nil:
                note("e.g. 2026-12-01 14:30, tomorrow 9:00, in 2h", role: .dim)
            default: break
            }
        }

        /// The cookies' heading line, then each row's columns.
        mutating func cookies(_ state: AppState) {
            let addKey = state.keymap.keysText(.addCookie, in: .form), delKey = state.keymap.keysText(.deleteCookie, in: .form)
            let form = form, labelW = labelW, fieldX = fieldX, fieldW = fieldW
            lines.append(FormLine(field: nil) { b, y in
                b.write("Cookies", x: 1, y: y, maxWidth: labelW - 1, role: .label)
                b.write("\(form.cookies.count) row\(form.cookies.count == 1 ? "" : "s") · \(addKey) add · \(delKey) delete",
                        x: fieldX, y: y, maxWidth: fieldW, role: .dim)
            })
            for (r, row) in form.cookies.enumerated() {
                for c in CookieColumn.allCases {
                    input("  #\(r + 1) \(c.label)", .cookie(row: r, column: c), row[c])
                }
            }
        }

        /// Errors the server sent for fields the form does not have.
        mutating func otherServerErrors() {
            for (f, ms) in form.serverErrors where !NewMeeting.fieldOrder.contains(f) {
                for m in ms {
                    lines.append(FormLine(field: nil) { b, y in
                        b.write("✗ server: \(SafeText.escape(f)): \(SafeText.escape(m))", x: 1, y: y, maxWidth: b.width - 2, role: .error)
                    })
                }
            }
        }

        mutating func submit(_ state: AppState) {
            let form = form, fieldX = fieldX, fieldW = fieldW
            let key = state.keymap.keysText(.submit, in: .form)
            lines.append(FormLine(field: .submit) { b, y in
                let label = form.inFlight ? "[ Creating… ]" : "[ Create meeting ]"
                b.write(label, x: fieldX, y: y, role: form.focus == .submit ? .buttonFocus : .button)
                b.write("  or \(key) from any field", x: fieldX + TextWidth.width(label), y: y, maxWidth: max(0, fieldW - TextWidth.width(label)), role: .dim)
            })
        }
    }
}
