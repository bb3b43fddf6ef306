import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

@Suite("Instant start, per-account files")
struct InstantStartTests {
    func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func mode(_ url: URL) throws -> Int {
        let attrs = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attrs[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theQueryAskedForAtStartIsTheFirstPollsQuery() throws {
        // The dashboard asks for page 1 before its terminal is set up and hands
        // that answer to the first poll only when the two queries are equal.
        var settings = DashboardSettings()
        settings.pageSize = 37
        for zone in ["UTC", "Pacific/Auckland", "America/Los_Angeles"] {
            let tz = try #require(TimeZone(identifier: zone))
            // Just before midnight and just after, local time, and a plain afternoon.
            for now in [Date(timeIntervalSince1970: 1_796_000_000), Date(timeIntervalSince1970: 1_796_043_599),
                        Date(timeIntervalSince1970: 1_796_043_601)] {
                var s = AppState(settings: settings, now: now, timeZone: tz)
                let first = reduce(&s, .pollDue)
                let q = AppState.startQuery(settings: settings, now: now, timeZone: tz)
                #expect(first == [.fetchList(q)])
                #expect(q.page == 1 && q.per == 37 && q.startsFrom != nil)
            }
        }
    }

    @Test func sha256MatchesTheStandardVectors() {
        func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func anAccountIsItsURLAndSecretIDHashed() {
        let a = AccountKey(apiURL: "https://www.coclick.io/api/v1", secretID: "e89-secret-id")
        #expect(a.name.count == 16 && a.name.allSatisfy { $0.isHexDigit })
        #expect(a == AccountKey(apiURL: "https://www.coclick.io/api/v1/", secretID: "e89-secret-id"))
        #expect(a != AccountKey(apiURL: "https://www.coclick.io/api/v1", secretID: "other-id"))
        #expect(a != AccountKey(apiURL: "http://127.0.0.1:8787/api/v1", secretID: "e89-secret-id"))
        #expect(!a.name.contains("e89"))
    }

    @Test func theCacheKeepsOnlyTheListFieldsPrivately() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let account = AccountKey(apiURL: "http://127.0.0.1:1/api/v1", secretID: "the-secret-id")
        let cache = ListCache(directory: root.appendingPathComponent("cache/coclick"), account: account)
        #expect(cache.load() == nil)
        var m = detail(of: meeting(1))
        m.cookies = [Cookie(domain: "shop.example.com", name: "sid", value: "cookie-secret")]
        m.customData = .object(["crm": .string("custom-secret")])
        let saved = CachedList(savedAt: fixedNow, meetings: [m, meeting(2, status: .inProgress)], hasMore: true)
        try cache.save(saved)
        #expect(try mode(cache.fileURL) == 0o600)
        #expect(try mode(cache.directory) == 0o700)
        let text = try String(contentsOf: cache.fileURL, encoding: .utf8)
        for secret in ["cookie-secret", "custom-secret", "/essai/room/", "/essai/presenter/", "the-secret-id", "127.0.0.1", "cobrowsing"] {
            #expect(!text.contains(secret), "\(secret) in \(text)")
        }
        #expect(!cache.fileURL.lastPathComponent.contains("secret"))
        let loaded = try #require(cache.load())
        #expect(loaded.savedAt == fixedNow)
        #expect(loaded.hasMore)
        #expect(loaded.meetings.map(\.id) == [meeting(1).id, meeting(2).id])
        #expect(loaded.meetings[1].status == .inProgress)
        #expect(loaded.meetings[0].startsAt == meeting(1).startsAt)
        #expect(loaded.meetings.allSatisfy { $0.prospectRoomURL == nil && $0.cookies == nil && $0.customData == nil && !$0.isDetail })

        // Another account has its own file; a broken file is no cache.
        let other = ListCache(directory: cache.directory, account: AccountKey(apiURL: "http://127.0.0.1:1/api/v1", secretID: "x"))
        #expect(other.load() == nil)
        try Data("not json".utf8).write(to: cache.fileURL)
        #expect(cache.load() == nil)
    }

    @Test func draftsBelongToOneAccount() throws {
        let root = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let a = DraftStore(directory: root, account: AccountKey(apiURL: "https://a.example/api/v1", secretID: "id"))
        let b = DraftStore(directory: root, account: AccountKey(apiURL: "https://b.example/api/v1", secretID: "id"))
        var d = FormDraft()
        d.user = "ada@example.com"
        try a.save(d)
        #expect(a.load() == .draft(d))
        #expect(b.load() == .none, "a draft typed against one server does not appear in another")
        #expect(a.fileURL != b.fileURL)
        #expect(!a.fileURL.path.contains("a.example"))
    }

    @Test func theCachedListIsDrawnAtOnceThenReplaced() {
        var s = makeState()
        let cached = CachedList(savedAt: fixedNow.addingTimeInterval(-180),
                                meetings: [meeting(1, status: .closed, minutes: -30), meeting(2, minutes: 20), meeting(3, minutes: 90)], hasMore: false)
        _ = reduce(&s, .cacheLoaded(cached))
        #expect(s.meetings.count == 3)
        #expect(s.cachedAt == cached.savedAt)
        #expect(s.selected == 1, "on the first upcoming meeting, as after a load")
        _ = reduce(&s, .pollDue)
        let status = ConnectionStatus(s)
        #expect(status.text.contains("cached 3m ago"), "\(status.text)")
        #expect(status.text.contains("loading…"))

        // The answer replaces it, keeps the selection, and is kept as the new cache.
        let fresh = MeetingPage(meetings: [meeting(2, minutes: 20), meeting(3, minutes: 90), meeting(4, minutes: 120)], page: 1, per: 20)
        let fx = reduce(&s, .listLoaded(query: s.query, page: fresh, company: "Acme", at: fixedNow))
        #expect(s.cachedAt == nil)
        #expect(s.meetings.map(\.id) == fresh.meetings.map(\.id))
        #expect(s.selectedMeeting?.id == meeting(2).id)
        #expect(fx.contains(.cacheList(CachedList(savedAt: fixedNow, meetings: fresh.meetings, hasMore: false))))
        #expect(!ConnectionStatus(s).text.contains("cached"))
    }

    @Test func failuresBeforeTheFirstAnswerKeepTheCachedRowsWithTheirAge() {
        var s = makeState()
        _ = reduce(&s, .cacheLoaded(CachedList(savedAt: fixedNow.addingTimeInterval(-600), meetings: [meeting(1), meeting(2)], hasMore: false)))
        _ = reduce(&s, .pollDue)
        _ = reduce(&s, .listFailed(query: s.query, error: .offline("connection refused"), at: fixedNow))
        #expect(s.meetings.count == 2)
        let text = ConnectionStatus(s).text
        #expect(text.contains("cached 10m ago") && text.contains("data 10m 00s old"), "\(text)")
    }

    @Test func onlyTheStartViewIsCachedAndOnlyDrawnThere() {
        var s = makeState(meetings: 3)
        press(&s, .char("s"))  // status filter: not the start view
        let page = MeetingPage(meetings: [meeting(5)], page: 1, per: 20)
        let fx = reduce(&s, .listLoaded(query: s.query, page: page, company: nil, at: fixedNow))
        #expect(!fx.contains { if case .cacheList = $0 { return true } else { return false } })

        // A cache after the first answer changes nothing.
        var t = makeState(meetings: 3)
        let ids = t.meetings.map(\.id)
        _ = reduce(&t, .cacheLoaded(CachedList(savedAt: fixedNow, meetings: [meeting(9)], hasMore: false)))
        #expect(t.meetings.map(\.id) == ids)
        #expect(t.cachedAt == nil)
    }

    @Test func yesterdaysRowsOfAnOldCacheAreLeftOut() {
        var s = makeState()
        let old = meeting(1, minutes: -60 * 24 * 2)
        _ = reduce(&s, .cacheLoaded(CachedList(savedAt: fixedNow.addingTimeInterval(-86_400 * 2), meetings: [old, meeting(2)], hasMore: false)))
        #expect(s.meetings.map(\.id) == [meeting(2).id])
    }
}
