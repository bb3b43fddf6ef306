@testable import Dashboard
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Several dashboards on one account, each with a draft of its own; and
/// folders and files that are not this user's alone, never read or written.
@Suite("Draft slots and private folders")
struct DraftSlotsTests {
    let account = AccountKey(apiURL: "http://127.0.0.1:9/api/v1", secretID: "id")

    func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-slots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func draft(_ user: String) -> FormDraft {
        var d = FormDraft()
        d.user = user
        return d
    }

    func mode(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_mode) & 0o777 : -1
    }

    func jsonFiles(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    // MARK: One draft per window

    @Test func twoWindowsKeepTwoDraftsAndTheNextStartOffersBoth() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("coclick")
        var a: DraftSlots? = DraftSlots(directory: dir, account: account)
        var b: DraftSlots? = DraftSlots(directory: dir, account: account)
        #expect(a!.open() == DraftSlots.Opened(loaded: .none, kept: 0, editedElsewhere: 0))
        #expect(b!.open() == DraftSlots.Opened(loaded: .none, kept: 0, editedElsewhere: 0))
        try a!.save(draft("alice@example.com"))
        try b!.save(draft("bob@example.com"))
        try a!.save(draft("alice@example.com, again"))
        #expect(a!.store?.fileURL != b!.store?.fileURL)
        #expect(jsonFiles(dir).count == 2)
        #expect(a!.store?.load() == .draft(draft("alice@example.com, again")))
        #expect(b!.store?.load() == .draft(draft("bob@example.com")))
        // Both windows end (their locks go with them).
        a = nil
        b = nil

        let c = DraftSlots(directory: dir, account: account)
        let first = c.open()
        #expect(first.loaded == .draft(draft("alice@example.com, again")), "the newest first")
        #expect(first.kept == 1 && first.editedElsewhere == 0)
        // Sent (or emptied): the next n offers the other one.
        try c.delete()
        let second = c.open()
        #expect(second == DraftSlots.Opened(loaded: .draft(draft("bob@example.com")), kept: 0, editedElsewhere: 0))
        try c.delete()
        #expect(c.open().loaded == .none)
        #expect(jsonFiles(dir).isEmpty)
    }

    @Test func aDraftBeingEditedElsewhereIsNeitherTakenNorWrittenOver() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let a = DraftSlots(directory: root, account: account)
        try a.save(draft("alice@example.com"))
        let b = DraftSlots(directory: root, account: account)
        #expect(b.open() == DraftSlots.Opened(loaded: .none, kept: 0, editedElsewhere: 1))
        try b.save(draft("bob@example.com"))
        #expect(a.store?.load() == .draft(draft("alice@example.com")))
        #expect(b.store?.load() == .draft(draft("bob@example.com")))
        // The first window's own draft stays its own.
        #expect(a.open() == DraftSlots.Opened(loaded: .draft(draft("alice@example.com")), kept: 0, editedElsewhere: 1))
    }

    @Test func theFirstSlotIsTheSingleDraftFileOfEarlierVersions() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try DraftStore(directory: root, account: account).save(draft("old@example.com"))
        let slots = DraftSlots(directory: root, account: account)
        #expect(slots.open().loaded == .draft(draft("old@example.com")))
        #expect(slots.store?.slot == 0)
    }

    // MARK: Folders and files that are not this user's alone

    /// Gives `path` to uid 65534 (nobody). Only root can: elsewhere false, and
    /// the caller checks the world-writable cases alone.
    func giveAway(_ path: String) -> Bool {
        chown(path, 65534, 65534) == 0
    }

    @Test func aWorldWritableFolderIsNeitherReadNorChangedNorWritten() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("coclick")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let planted = DraftStore(directory: dir, account: account)
        try Data(#"{"user": "attacker@evil.example", "cobrowsing_url": "https://evil.example/login"}"#.utf8).write(to: planted.fileURL)
        chmod(dir.path, 0o777)
        guard case .unreadable(let why) = planted.load() else { Issue.record("loaded a draft from a 0777 folder"); return }
        #expect(why.contains("can be written by group or others (mode 777)"), "\(why)")
        let slots = DraftSlots(directory: dir, account: account)
        guard case .unreadable = slots.open().loaded else { Issue.record("offered a draft from a 0777 folder"); return }
        #expect(throws: DraftStore.Failure.self) { try slots.save(draft("me@example.com")) }
        #expect(mode(dir.path) == 0o777, "chmod-ed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [planted.fileURL.lastPathComponent], "written into")

        let cache = ListCache(directory: dir, account: account)
        guard case .refused(let cacheWhy) = cache.read() else { Issue.record("read a cache from a 0777 folder"); return }
        #expect(cacheWhy.contains("mode 777"))
        #expect(throws: (any Error).self) { try cache.save(CachedList(savedAt: Date(), meetings: [], hasMore: false)) }
        #expect(mode(dir.path) == 0o777)
    }

    @Test func aDraftFileOthersCanWriteOrThatIsALinkIsNotLoaded() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = DraftStore(directory: root.appendingPathComponent("coclick"), account: account)
        try store.save(draft("me@example.com"))
        chmod(store.fileURL.path, 0o666)
        guard case .unreadable(let why) = store.load() else { Issue.record("loaded a 0666 draft"); return }
        #expect(why.contains("can be written by group or others (mode 666): not read"), "\(why)")

        let elsewhere = root.appendingPathComponent("elsewhere.json")
        try Data(#"{"user": "attacker@evil.example"}"#.utf8).write(to: elsewhere)
        try FileManager.default.removeItem(at: store.fileURL)
        #expect(symlink(elsewhere.path, store.fileURL.path) == 0)
        guard case .unreadable(let link) = store.load() else { Issue.record("followed a symlinked draft"); return }
        #expect(link.contains("symlink"), "\(link)")
    }

    /// The folders as symlinks to another user's folder (0755), a draft of
    /// theirs planted there (0644) and one in a folder of ours: never loaded,
    /// the folder never chmod-ed or written. Needs root to make (chown); the
    /// world-writable cases above run everywhere.
    @Test func anotherUsersFolderOrDraftIsRefused() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let theirs = root.appendingPathComponent("theirs")
        try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)
        chmod(theirs.path, 0o755)
        let planted = DraftStore(directory: theirs, account: account)
        try Data(#"{"user": "attacker@evil.example"}"#.utf8).write(to: planted.fileURL)
        guard giveAway(theirs.path), giveAway(planted.fileURL.path) else {
            #expect(geteuid() != 0, "root could not chown")
            // Not root: the same folder, world-writable instead, is refused all the same.
            chmod(theirs.path, 0o777)
            #expect(DraftStore.folderRefusal(theirs) != nil)
            return
        }
        let link = root.appendingPathComponent("coclick")
        #expect(symlink(theirs.path, link.path) == 0)
        let store = DraftStore(directory: link, account: account)
        guard case .unreadable(let why) = store.load() else { Issue.record("loaded another user's draft"); return }
        #expect(why.contains("\(link.path) (a link to "), "\(why)")
        #expect(why.contains("belongs to another user (uid 65534)"), "\(why)")
        let slots = DraftSlots(directory: link, account: account)
        guard case .unreadable = slots.open().loaded else { Issue.record("offered another user's draft"); return }
        #expect(throws: DraftStore.Failure.self) { try slots.save(draft("me@example.com")) }
        #expect(throws: (any Error).self) { try ListCache(directory: link, account: account).save(CachedList(savedAt: Date(), meetings: [], hasMore: false)) }
        guard case .refused = ListCache(directory: link, account: account).read() else { Issue.record("cache read from another user's folder"); return }
        #expect(mode(theirs.path) == 0o755, "chmod-ed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: theirs.path) == [planted.fileURL.lastPathComponent], "written into")

        // Their draft in a folder of ours.
        let ours = DraftStore(directory: root.appendingPathComponent("ours"), account: account)
        try ours.save(draft("me@example.com"))
        #expect(giveAway(ours.fileURL.path))
        guard case .unreadable(let file) = ours.load() else { Issue.record("loaded a draft another user owns"); return }
        #expect(file.contains("belongs to another user (uid 65534): not read"), "\(file)")
    }
}
