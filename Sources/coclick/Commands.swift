import ArgumentParser
import CoClickAPI
// Foundation, not only FoundationEssentials, in this executable and in CoClickSimulator:
// the binary carries the simulator (`coclick demo`, `coclick simulator`), and Hummingbird
// links Foundation (and CoreFoundation) in any case. What the commands take from it
// (FileHandle and ISO8601DateFormatter for the log file, the config file's mode bits as
// an NSNumber) runs once at start, or only with a log file; the libraries the dashboard
// runs on (CoClickAPI, Dashboard, TerminalUI, TerminalText) use FoundationEssentials
// only, which MemberImportVisibility (Package.swift) holds them to.
import Foundation
import Logging
import TerminalText
import TerminalUI

/// A command whose work is asynchronous; it returns the process exit code.
protocol AsyncCommand: ParsableCommand {
    @MainLoopActor func execute() async throws -> Int32
}

extension AsyncCommand {
    mutating func run() throws {
        // Never called: main() runs `execute()` on the main thread's loop (MainLoopActor).
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
            // Before any thread starts: our crash handlers replace the runtime's backtracer.
            CrashReporting.prepare()
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
        Task { @MainLoopActor in
            let code = await runReportingErrors(async)
            Foundation.exit(code)
        }
        // Not dispatchMain(): the main thread runs its own loop, which runs
        // MainLoopActor's jobs and serves the dashboard's terminal, signals and
        // timers, so an idle dashboard wakes one thread once a second.
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

    @MainLoopActor static func runReportingErrors(_ command: AsyncCommand) async -> Int32 {
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
