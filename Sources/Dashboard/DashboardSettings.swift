#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// Everything the dashboard needs from the configuration. The CLI builds it
/// from flags, environment and config file.
public struct DashboardSettings: Sendable, Hashable {
    /// Theme to start with (a shipped theme or a user theme's file name without `.toml`).
    public var themeName: String
    /// Seconds between polls of the list.
    public var refreshInterval: TimeInterval
    /// `X-Per` of the list.
    public var pageSize: Int
    /// How `y` / `Y` copy (see `ClipboardRoute`).
    public var clipboardMode: ClipboardMode
    /// Scheduled meetings starting within this many minutes stand out.
    public var remindBeforeMinutes: Int
    /// Bell, notification and title when a meeting nears and starts (config `notify`).
    public var notifyMode: NotifyMode = .all
    /// How room URLs are opened (`$BROWSER`, xdg-open, open; none over ssh without a display).
    public var opener: Opener = .command(["xdg-open"])
    /// True when colour is off (`NO_COLOR` non-empty).
    public var noColor: Bool
    /// Where user themes live (`$XDG_CONFIG_HOME/coclick/themes`); nil for none.
    public var userThemeDirectory: URL?
    /// Shown in the header, e.g. the API base URL or "demo".
    public var apiDescription: String
    /// Key bindings.
    public var keymap: Keymap
    /// Where the create form's draft is kept between runs (`$XDG_STATE_HOME/coclick`); nil for nowhere.
    public var draftDirectory: URL?
    /// Where the last list seen is kept for an instant start (`$XDG_CACHE_HOME/coclick`); nil for nowhere.
    public var cacheDirectory: URL?
    /// Whose draft and cache: the API URL and secret id, hashed. Nil: no per-account files.
    public var account: AccountKey?
    /// Clicks and the wheel (`mouse = false` turns them off).
    public var mouse: Bool
    /// The config profile in use (`--profile`, `COCLICK_PROFILE`), shown in the header.
    public var profileName: String?
    /// Problems with the configuration worth saying on screen at start (e.g. `[keys]` entries left out).
    public var startupProblems: [String]
    /// What `i` copies (config `invitation`; see `Invitation`).
    public var invitation: String = Invitation.defaultTemplate
    /// The zone local times are shown in (`TZ`, read as the C library reads it).
    public var zone: LocalZone = .process
    /// ASCII for a non-UTF-8 locale (`LANG=C`): stand-ins for every glyph, non-ASCII data escaped.
    public var charset: TerminalCharset = .utf8
    /// The presenter's own owner email (config `me`, `--me`): the list starts on their meetings.
    public var me: String?
    /// Reminders for every meeting (`remind = "all"`), not only `me`'s.
    public var remindAll = false

    public init(
        themeName: String = "default", refreshInterval: TimeInterval = TimeInterval(Bounded.refreshInterval.defaultValue),
        pageSize: Int = Bounded.pageSize.defaultValue,
        clipboardMode: ClipboardMode = .auto, remindBeforeMinutes: Int = Bounded.remindBeforeMinutes.defaultValue, notifyMode: NotifyMode = .all, noColor: Bool = false,
        userThemeDirectory: URL? = DashboardSettings.defaultUserThemeDirectory(), apiDescription: String = "",
        keymap: Keymap = .standard, draftDirectory: URL? = DraftStore.defaultDirectory(),
        cacheDirectory: URL? = ListCache.defaultDirectory(), account: AccountKey? = nil, mouse: Bool = true,
        profileName: String? = nil, startupProblems: [String] = []
    ) {
        self.themeName = themeName
        self.refreshInterval = min(max(TimeInterval(Bounded.refreshInterval.range.lowerBound), refreshInterval),
                                   TimeInterval(Bounded.refreshInterval.range.upperBound))
        self.pageSize = Bounded.pageSize.clamp(pageSize)
        self.clipboardMode = clipboardMode
        self.remindBeforeMinutes = Bounded.remindBeforeMinutes.clamp(remindBeforeMinutes)
        self.notifyMode = notifyMode
        self.noColor = noColor
        self.userThemeDirectory = userThemeDirectory
        self.apiDescription = apiDescription
        self.keymap = keymap
        self.draftDirectory = draftDirectory
        self.cacheDirectory = cacheDirectory
        self.account = account
        self.mouse = mouse
        self.profileName = profileName
        self.startupProblems = startupProblems
    }

    /// `$XDG_CONFIG_HOME/coclick/themes`, or `~/.config/coclick/themes` (see `XDGFolder`).
    public static func defaultUserThemeDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        XDGFolder.config.url(environment: environment)?.appendingPathComponent("themes")
    }

    /// True when `NO_COLOR` is set to a non-empty value.
    public static func noColorRequested(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        !(environment["NO_COLOR"] ?? "").isEmpty
    }
}

extension DashboardSettings {
    /// A number a user sets (a config key or a flag): its default and the range
    /// it must lie in, said once for the config reader and the dashboard.
    public struct Bounded: Sendable {
        /// What the user calls it, for the message about a value out of range.
        public let name: String
        public let unit: String
        public let defaultValue: Int
        public let range: ClosedRange<Int>

        public static let refreshInterval = Bounded(name: "refresh interval", unit: " seconds", defaultValue: 15, range: 1...3600)
        public static let pageSize = Bounded(name: "page size", unit: "", defaultValue: 20, range: 1...100)
        public static let remindBeforeMinutes = Bounded(name: "remind_before_minutes", unit: "", defaultValue: 5, range: 0...1440)
        /// How long an exported meeting without a `duration` lasts, in minutes.
        public static let icsDefaultMinutes = Bounded(name: "ics_default_minutes", unit: "", defaultValue: 60, range: 1...1440)

        public func clamp(_ value: Int) -> Int { min(max(range.lowerBound, value), range.upperBound) }

        /// Nil when `value` lies in the range, else what to tell the user.
        public func problem(_ value: Int) -> String? {
            range.contains(value) ? nil
                : "\(name) must be between \(range.lowerBound) and \(range.upperBound)\(unit) (got \(value))"
        }
    }
}
