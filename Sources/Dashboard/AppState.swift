import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

public enum Screen: Sendable, Hashable { case list, detail, form }

/// Which room URL a copy is for.
public enum RoomLink: Sendable, Hashable {
    case prospect, presenter

    public var label: String { self == .prospect ? "prospect room URL" : "presenter room URL" }

    public func url(in meeting: Meeting) -> String? {
        let u = self == .prospect ? meeting.prospectRoomURL : meeting.presenterRoomURL
        guard let u, !u.isEmpty else { return nil }
        return u
    }
}

/// Why a detail is fetched: to show it, or to copy one of its room URLs.
public enum DetailPurpose: Sendable, Hashable {
    case show
    case copy(RoomLink)
    case open(RoomLink)
    case duplicate
}

/// A short line in the footer: a confirmation or an error.
public struct TransientMessage: Sendable, Hashable {
    public var text: String
    public var isError: Bool
    public var expires: Date

    public init(text: String, isError: Bool, expires: Date) {
        self.text = text
        self.isError = isError
        self.expires = expires
    }
}

/// Everything the screen shows, as one value. Changed only by `reduce`.
public struct AppState: Sendable {
    public var screen: Screen = .list
    public var showHelp = false
    public var helpScroll = 0

    // List
    public var meetings: [Meeting] = []
    public var selected = 0
    public var listScroll = 0
    /// The selected meeting's id, so a refresh keeps the selection on it.
    public var selectedID: String?
    public var userFilter = ""
    /// Non-nil while the owner-email filter is being typed.
    public var filterInput: TextField?
    public var statusFilter: MeetingStatus?
    /// False (the default): the schedule from the start of today on, as a
    /// presenter wants it; true: every date, past included (`h`).
    public var showHistory = false
    /// Start of the "from today" window, fixed when a poll starts so a result
    /// still matches the query it answers.
    public var windowStart: Date?
    /// Set once the first list arrived and the selection went to the meeting that matters now.
    public var placedInitialSelection = false
    public var page = 1
    public var hasMorePages = false
    /// The last page, once a page said no more follow (for these filters).
    public var lastPage: Int?
    public var company: String?
    /// A just-created meeting to find and select, page by page.
    public var seekID: String?

    // Polling and connection
    public var connection: ConnectionState = .connecting
    public var lastSuccess: Date?
    public var lastError: String?
    public var consecutiveFailures = 0
    /// The query of the poll in flight; nil when none (never two at once).
    public var pollInFlight: MeetingQuery?
    /// The delay the last `schedulePoll` asked for.
    public var nextPollDelay: TimeInterval = 0
    /// When the armed poll timer fires (shown as "next try in"); nil when none is armed.
    public var nextPollAt: Date?

    // Detail
    public var detailID: String?
    public var details: [String: Meeting] = [:]
    public var detailScroll = 0
    public var detailLoading = false
    public var detailError: String?

    // Form: nil when no form or draft exists; kept on Esc so `n` restores it.
    public var form: MeetingForm?
    /// The draft as last written to disk (or on its way there); nil: none, or unknown.
    public var draftOnDisk: FormDraft?
    /// Saving the draft failed the last time (said once, not on every key).
    public var draftSaveFailing = false

    public var message: TransientMessage?
    public var themeNames: [String]
    public var themeIndex: Int

    public var width: Int
    public var height: Int
    public var now: Date
    public var timeZone: TimeZone

    // Settings the reducer needs.
    public var refreshInterval: TimeInterval
    public var pageSize: Int
    public var clipboardMode: ClipboardMode
    public var remindBeforeMinutes: Int
    public var notifyMode: NotifyMode
    /// How `o` / `O` open a room URL.
    public var opener: Opener
    /// Reminders given ("lead:<id>", "start:<id>"): each at most once.
    public var reminded: Set<String> = []
    /// The window title last set (notify = all).
    public var windowTitle: String?
    public var keymap: Keymap
    public var apiDescription: String
    public var mouseEnabled: Bool
    /// The config profile in use, shown in the header.
    public var profileName: String?
    /// Configuration problems said at start (also listed in the help overlay).
    public var startupProblems: [String]

    // Instant start and mouse
    /// The list on screen came from the cache written then; nil once the server answered.
    public var cachedAt: Date?
    /// For double-clicks.
    public var lastClick: LastClick?
    /// What the terminal can show (ASCII under `LANG=C`).
    public var charset: TerminalCharset

    public init(
        settings: DashboardSettings = DashboardSettings(), themeNames: [String] = ["default"],
        now: Date = Date(), timeZone: TimeZone = .current, width: Int = 80, height: Int = 24
    ) {
        self.themeNames = themeNames.isEmpty ? ["default"] : themeNames
        self.themeIndex = self.themeNames.firstIndex(of: settings.themeName) ?? 0
        self.now = now
        self.timeZone = timeZone
        self.width = width
        self.height = height
        refreshInterval = settings.refreshInterval
        pageSize = settings.pageSize
        clipboardMode = settings.clipboardMode
        remindBeforeMinutes = settings.remindBeforeMinutes
        notifyMode = settings.notifyMode
        opener = settings.opener
        keymap = settings.keymap
        apiDescription = settings.apiDescription
        mouseEnabled = settings.mouse
        profileName = settings.profileName
        startupProblems = settings.startupProblems
        charset = settings.charset
    }

    /// The query the list shows now.
    public var query: MeetingQuery {
        MeetingQuery(
            userEmailContains: userFilter.isEmpty ? nil : userFilter,
            statuses: statusFilter.map { [$0] } ?? [], startsFrom: showHistory ? nil : windowStart,
            sort: "starts_at asc", page: page, per: pageSize)
    }

    public var themeName: String { themeNames[min(max(0, themeIndex), themeNames.count - 1)] }

    /// The view a start shows (first page, no filters, from today): the one the cache keeps.
    public var isStartView: Bool {
        userFilter.isEmpty && statusFilter == nil && !showHistory && page == 1
    }

    public var selectedMeeting: Meeting? { meetings.indices.contains(selected) ? meetings[selected] : nil }

    /// The meeting the detail screen shows: the loaded detail, else the list row.
    public var detailMeeting: Meeting? {
        guard let id = detailID else { return nil }
        return details[id] ?? meetings.first(where: { $0.id == id })
    }

    /// Where each part of the screen is, at this size.
    public var geometry: ScreenGeometry { ScreenGeometry(width: width, height: height) }
    /// Rows of meetings that fit between header and footer.
    public var listVisibleRows: Int { geometry.listRows }
    /// Lines of detail text that fit between header and footer.
    public var detailVisibleRows: Int { geometry.detailRows }
}
