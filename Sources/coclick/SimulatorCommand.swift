import ArgumentParser
import CoClickAPI
import CoClickSimulator
import Foundation
import TerminalText

extension SimulatorFixture: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "standard", "demo": self = .standard
        case "hostile": self = .hostile
        case "empty": self = .empty
        case "busy": self = .busy
        case let a where a.hasPrefix("soon:"):
            guard let n = Int(a.dropFirst(5)), n >= 0, n <= 86_400 else { return nil }
            self = .soon(n)
        default:
            guard let n = Int(argument), n >= 0, n <= 100_000 else { return nil }
            self = .count(n)
        }
    }

    public static var allValueStrings: [String] { ["standard", "hostile", "empty", "busy (a busy afternoon: the first page all over)", "N (a number)", "soon:SECONDS (one meeting starting then)"] }
}

struct SimulatorCommand: AsyncCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Serve the simulated CoClick API; prints its base URL and demo credentials.",
        discussion: """
        Faults can be changed while it runs: POST /_simulator/faults with JSON like \
        {"maintenance": true, "failure_rate": 0.2, "latency_ms": 300, "garbage": false, "hang": false}; \
        POST /_simulator/reset restores the seed data.
        """
    )

    @Option(help: "Address to listen on (loopback by default).")
    var host = "127.0.0.1"

    @Option(help: "Port; 0 picks a free one.")
    var port = 8787

    @Option(help: "Seed data: standard, hostile (escape sequences, bidi, wide characters), empty, or a number of meetings.")
    var fixture: SimulatorFixture = .standard

    @Option(name: .customLong("token-ttl"), help: "Seconds a bearer token lives.")
    var tokenTTL: Double = 3600

    @Option(name: .customLong("latency-ms"), help: "Added latency per request, in milliseconds.")
    var latency = 0

    @Option(name: .customLong("fail-rate"), help: "Share of requests answered with 500 (0...1).")
    var failRate = 0.0

    @Flag(help: "Answer every request with 503 (maintenance).")
    var maintenance = false

    @Flag(help: "Print one line per request on stderr.")
    var verbose = false

    @Flag(help: "Answer like a server that has grown since the docs: unknown fields, Z dates, big integers in \(MeetingField.customData.name), an unknown status, a silently clamped page size.")
    var grown = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1") }
        guard latency >= 0, latency <= 600_000 else { throw ValidationError("--latency-ms must be between 0 and 600000") }
        guard tokenTTL > 0 else { throw ValidationError("--token-ttl must be positive") }
    }

    func execute() async throws -> Int32 {
        var options = SimulatorOptions(host: host, port: port, tokenTTL: tokenTTL, fixture: fixture)
        options.latencyMilliseconds = latency
        options.failureRate = failRate
        options.maintenance = maintenance
        options.grown = grown
        if verbose {
            options.onRequest = { r in Output.warn("\(r.method) \(SafeText.escape(r.path))\(r.query.isEmpty ? "" : "?" + SafeText.escape(r.query))") }
        }
        let sim = Simulator(options: options)
        let url: URL
        do {
            url = try await sim.start()
        } catch {
            throw UsageError("cannot listen on \(host):\(port): \(error)")
        }
        if !APIEndpoint.isLoopback(host) {
            Output.warn("listening on \(host), not loopback: anyone who can reach this machine can use the simulator")
        }
        let creds = Simulator.demoCredentials
        Output.line("CoClick simulator listening on \(url.absoluteString)")
        Output.line("Demo credentials (not secret):")
        Output.line("  export COCLICK_API_URL=\(url.absoluteString)")
        Output.line("  export COCLICK_SECRET_ID=\(creds.secretID)")
        Output.line("  export COCLICK_SECRET_KEY=\(creds.secretKey)")
        Output.line("Press Ctrl-C to stop.")
        await Signals.waitForTermination()
        await sim.stop()
        return 0
    }
}

/// Waits for SIGINT or SIGTERM without killing the process, so servers stop cleanly.
enum Signals {
    static func waitForTermination() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            // A queue of its own: the main thread runs MainLoop, not the main queue.
            let queue = DispatchQueue(label: "coclick.termination")
            queue.async {
                var sources: [DispatchSourceSignal] = []
                var resumed = false
                for sig in [SIGINT, SIGTERM, SIGHUP] {
                    signal(sig, SIG_IGN)
                    let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
                    s.setEventHandler {
                        guard !resumed else { return }
                        resumed = true
                        sources.forEach { $0.cancel() }
                        c.resume()
                    }
                    s.resume()
                    sources.append(s)
                }
            }
        }
    }
}
