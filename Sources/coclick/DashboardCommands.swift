import ArgumentParser
import CoClickAPI
import CoClickSimulator
import Dashboard
import Foundation
import TerminalText
import TerminalUI

/// Options of the two dashboard commands.
struct DashboardOptions: ParsableArguments {
    @Option(help: "Seconds between refreshes of the list (config: refresh_interval; default 15).")
    var refresh: Int?

    @Option(name: .customLong(GlobalOptionName.per), help: "Meetings per page (config: page_size; default 20).")
    var per: Int?

    func dashboardSettings(_ s: Settings, apiDescription: String) -> DashboardSettings {
        // A `[keys]` entry that cannot apply is said on screen; the defaults stay.
        let remap = s.keys.apply(to: .standard)
        var settings = DashboardSettings(
            themeName: s.theme, refreshInterval: TimeInterval(s.refreshInterval), pageSize: s.pageSize,
            clipboardMode: s.clipboard,
            remindBeforeMinutes: s.remindBeforeMinutes, notifyMode: NotifyMode(rawValue: s.notify.rawValue) ?? .all,
            noColor: DashboardSettings.noColorRequested(),
            apiDescription: apiDescription, keymap: remap.keymap,
            account: AccountKey(apiURL: s.apiURL.absoluteString, secretID: s.credentials.secretID),
            mouse: s.mouse, profileName: s.profile,
            startupProblems: s.problems + remap.problems.map { "config file: " + $0 }
        )
        settings.charset = TerminalCharset.current
        settings.me = s.me
        settings.remindAll = s.remindAll
        settings.opener = Opener.detect { ChildProcess.isOnPath($0) }
        settings.invitation = s.invitation
        return settings
    }
}

struct DashboardCommand: AsyncCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The dashboard (full-screen) against the configured API. This is what plain `coclick` runs."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: DashboardOptions

    func execute() async throws -> Int32 {
        let settings = try Settings.resolve(global, theme: global.theme, refresh: options.refresh, per: options.per)
        let client = try global.dashboardClient(settings)
        let server = APIEndpoint.hostAndPort(settings.apiURL)
        return await DashboardApp.run(client: client, settings: options.dashboardSettings(settings, apiDescription: server))
    }
}

struct DemoCommand: AsyncCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The dashboard against an embedded simulator on a free loopback port: no account, no config."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: DashboardOptions

    @Option(help: "Seed data: standard, hostile, empty, or a number of meetings.")
    var fixture: SimulatorFixture = .standard

    @Option(name: .customLong("fail-rate"), help: "Share of requests the simulator answers with 500 (0...1), to see the dashboard cope.")
    var failRate = 0.0

    @Option(name: .customLong("latency-ms"), help: "Latency the simulator adds to each request, in milliseconds.")
    var latency = 0

    func validate() throws {
        if global.apiURL != nil { throw ValidationError("demo runs its own simulator: --api-url does not apply (use 'coclick dashboard --api-url URL')") }
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1") }
        guard (0...600_000).contains(latency) else { throw ValidationError("--latency-ms must be between 0 and 600000") }
    }

    func execute() async throws -> Int32 {
        var simOptions = SimulatorOptions(fixture: fixture)
        simOptions.failureRate = failRate
        simOptions.latencyMilliseconds = latency
        let sim = Simulator(options: simOptions)
        let url = try await sim.start()
        // The demo ignores the user's account settings but keeps their look (theme, clipboard, refresh).
        var global = self.global
        global.apiURL = url.absoluteString
        var settings = try Settings.resolve(global, theme: global.theme, refresh: options.refresh, per: options.per)
        settings.credentials = Simulator.demoCredentials
        let client = try global.dashboardClient(settings)
        var dashboard = options.dashboardSettings(settings, apiDescription: "demo · " + APIEndpoint.hostAndPort(url))
        // Each demo has a new port and fresh seed data: one draft for every demo, and no cached list.
        dashboard.account = AccountKey(apiURL: "coclick demo", secretID: "")
        dashboard.cacheDirectory = nil
        let code = await DashboardApp.run(client: client, settings: dashboard)
        await sim.stop()
        return code
    }
}
