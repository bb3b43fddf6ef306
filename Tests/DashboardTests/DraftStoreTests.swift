@testable import Dashboard
import Foundation
import Testing

@Suite("Draft store")
struct DraftStoreTests {
    func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-draft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func permissions(_ url: URL) throws -> Int {
        let attrs = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attrs[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func sample() -> FormDraft {
        var d = FormDraft()
        d.user = "ada@example.com"
        d.startsAt = "tomorrow 9:00"
        d.cobrowsingURL = "https://shop.example.com/"
        d.cookies = [.init(domain: "shop.example.com", name: "sid")]
        d.customData = #"{"crm": "ü 名前"}"#
        return d
    }

    @Test func roundTripWithPrivatePermissions() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = DraftStore(directory: root.appendingPathComponent("state/coclick"))
        #expect(store.load() == .none)
        try store.save(sample())
        #expect(store.load() == .draft(sample()))
        #expect(try permissions(store.fileURL) == 0o600)
        #expect(try permissions(store.directory) == 0o700)
    }

    @Test func aLooseExistingDirectoryIsNarrowed() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("coclick")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try DraftStore(directory: dir).save(sample())
        #expect(try permissions(dir) == 0o700)
    }

    @Test func theWriteIsAtomicAndLeavesNoTemporaryFiles() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = DraftStore(directory: root)
        try store.save(sample())
        let before = try FileManager.default.attributesOfItem(atPath: store.fileURL.path)[.systemFileNumber] as? NSNumber
        var second = sample()
        second.user = "grace@example.com"
        try store.save(second)
        let after = try FileManager.default.attributesOfItem(atPath: store.fileURL.path)[.systemFileNumber] as? NSNumber
        // A new file renamed over the old one, never the old one rewritten in place.
        #expect(before != nil && after != nil && before != after)
        #expect(store.load() == .draft(second))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["draft.json"])
    }

    @Test func aFailedSaveSaysWhyAndLeavesNoTemporaryFile() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        // Where the folder should be, a file: nothing can be written (even as root).
        let blocked = root.appendingPathComponent("coclick")
        try Data("x".utf8).write(to: blocked)
        #expect(throws: DraftStore.Failure.self) { try DraftStore(directory: blocked).save(sample()) }
        // The target name taken by a folder: the rename fails, the temporary file is removed.
        let store = DraftStore(directory: root.appendingPathComponent("other"))
        try FileManager.default.createDirectory(at: store.fileURL.appendingPathComponent("sub"), withIntermediateDirectories: true)
        #expect(throws: DraftStore.Failure.self) { try store.save(sample()) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory.path) == ["draft.json"])
    }

    @Test(arguments: ["", "{", "null", "[1,2]", #"{"user": 42}"#, "\u{0}\u{1}garbage", #"{"version": 99}"#])
    func aCorruptFileIsIgnoredWithAReason(_ content: String) throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = DraftStore(directory: root)
        try Data(content.utf8).write(to: store.fileURL)
        guard case .unreadable(let why) = store.load() else { Issue.record("read \(content.debugDescription) as a draft"); return }
        #expect(why.contains(store.fileURL.path))
        // The next save replaces it.
        try store.save(sample())
        #expect(store.load() == .draft(sample()))
    }

    @Test func unknownKeysAndMissingOnesAreFine() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = DraftStore(directory: root)
        try Data(#"{"user": "a@example.com", "future_field": true}"#.utf8).write(to: store.fileURL)
        var expected = FormDraft()
        expected.user = "a@example.com"
        #expect(store.load() == .draft(expected))
    }

    /// The file's keys: the API's names for the form's fields, the draft's
    /// own for the rest. A file written by an earlier coclick reads the same.
    @Test func theFileKeysAreStable() throws {
        let file = #"""
            {"version": 1, "user": "a@example.com", "starts_at": "tomorrow 9:00", "cobrowsing_url": "https://shop.example.com/",
             "cookies": [{"domain": "shop.example.com", "name": "sid"}], "custom_data": "{}",
             "presenter_waiting_room_iframe_url": "https://p.example.com/", "prospect_waiting_room_iframe_url": "https://q.example.com/",
             "create_outcome_unknown": true, "sent_user": "a@example.com", "sent_starts_at": "2026-12-01T09:00:00.000+01:00"}
            """#
        var expected = FormDraft()
        expected.user = "a@example.com"
        expected.startsAt = "tomorrow 9:00"
        expected.cobrowsingURL = "https://shop.example.com/"
        expected.cookies = [.init(domain: "shop.example.com", name: "sid")]
        expected.customData = "{}"
        expected.presenterIframe = "https://p.example.com/"
        expected.prospectIframe = "https://q.example.com/"
        expected.createOutcomeUnknown = true
        expected.sentUser = "a@example.com"
        expected.sentStartsAt = "2026-12-01T09:00:00.000+01:00"
        #expect(try JSONDecoder().decode(FormDraft.self, from: Data(file.utf8)) == expected)
        let written = try JSONSerialization.jsonObject(with: JSONEncoder().encode(expected)) as? [String: Any]
        let keys = try #require(written).keys.sorted()
        #expect(keys == [
            "cobrowsing_url", "cookies", "create_outcome_unknown", "custom_data", "presenter_waiting_room_iframe_url",
            "prospect_waiting_room_iframe_url", "sent_starts_at", "sent_user", "starts_at", "user", "version",
        ])
    }

    @Test func deleteRemovesItAndIsFineWhenMissing() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = DraftStore(directory: root)
        try store.delete()
        try store.save(sample())
        try store.delete()
        #expect(store.load() == .none)
        #expect(!FileManager.default.fileExists(atPath: store.fileURL.path))
    }

    @Test func xdgStateHomeIsRespected() {
        #expect(DraftStore.defaultDirectory(environment: ["XDG_STATE_HOME": "/tmp/st", "HOME": "/home/u"])?.path == "/tmp/st/coclick")
        #expect(DraftStore.defaultDirectory(environment: ["HOME": "/home/u"])?.path == "/home/u/.local/state/coclick")
        // Relative or empty XDG paths are ignored, as the spec says.
        #expect(DraftStore.defaultDirectory(environment: ["XDG_STATE_HOME": "rel", "HOME": "/home/u"])?.path == "/home/u/.local/state/coclick")
        #expect(DraftStore.defaultDirectory(environment: ["XDG_STATE_HOME": ""])?.path == nil)
    }

    @Test func theFileHoldsNothingSecret() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var form = MeetingForm()
        form.user = TextField("ada@example.com")
        form.addCookieRow()
        form.cookies[0].domain = TextField("shop.example.com")
        form.cookies[0].name = TextField("session")
        form.cookies[0].value = TextField("TOPSECRETVALUE")
        let store = DraftStore(directory: root)
        try store.save(form.draft)
        let text = try String(contentsOf: store.fileURL, encoding: .utf8)
        #expect(!text.contains("TOPSECRETVALUE"))
        #expect(text.contains("session"))
    }
}
