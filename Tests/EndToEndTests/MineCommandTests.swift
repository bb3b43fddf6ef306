import CoClickAPI
import CoClickSimulator
import Foundation
import Testing

/// `--mine`: only the meetings whose owner is exactly me, though the API's
/// owner filter matches "contains" (ada@ is inside nada@).
extension CommandTests {
    @Test func mineListsAndNextsOnlyMyOwnMeetings() async throws {
        try await withSimulator { _, env in
            let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(600))
            let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(300))
            for (user, at) in [("nada@example.com", later), ("ada@example.com", soon)] {
                let r = try await runCoclick(["meetings", "create", "--user", user, "--starts-at", at,
                                              "--cobrowsing-url", "https://example.com/\(user)"], env: env)
                #expect(r.status == 0, "\(r.stderr)")
            }
            let list = try await runCoclick(["meetings", "list", "--mine", "--me", "ada@example.com", "--all"], env: env)
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.contains("ada@example.com"))
            #expect(!list.stdout.contains("nada@example.com"), "\(list.stdout)")
            let json = try await runCoclick(["meetings", "list", "--mine", "--json", "--all"], env: env.merging(["COCLICK_CONFIG": try meConfig("ADA@example.com")]) { $1 })
            #expect(json.status == 0, "\(json.stderr)")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(!items.isEmpty && items.allSatisfy { ($0["user"] as? String)?.lowercased() == "ada@example.com" })
            // nada's meeting starts first; mine is the next one of mine.
            let next = try await runCoclick(["next", "--mine", "--me", "ada@example.com", "--format", "{user} {short_id}"], env: env)
            #expect(next.status == 0 && next.stdout.hasPrefix("ada@example.com"), "\(next.stdout)\(next.stderr)")
            // Without me, --mine says how to set it.
            let none = try await runCoclick(["meetings", "list", "--mine"], env: env)
            #expect(none.status == 2 && none.stderr.contains("me = "))
        }
    }

    /// A config file (0600) that says who I am.
    func meConfig(_ me: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-me-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("config.toml")
        try "me = \"\(me)\"\n".write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
