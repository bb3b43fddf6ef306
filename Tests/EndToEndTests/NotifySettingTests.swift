import Foundation
import Testing

/// Config `notify`: all, bell or off; anything else is refused in words.
@Suite("notify setting")
struct NotifySettingTests {
    func demo(withConfig text: String) async throws -> ProcessResult {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("coclick")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try text.write(to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        return try await runCoclick(["demo"], env: ["XDG_CONFIG_HOME": dir.path])
    }

    @Test func knownValuesAreAcceptedAndOthersRefused() async throws {
        for good in ["all", "bell", "off", "BELL"] {
            let r = try await demo(withConfig: "notify = \"\(good)\"\n")
            // Accepted: it gets as far as asking for a terminal (stdin is not one here).
            #expect(r.stderr.contains("needs a terminal"), "\(good): \(r.stderr)")
        }
        let bad = try await demo(withConfig: "notify = \"loud\"\n")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("notify 'loud' is not one of all, bell, off"), "\(bad.stderr)")
        let notString = try await demo(withConfig: "notify = true\n")
        #expect(notString.status == 2)
        #expect(notString.stderr.contains("'notify' must be a string"), "\(notString.stderr)")
    }
}
