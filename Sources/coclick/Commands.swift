import ArgumentParser
import CoClickAPI
// Foundation, not only FoundationEssentials, in this executable and in CoClickSimulator:
// the binary carries the simulator (`coclick demo`, `coclick simulator`), and Hummingbird
// links Foundation (and CoreFoundation) in any case. What the commands take from it
// (FileHandle and ISO8601DateFormatter for the log file, the config file's mode bits as
// an NSNumber) runs once at start, or only with a log file; the libraries the dashboard runs on (CoClickAPI, Dashboard,
// TerminalUI, TerminalText) use FoundationEssentials only, which MemberImportVisibility
// (Package.swift) holds them to.
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

    @Option(name: .customLong(GlobalOptionName.apiURL), help: "API base URL. Env COCLICK_API_URL. Default: https://www.coclick.io/api/v1.")
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

/// A command whose work is asynchronous; it returns the process exit code.
protocol AsyncCommand: ParsableCommand {
    @MainActor func execute() async throws -> Int32
}

extension AsyncCommand {
    mutating func run() throws {
        // Never called: main.swift runs `execute()` on the main queue.
    }
}

@main
struct Coclick: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coclick",
        abstract: "Terminal dashboard and command-line client for the CoClick co-browsing meeting API.",
        discussion: """
        Configuration: flag > environment (COCLICK_API_URL, COCLICK_SECRET_ID, COCLICK_SECRET_KEY, \
        COCLICK_CONFIG, COCLICK_PROFILE, COCLICK_THEME, COCLICK_CLIPBOARD) > config file (TOML; \
        a [profiles.NAME] table chosen with --profile NAME goes over its top level) > default. \
        The secret key is never accepted on the command line.

        Global options (--api-url, --config, --timeout, --log-file, --theme), and --per of the commands that page, \
        go before or after the command: 'coclick --api-url URL meetings list' is 'coclick meetings list --api-url URL'.

        Exit codes: 0 success, 1 network/server error, 2 usage error (input that cannot be read included: \
        a date, JSON, a cookie), 3 authentication failed, 4 not found, 5 validation failed (a field the API \
        refuses, said by it or seen before sending).
        """,
        version: BuildInfo.versionLine,
        subcommands: [
            DashboardCommand.self, DemoCommand.self, SimulatorCommand.self, MeetingsCommand.self, NextCommand.self, AuthCommand.self,
            CompletionCommand.self, ManualCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )

    static func main() {
        let arguments: [String]
        switch CommandLineShape.normalize(Array(CommandLine.arguments.dropFirst())) {
        case .success(let a): arguments = a
        case .failure(let unknown):
            Output.warn(unknown.message)
            Foundation.exit(2)
        }
        let command: ParsableCommand
        do {
            // The completion scripts' own calls go to the tree they were made from.
            command = try CompletionRoot.answers(arguments) ? CompletionRoot.parseAsRoot(arguments) : parseAsRoot(arguments)
        } catch {
            exitForParseError(error)
        }
        if command is DashboardCommand || command is DemoCommand {
            // Before any thread starts: this may exec the process again with SWIFT_BACKTRACE set.
            CrashReporting.prepare()
        } else {
            CrashReporting.notADashboard()
        }
        guard let async = command as? AsyncCommand else {
            do {
                var c = command
                try c.run()
                Foundation.exit(0)
            } catch {
                exitForParseError(error)
            }
        }
        // Before the first task: tasks off the main actor run on the client's
        // NIO event-loop thread, not on libdispatch's worker pool, whose
        // monitor would wake the process every second for good.
        ConcurrencyExecutor.installTransportEventLoop()
        Task { @MainActor in
            let code = await runReportingErrors(async)
            Foundation.exit(code)
        }
        // Not dispatchMain(): the main thread runs its own loop, which drains the
        // main queue and serves the dashboard's terminal, signals and timers, so
        // an idle dashboard wakes one thread once a second.
        MainLoop.run()
    }

    /// ArgumentParser's usage failures exit 64; our contract says 2.
    static func exitForParseError(_ error: Error) -> Never {
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { Output.line(message) }
            Foundation.exit(0)
        }
        if !message.isEmpty { Output.write(message + "\n", to: STDERR_FILENO) }
        Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
    }

    @MainActor static func runReportingErrors(_ command: AsyncCommand) async -> Int32 {
        do {
            return try await command.execute()
        } catch {
            return report(error)
        }
    }

    /// Prints an error on stderr and gives its exit code.
    static func report(_ error: Error) -> Int32 {
        switch error {
        case let e as UsageError:
            Output.warn(e.message)
            return 2
        case let e as ValidationError:
            Output.warn(e.message)
            return 2
        case let e as APIError:
            switch e {
            case .validation(let errors):
                Output.warn("the API rejected the meeting:")
                printValidation(errors)
                return 5
            case .unauthorized:
                Output.warn(e.description)
                return 3
            case .notFound:
                Output.warn(SafeText.escape(e.description))
                return 4
            case .configuration(let m):
                Output.warn(m)
                return 2
            default:
                Output.warn(SafeText.escape(e.description))
                return 1
            }
        default:
            Output.warn(SafeText.escape("\(error)"))
            return 1
        }
    }

    static func printValidation(_ errors: ValidationErrors) {
        for (field, messages) in errors.orderedFields {
            for m in messages {
                Output.write("  \(SafeText.escape(field)): \(SafeText.escape(m))\n", to: STDERR_FILENO)
            }
        }
    }
}
