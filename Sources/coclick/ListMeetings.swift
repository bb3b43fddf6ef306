import ArgumentParser
import CoClickAPI
import Dashboard
import Foundation
import TerminalText

struct ListMeetings: AsyncCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List meetings (a table, or --json).",
        discussion: """
        Without --from, --to or --every-date the list starts at the start of today, by start time, \
        like the dashboard. Dates: \(DateInput.examples); --to without a time includes that whole day.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("u"), .long], help: "Only meetings whose owner email contains TEXT (\(QueryKey.userEmailContains.rawValue)).")
    var user: String?

    @Flag(help: "Only my meetings: those whose owner is me (config: me, or --me).")
    var mine = false

    @Option(name: [.customShort("s"), .long], help: "Only this status (repeat for several).")
    var status: [MeetingStatus] = []

    @Option(help: "Only meetings starting at or after DATE (default: the start of today).")
    var from: String?

    @Option(help: "Only meetings starting at or before DATE (a day without a time: the end of that day).")
    var to: String?

    @Flag(name: .customLong("every-date"), help: "Every date, past ones too (no default start of today).")
    var everyDate = false

    @Option(help: "Page number (\(PageHeader.page.rawValue)).")
    var page: Int = 1

    @Option(name: .customLong(GlobalOptionName.per), help: "Page size (\(PageHeader.per.rawValue)). Default: page_size from the config file, else 20.")
    var per: Int?

    @Flag(help: "Fetch every page.")
    var all = false

    @Option(help: ArgumentHelp(
        "Order: \(MeetingQuery.sortOrders.map { "'\($0)'" }.joined(separator: ", ")) (default: the first; \(QueryKey.sort.rawValue)).",
        valueName: "order"))
    var sort: String?

    @Flag(help: "Print the API's JSON, unchanged (--all: the pages' arrays joined into one).")
    var json = false

    @Flag(help: "Print the meetings as an iCalendar file (RFC 5545) for a calendar app: every page of the window (--all implied), each meeting's detail read for its rooms and length.")
    var ics = false

    @Option(name: .customLong("default-length"), help: "With --ics: minutes a meeting lasts when the server gives no duration (config: ics_default_minutes; default 60).")
    var defaultLength: Int?

    func validate() throws {
        if ics && json { throw ValidationError("--ics and --json are two outputs; give one") }
        if ics && page != 1 { throw ValidationError("--ics reads every page of the window; do not combine it with --page") }
        if defaultLength != nil && !ics { throw ValidationError("--default-length is for --ics") }
        let lengths = DashboardSettings.Bounded.icsDefaultMinutes.range
        if let defaultLength, !lengths.contains(defaultLength) {
            throw ValidationError("--default-length must be between \(lengths.lowerBound) and \(lengths.upperBound) minutes")
        }
        guard page >= 1 else { throw ValidationError("--page must be 1 or more") }
        let pageSizes = DashboardSettings.Bounded.pageSize.range
        if let per, !pageSizes.contains(per) { throw ValidationError("--per must be between \(pageSizes.lowerBound) and \(pageSizes.upperBound)") }
        if let user, user.utf8.count > 256 { throw ValidationError("--user is too long (at most 256 bytes)") }
        if all && page != 1 { throw ValidationError("--all fetches from page 1; do not combine it with --page") }
        if everyDate && from != nil { throw ValidationError("--every-date and --from contradict each other; give one") }
        if mine && user != nil { throw ValidationError("--mine and --user both say whose meetings; give one") }
        if let sort, MeetingQuery.sortOrder(named: sort) == nil {
            let known = MeetingQuery.sortOrders.map { "'\($0)'" }.joined(separator: ", ")
            throw ValidationError("--sort '\(SafeText.escape(String(sort.prefix(80))))' is not an order coclick knows; give one of \(known)")
        }
    }

    /// The query: from the start of today unless dates (or --every-date) say otherwise.
    func query(pageSize: Int, now: Date = Date(), zone: TimeZone = LocalZone.process.zone) throws -> MeetingQuery {
        var query = MeetingQuery(userEmailContains: user, statuses: status, sort: sort.flatMap(MeetingQuery.sortOrder(named:)) ?? MeetingQuery.byStartAscending, page: page, per: pageSize)
        if let from {
            query.startsFrom = try parseDateOption(from, option: "--from").date
        } else if !everyDate && to == nil {
            query.startsFrom = LocalTime.startOfDay(now, zone: zone)
        }
        if let to { query.startsTo = try parseDateOption(to, option: "--to", endOfDay: true).date }
        return query
    }

    func execute() async throws -> Int32 {
        let settings = try Settings.resolve(global, per: per)
        let me = mine ? try settings.mine() : nil
        // --all asks for the API's largest page: the fewest requests.
        var query = try query(pageSize: (all || ics) && per == nil ? 100 : settings.pageSize)
        if let me { query.userEmailContains = me }
        let client = try global.client(settings)
        if ics { return try await exportICS(query, me: me, client: client, minutes: defaultLength ?? settings.icsDefaultMinutes) }
        if all { return try await listAll(query, me: me, client: client) }
        let page = try await client.meetings(query)
        var meetings = page.meetings
        var notice: String?
        if try await Self.morePages(after: page, query: query, client: client) {
            var more = "more meetings on page \(page.page + 1)"
            if let total = page.total { more = "\(meetings.count) of \(total) meetings shown; more on page \(page.page + 1)" }
            notice = "\(more): add --page \(page.page + 1), or --all for every page"
        }
        // The server matches "contains": --mine keeps the meetings whose owner is exactly me.
        if let me { meetings = meetings.filter { MeOwner.matches($0.user, me) } }
        if json {
            // The server's JSON, unchanged.
            var raw = try ServerJSON.parse(page.body)
            if let me { raw = MeOwner.keepMine(raw, me) }
            Output.serverJSON(raw)
        } else if meetings.isEmpty {
            Output.line(noMeetings(query))
        } else {
            Output.line(MeetingTable.render(meetings, now: Date(), zone: .process))
        }
        // Still on stderr, but after the list: on a terminal it is read below
        // the table it is about, not scrolled away above it.
        if let notice { Output.warn(notice) }
        return 0
    }

    func noMeetings(_ query: MeetingQuery) -> String {
        query.startsFrom != nil && from == nil ? "No meetings from today on (--every-date shows past ones)." : "No meetings."
    }

    /// `--all` reads at most this many pages (100,000 meetings at 100 a page):
    /// a server that never runs out of pages is stopped, and said so.
    static let pageCap = 1_000

    /// `--all`: each page is printed as it arrives and then dropped, so memory
    /// stays flat however many pages there are. `--json` writes one array:
    /// `[`, each page's items as the server sent them, then `]`.
    func listAll(_ query: MeetingQuery, me: String?, client: CoClickClient) async throws -> Int32 {
        let now = Date()
        let asciiOnly = Output.charset.isASCII
        var printed = 0
        var widths: [Int] = []
        var opened = false
        let end = try await client.walkPages(query, maxPages: Self.pageCap) { page in
            if json {
                // Opened with the first page: a walk that fails at once prints nothing.
                if !opened { Output.write("[", to: STDOUT_FILENO) }
                opened = true
                var raw = try ServerJSON.parse(page.body)
                if let me { raw = MeOwner.keepMine(raw, me) }
                var out = ""
                for item in raw.items ?? [raw] {
                    out += (printed == 0 ? "\n  " : ",\n  ") + item.text(indent: 2, asciiOnly: asciiOnly, level: 1)
                    printed += 1
                }
                if !out.isEmpty { Output.write(out, to: STDOUT_FILENO) }
                return
            }
            var meetings = page.meetings
            if let me { meetings = meetings.filter { MeOwner.matches($0.user, me) } }
            guard !meetings.isEmpty else { return }
            let table = MeetingTable.table(meetings, now: now, zone: .process).render(header: printed == 0, atLeast: widths)
            widths = table.widths
            Output.line(table.text)
            printed += meetings.count
        }
        if json {
            Output.write((opened ? "" : "[") + (printed == 0 ? "]\n" : "\n]\n"), to: STDOUT_FILENO)
        } else if printed == 0 {
            Output.line(noMeetings(query))
        }
        switch end {
        case .complete:
            return 0
        case .repeated(let page, let full):
            let what = "page \(page) repeats page \(page - 1) (the server seems to ignore \(PageHeader.page.rawValue)), so the list stops there"
            // A full page repeated may hide more meetings; a short one held them all.
            Output.warn(full ? "\(what); it may be incomplete" : what)
            return full ? 1 : 0
        case .capped(let pages):
            Output.warn("stopped after \(pages) pages: the server kept sending more, so the list is incomplete; narrow it with --from, --to, --status or --user")
            return 1
        }
    }
}

extension ListMeetings {
    /// Details read at once for `--ics`: a few, so a long window is quick without crowding the server.
    static let detailsInFlight = 4

    /// `--ics`: every page of the window, then each meeting's detail (the list
    /// has no rooms, duration or site), written as one iCalendar file. Nothing
    /// is written when the list is incomplete, so `... > f.tmp && mv f.tmp f`
    /// keeps the last good file.
    func exportICS(_ query: MeetingQuery, me: String?, client: CoClickClient, minutes: Int) async throws -> Int32 {
        var listed: [Meeting] = []
        var seen = Set<String>()
        let end = try await client.walkPages(query, maxPages: Self.pageCap) { page in
            for m in page.meetings where seen.insert(m.id).inserted {
                if let me, !MeOwner.matches(m.user, me) { continue }
                listed.append(m)
            }
        }
        switch end {
        case .complete, .repeated(_, full: false):
            break
        case .repeated(let page, full: true):
            Output.warn("page \(page) repeats page \(page - 1) (the server seems to ignore \(PageHeader.page.rawValue)): the calendar would be incomplete, so none is written")
            return 1
        case .capped(let pages):
            Output.warn("stopped after \(pages) pages: the server kept sending more; narrow the window with --from and --to")
            return 1
        }
        var meetings = try await Self.details(of: listed, client: client)
        let undated = meetings.filter { $0.startsAt == nil }.count
        meetings.removeAll { $0.startsAt == nil }
        if undated > 0 { Output.warn("\(undated) meeting\(undated == 1 ? "" : "s") without a start left out of the calendar") }
        // The file's own bytes: UTF-8 whatever the locale, never fitted to the terminal's charset.
        Output.write(ICalendar.calendar(meetings, defaultMinutes: minutes, stamp: Date()), to: STDOUT_FILENO)
        return 0
    }

    /// One meeting's detail, or nil when it is gone (404), and its place in the list.
    /// A struct, not an `(Int, Meeting?)` tuple: the release build (Swift 6.3.1, -O)
    /// read such tuples from the task group wrongly and trapped; the debug build did not.
    struct DetailAnswer: Sendable {
        let index: Int
        let meeting: Meeting?
    }

    /// Each meeting's detail, in the list's order, a few at a time; one that
    /// is gone by now (404) is left out and said.
    static func details(of meetings: [Meeting], client: CoClickClient) async throws -> [Meeting] {
        // At most `detailsInFlight` asked at once: one more each time one is answered.
        let fetched = try await withThrowingTaskGroup(of: DetailAnswer.self) { group in
            var answered: [DetailAnswer] = []
            answered.reserveCapacity(meetings.count)
            for (i, m) in meetings.enumerated() {
                if i >= detailsInFlight, let done = try await group.next() { answered.append(done) }
                group.addTask {
                    if m.isDetail { return DetailAnswer(index: i, meeting: m) }
                    do { return DetailAnswer(index: i, meeting: try await client.meeting(id: m.id)) } catch APIError.notFound { return DetailAnswer(index: i, meeting: nil) }
                }
            }
            while let done = try await group.next() { answered.append(done) }
            return answered
        }
        var out = [Meeting?](repeating: nil, count: meetings.count)
        var gone = 0
        for answer in fetched {
            if let m = answer.meeting { out[answer.index] = m } else { gone += 1 }
        }
        if gone > 0 { Output.warn("\(gone) meeting\(gone == 1 ? " was" : "s were") deleted while the calendar was written; left out") }
        return out.compactMap { $0 }
    }

    /// Whether a page after `page` holds meetings. The API documents no totals,
    /// and a server may clamp the page size without saying so: a full page
    /// means more, and a short one without totals is checked by asking for
    /// the next page (a failed check says nothing).
    static func morePages(after page: MeetingPage, query: MeetingQuery, client: CoClickClient) async throws -> Bool {
        guard !page.meetings.isEmpty else { return false }
        if page.linkHasNext != nil || page.total != nil { return page.hasMore }
        if page.meetings.count >= page.per { return true }
        var next = query
        next.page = page.page + 1
        guard let after = try? await client.meetings(next) else { return false }
        return !after.meetings.isEmpty && after.meetings.first?.id != page.meetings.first?.id
    }
}

/// `--mine`: the owner is exactly `me` (emails compare without case).
enum MeOwner {
    static func matches(_ user: String?, _ me: String) -> Bool {
        user.map { $0.lowercased() == me.lowercased() } ?? false
    }

    /// A page's JSON array with only `me`'s items, each as the server sent it.
    static func keepMine(_ page: RawJSON, _ me: String) -> RawJSON {
        guard case .array(let items) = page else { return page }
        return .array(items.filter { item in
            if case .string(let user)? = item[MeetingKey.user] { return matches(user, me) }
            return false
        })
    }
}
