import CoClickAPI
import CoClickSimulator
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The real binary and the secret key: plain http only to literal loopback
/// addresses, a word on stderr when the user allows it elsewhere, no password
/// from the API URL in what it prints, and a config file through a symlink
/// judged by the file it leads to.
@Suite("The key never leaves in clear", .serialized)
struct TrustTests {
    let credentials = [
        "COCLICK_SECRET_ID": Simulator.demoCredentials.secretID,
        "COCLICK_SECRET_KEY": Simulator.demoCredentials.secretKey,
    ]

    func withSimulator(_ body: (Simulator, URL) async throws -> Void) async throws {
        try await withRunningSimulator(SimulatorOptions(), body)
    }

    /// Names that merely start like loopback addresses. The proxy in the
    /// environment would carry a request for any of them (it relays `.test`
    /// names to 127.0.0.1): it hears nothing, because coclick refuses first.
    @Test func aHostNameThatLooksLikeLoopbackNeverGetsTheKey() async throws {
        let proxy = try LoopbackProxy()
        defer { proxy.stop() }
        var env = credentials
        env["HTTP_PROXY"] = proxy.url
        for host in ["127.attacker.test", "127.0.0.1.attacker.test", "localhost.attacker.test", "127.0.0.1.test"] {
            let r = try await runCoclick(["auth", "check", "--api-url", "http://\(host):8080/api/v1", "--timeout", "5"], env: env)
            #expect(r.status == 2, "\(host): \(r.stderr)")
            #expect(r.stderr.contains("--allow-insecure-http"), "\(host): \(r.stderr)")
            #expect(!r.stderr.contains(Simulator.demoCredentials.secretKey))
        }
        #expect(proxy.targets.isEmpty, "a request went out: \(proxy.targets)")
    }

    @Test func allowingInsecureHTTPSaysSoOnceAndTheURLsPasswordIsMasked() async throws {
        let proxy = try LoopbackProxy()
        defer { proxy.stop() }
        try await withSimulator { _, url in
            var env = credentials
            env["HTTP_PROXY"] = proxy.url
            env["COCLICK_API_URL"] = "http://ops:hunter2@coclick-api.test:\(url.port!)/api/v1"
            let r = try await runCoclick(["auth", "check", "--allow-insecure-http"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            let warnings = r.stderr.components(separatedBy: "unencrypted").count - 1
            #expect(warnings == 1, "said \(warnings) times: \(r.stderr)")
            #expect(r.stderr.contains("coclick-api.test"), "\(r.stderr)")
            #expect(r.stdout.contains("Authenticated with http://***@coclick-api.test:\(url.port!)/api/v1"), "\(r.stdout)")
            #expect(!r.stdout.contains("hunter2") && !r.stderr.contains("hunter2"), "\(r.stdout)\(r.stderr)")
            let json = try await runCoclick(["auth", "check", "--json", "--allow-insecure-http"], env: env)
            #expect(json.status == 0, "\(json.stderr)")
            #expect(json.stdout.contains("***@coclick-api.test"), "\(json.stdout)")
            #expect(!json.stdout.contains("hunter2"), "\(json.stdout)")

            // To loopback nothing is said: the key does not leave the machine.
            var local = credentials
            local["COCLICK_API_URL"] = url.absoluteString
            let quiet = try await runCoclick(["auth", "check", "--allow-insecure-http"], env: local)
            #expect(quiet.status == 0, "\(quiet.stderr)")
            #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
        }
    }

    /// Dotfile managers link the config file: the mode that counts is the
    /// target's, and the advice names the file that chmod must change.
    @Test func aConfigFileThroughASymlinkIsJudgedByItsTarget() async throws {
        try await withSimulator { _, url in
            let dir = try makeTempDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let dotfiles = dir.appendingPathComponent("dotfiles")
            try FileManager.default.createDirectory(at: dotfiles, withIntermediateDirectories: true)
            let target = dotfiles.appendingPathComponent("coclick.toml").path
            let link = dir.appendingPathComponent("config.toml").path
            let toml = """
            api_url = "\(url.absoluteString)"
            secret_id = "\(Simulator.demoCredentials.secretID)"
            secret_key = "\(Simulator.demoCredentials.secretKey)"
            """
            #expect(FileManager.default.createFile(atPath: target, contents: Data(toml.utf8), attributes: [.posixPermissions: 0o600]))
            #expect(symlink(target, link) == 0)

            let ok = try await runCoclick(["auth", "check", "--config", link])
            #expect(ok.status == 0, "a 0600 target is accepted: \(ok.stderr)")

            chmod(target, 0o644)
            let refused = try await runCoclick(["auth", "check", "--config", link])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("mode 644"), "\(refused.stderr)")
            #expect(refused.stderr.contains("chmod 600 \(target)"), "\(refused.stderr)")
            #expect(!refused.stderr.contains(Simulator.demoCredentials.secretKey))
        }
    }
}
