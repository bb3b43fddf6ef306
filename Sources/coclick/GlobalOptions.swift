import ArgumentParser
import CoClickAPI
import Foundation
import Logging
import TerminalText
import TerminalUI

/// The long names of the options every command takes, spelled once:
/// `GlobalOptions` declares them, and `CommandLineShape` and the shell
/// completion find them before the subcommand with these lists.
enum GlobalOptionName {
    static let config = "config"
    static let profile = "profile"
    static let apiURL = "api-url"
    static let allowInsecureHTTP = "allow-insecure-http"
    static let logFile = "log-file"
    static let timeout = "timeout"
    static let me = "me"
    static let theme = "theme"
    /// Only the commands that page declare `--per` (`meetings list`, the
    /// dashboard), but it is a setting like `--theme` and may go first too.
    static let per = "per"

    /// Those that take a value, and the flags.
    static let valued = [config, profile, apiURL, logFile, timeout, me, theme, per]
    static let flags = [allowInsecureHTTP]
}

/// Options every command that talks to the API shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong(GlobalOptionName.config), help: "Config file (TOML). Default: $XDG_CONFIG_HOME/coclick/config.toml; env COCLICK_CONFIG.", completion: .file())
    var config: String?

    @Option(name: .customLong(GlobalOptionName.profile), help: "Use the [profiles.NAME] table of the config file on top of its top level. Env COCLICK_PROFILE.", completion: .custom(ShellCompletion.profiles))
    var profile: String?

    @Option(name: .customLong(GlobalOptionName.apiURL), help: "API base URL. Env COCLICK_API_URL. Default: \(Settings.defaultAPIURL).")
    var apiURL: String?

    @Flag(name: .customLong(GlobalOptionName.allowInsecureHTTP), help: "Allow a plain http:// API URL to a non-loopback host (the secret key would travel unencrypted).")
    var allowInsecureHTTP = false

    @Option(name: .customLong(GlobalOptionName.logFile), help: "Append a log of API requests to this file (never headers or secrets).", completion: .file())
    var logFile: String?

    @Option(name: .customLong(GlobalOptionName.timeout), help: "Seconds the whole command may take, every request, retry and the authentication included (more than 0, at most 600; default 60; the dashboard: 10 per request).")
    var timeout: Double?

    @Option(name: .customLong(GlobalOptionName.me), help: "Your owner email (config: me): the dashboard starts on your meetings, --mine lists them, the form's User starts with it.")
    var me: String?

    @Option(name: .customLong(GlobalOptionName.theme), help: "Theme: default, light, high-contrast, mono, or a user theme in $XDG_CONFIG_HOME/coclick/themes. Env COCLICK_THEME.", completion: .custom(ShellCompletion.themes))
    var theme: String?

    /// The longest `--timeout`; any positive number of seconds up to it is taken.
    static let maxTimeout: Double = 600

    func validate() throws {
        if let timeout, !(timeout > 0 && timeout <= Self.maxTimeout) {
            // 0 itself is refused: say so, not "between 0 and ...".
            throw ValidationError("--timeout must be more than 0 and at most \(Int(Self.maxTimeout)) seconds (fractions allowed, e.g. 0.5)")
        }
    }

    /// The logger for `--log-file`, or nil.
    func makeLogger() throws -> Logger? {
        guard let path = logFile, !path.isEmpty else { return nil }
        let sink = try FileLogHandler.Sink(path: path)
        return Logger(label: "coclick") { label in FileLogHandler(label: label, sink: sink) }
    }

    /// The client for one-shot commands: retries transient failures itself,
    /// and nothing it does runs past `--timeout` from now.
    func client(_ settings: Settings) throws -> CoClickClient {
        let whole = timeout ?? 60
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(whole * 1000)))
        return try client(settings, defaultTimeout: min(whole, 20), retry: RetryPolicy(), deadline: deadline)
    }

    /// The dashboard's client: a shorter timeout, so a hung server shows as
    /// "retrying" soon, and no retries of its own: the dashboard backs off
    /// between polls and says so in the footer.
    func dashboardClient(_ settings: Settings) throws -> CoClickClient {
        try client(settings, defaultTimeout: 10, retry: .none)
    }

    func client(_ settings: Settings, defaultTimeout: TimeInterval, retry: RetryPolicy,
                deadline: ContinuousClock.Instant? = nil) throws -> CoClickClient {
        try settings.requireCredentials()
        let config = ClientConfiguration(
            baseURL: settings.apiURL, credentials: settings.credentials,
            requestTimeout: deadline == nil ? (timeout ?? defaultTimeout) : defaultTimeout,
            deadline: deadline, retry: retry, logger: try makeLogger()
        )
        return CoClickClient(configuration: config)
    }
}
