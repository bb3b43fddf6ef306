import ArgumentParser
import CoClickAPI
import Foundation
import Dashboard
import TerminalText

struct NextCommand: AsyncCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "One line about the current or next meeting, for tmux and status bars.",
        discussion: """
        --format: plain (the text), tmux (colour markup by status), waybar (one JSON object a line: \
        text, tooltip, class, percentage). --template's placeholders: \(NextLine.placeholders.map { "{\($0)}" }.joined(separator: " ")). \
        Default: "\(NextLine.defaultFormat)". Prints "no upcoming meetings" when there is none. \
        --watch keeps the line current: a new line only when it changes, the API asked every refresh_interval \
        seconds; while the API is away the last line stays, with "offline · 3m old" before it.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "plain, tmux or waybar (a text with {placeholders} is taken as --template).")
    var format: String = StatusBar.Format.plain.rawValue

    @Option(help: "The line's text, with {placeholders}.")
    var template: String?

    @Option(name: [.customShort("u"), .long], help: "Only meetings whose owner email contains TEXT.")
    var user: String?

    @Flag(help: "Only my meetings: those whose owner is me (config: me, or --me).")
    var mine = false

    @Flag(help: "Print the meeting's JSON instead (the list shape, or the detail shape when a room URL is asked for).")
    var json = false

    @Flag(help: "Keep the line current: a new line each time it changes, until stdout closes or a signal ends it.")
    var watch = false

    @Option(help: "With --watch: seconds between asks of the API (config: refresh_interval; default 15).")
    var refresh: Int?

    /// `--format`'s kind, and the text's template (`--format` with placeholders is the template, as before).
    var output: (kind: StatusBar.Format, template: String) {
        if let kind = StatusBar.Format(rawValue: format) { return (kind, template ?? NextLine.defaultFormat) }
        return (.plain, format)
    }

    func validate() throws {
        if mine && user != nil { throw ValidationError("--mine and --user both say whose meetings; give one") }
        if StatusBar.Format(rawValue: format) == nil {
            guard format.contains("{") else {
                throw ValidationError("--format '\(SafeText.escape(format))': one of \(StatusBar.Format.allCases.map(\.rawValue).joined(separator: ", ")) (or a text with {placeholders})")
            }
            if template != nil { throw ValidationError("--format with {placeholders} is a template; give it as --template alone") }
        }
        if let bad = NextLine.unknownPlaceholder(in: output.template) {
            throw ValidationError("unknown placeholder {\(bad)}; known: \(NextLine.placeholders.joined(separator: ", "))")
        }
        if json && watch { throw ValidationError("--json and --watch: give one") }
        if json && output.kind != .plain { throw ValidationError("--json is its own format; do not combine it with --format \(format)") }
        if refresh != nil && !watch { throw ValidationError("--refresh is for --watch") }
    }

    func execute() async throws -> Int32 {
        let settings = try Settings.resolve(global, refresh: refresh)
        let me = mine ? try settings.mine() : nil
        // Its times are local: a TZ that could not be read is said, never passed off as UTC.
        if let tz = LocalZone.process.unreadTZ, !json { Output.warn("TZ '\(SafeText.escape(tz))' unknown: times are UTC") }
        let (kind, template) = output
        var view = NextView(template: template, format: kind, leadMinutes: settings.remindBeforeMinutes)
        if watch {
            // The dashboard's client: no deadline for the whole command, no retries of its own (the loop backs off).
            return await NextWatch.run(view, client: try global.dashboardClient(settings), me: me,
                                       refresh: TimeInterval(settings.refreshInterval), user: user)
        }
        let client = try global.client(settings)
        let now = Date()
        let pages = try await client.allPages(NextLine.query(me: me, user: user, now: now), maxPages: 10)
        let found = NextLine.keep(pages.flatMap(\.meetings), me: me)
        view.meetings = found
        view.state = .ok
        view.lastGood = now
        guard var meeting = NextLine.pick(found, now: now) else {
            if json { Output.line("null") } else { Output.line(view.output(now: now)) }
            return 0
        }
        // The server's own item (list shape), or its detail when a room URL is asked for.
        var raw: RawJSON?
        if NextLine.needsDetail(template) {
            let response = try await client.meetingResponse(id: meeting.id)
            meeting = response.meeting
            raw = try ServerJSON.parse(response.body)
        } else if json {
            let id = meeting.id
            raw = try pages.lazy.flatMap { try ServerJSON.parse($0.body).items ?? [] }
                .first { $0[MeetingKey.id] == .string(id) || $0[MeetingKey.token] == .string(id) }
        }
        if json {
            if let raw { Output.serverJSON(raw) } else { try Output.json(meeting) }
        } else {
            view.details[meeting.id] = meeting
            Output.write(view.output(now: now) + "\n", to: STDOUT_FILENO)
        }
        return 0
    }
}

/// The `coclick next` line.
enum NextLine {
    static let defaultFormat = "{countdown} · {time} · {user} ({short_id})"
    /// A `{name}` of the line: a meeting's fields under their API names, and the line's own words.
    enum Placeholder: CaseIterable {
        case countdown, status, time, date, startsAt, user, id, shortID, prospectRoomURL, presenterRoomURL

        var name: String {
            switch self {
            case .countdown: return "countdown"
            case .status: return MeetingKey.status.name
            case .time: return "time"
            case .date: return "date"
            case .startsAt: return MeetingKey.startsAt.name
            case .user: return MeetingKey.user.name
            case .id: return MeetingKey.id.name
            case .shortID: return "short_id"
            case .prospectRoomURL: return MeetingKey.prospectRoomURL.name
            case .presenterRoomURL: return MeetingKey.presenterRoomURL.name
            }
        }

        init?(name: String) {
            guard let p = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = p
        }

        /// The rooms are in a meeting's detail only.
        var needsDetail: Bool { self == .prospectRoomURL || self == .presenterRoomURL }
    }

    static let placeholders = Placeholder.allCases.map(\.name)

    static func unknownPlaceholder(in format: String) -> String? {
        var rest = Substring(format)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return nil }
            let name = String(rest[rest.index(after: open)..<close])
            if !placeholders.contains(name) { return name }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    /// Anything live, and anything scheduled from a day ago on (a presenter may start late).
    static func query(me: String?, user: String?, now: Date) -> MeetingQuery {
        MeetingQuery(
            userEmailContains: me ?? user, statuses: [.scheduled, .inProgress],
            startsFrom: now.addingTimeInterval(-86_400), sort: MeetingQuery.byStartAscending, per: 100
        )
    }

    /// The server matches "contains": `--mine` keeps the meetings whose owner is exactly me.
    static func keep(_ meetings: [Meeting], me: String?) -> [Meeting] {
        meetings.filter { m in me.map { MeOwner.matches(m.user, $0) } ?? true }
    }

    static func needsDetail(_ format: String) -> Bool {
        Placeholder.allCases.contains { $0.needsDetail && format.contains("{\($0.name)}") }
    }

    /// The live meeting if any, else the next scheduled one (the most recent late one counts).
    static func pick(_ meetings: [Meeting], now: Date) -> Meeting? {
        if let live = meetings.first(where: { $0.status == .inProgress }) { return live }
        let scheduled = meetings.filter { $0.status == .scheduled && $0.startsAt != nil }
            .sorted { $0.startsAt!.date < $1.startsAt!.date }
        return scheduled.first { $0.startsAt!.date >= now.addingTimeInterval(-3600) }
    }

    static func render(_ format: String, _ m: Meeting, now: Date) -> String {
        // "2026-12-01 14:30": the date and the time, in local time.
        let local = LocalTime.full(m.startsAt).split(separator: " ").map(String.init)
        let date = local.first ?? "—"
        let time = local.count > 1 ? local[1] : "—"
        func value(_ p: Placeholder) -> String {
            switch p {
            case .countdown: return Countdown.text(status: m.status, startsAt: m.startsAt?.date, now: now)
            case .status: return m.status.rawValue
            case .time: return time
            case .date: return date
            case .startsAt: return m.startsAt?.text ?? "—"
            case .user: return m.user ?? "—"
            case .id: return m.id
            case .shortID: return m.shortID
            case .prospectRoomURL: return m.prospectRoomURL ?? "—"
            case .presenterRoomURL: return m.presenterRoomURL ?? "—"
            }
        }
        // One pass, so a value that contains "{user}" is never expanded again.
        var out = ""
        var rest = Substring(format)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            out += Placeholder(name: name).map { SafeText.escape(value($0)) } ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
