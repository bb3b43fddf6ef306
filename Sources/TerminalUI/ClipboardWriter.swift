import Dashboard
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Carries out `Effect.copy`: takes the route `ClipboardRoute.choose` picks
/// (once, at the first copy) and either hands back an OSC 52 sequence for
/// the terminal or runs a program with the text on its stdin.
actor ClipboardWriter {
    private let mode: ClipboardMode
    private let environment: [String: String]
    private var route: ClipboardRoute?
    /// `tmux -V` said 3.2 or later; asked at the first copy inside tmux.
    private var tmuxForwards: Bool?
    /// Seconds a clipboard program may take.
    static let timeout: TimeInterval = 5

    init(mode: ClipboardMode, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.mode = mode
        self.environment = environment
    }

    /// Copies `text`. `sequence` is for the terminal (written after the next
    /// frame); `outcome` says what is known of the result.
    func copy(_ text: String) async -> (sequence: String?, outcome: CopyOutcome) {
        switch resolvedRoute() {
        case .none:
            return (nil, .failed("clipboard is off"))
        case .terminal(let envelope):
            return (OSC52.sequence(for: text, envelope: envelope), .sent)
        case .program(let program):
            return (nil, await run(program, text))
        case .tmuxBuffer:
            if await tmuxCanForward() {
                return (nil, await run(ClipboardRoute.tmuxLoadBuffer, text))
            }
            return (OSC52.sequence(for: text, envelope: .tmux), .sent)
        }
    }

    private func resolvedRoute() -> ClipboardRoute {
        if let route { return route }
        let env = environment
        let chosen = ClipboardRoute.choose(mode: mode, environment: env) { ChildProcess.isOnPath($0, environment: env) }
        route = chosen
        return chosen
    }

    private func tmuxCanForward() async -> Bool {
        if let tmuxForwards { return tmuxForwards }
        let r = await ChildProcess(["tmux", "-V"], timeout: Self.timeout).run()
        let can = r.succeeded && ClipboardRoute.tmuxCanForwardBuffer(versionOutput: r.output)
        tmuxForwards = can
        return can
    }

    private func run(_ program: ClipboardProgram, _ text: String) async -> CopyOutcome {
        let r = await ChildProcess(program.arguments, input: Data(text.utf8), timeout: Self.timeout).run()
        if let why = r.failure { return .failed("\(program.name): \(why)") }
        return .confirmed(by: program.name)
    }
}
