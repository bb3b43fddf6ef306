import CoClickAPI
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// The dashboard is a view of the schedule, not of a server page: the real
/// binary in tmux, against the simulator's busy afternoon and against an
/// independent server that pages but ignores every filter and sort.
@Suite("The schedule, not a page, in tmux", .serialized)
struct ScheduleTmuxTests {
    /// A fixed zone in which the clock now reads between 08:00 and 16:00, so
    /// "the last 23 minutes" are today whenever the test runs.
    static var daytimeTZ: String {
        let hour = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).hour ?? 12
        // Etc/GMT-N is N hours ahead of UTC (POSIX sign).
        var ahead = 12 - hour
        if ahead > 12 { ahead -= 24 }
        if ahead < -12 { ahead += 24 }
        return ahead == 0 ? "UTC" : "Etc/GMT\(ahead > 0 ? "-" : "+")\(abs(ahead))"
    }

    func shell(_ args: String, config: String = "") -> String {
        """
        mkdir -p "$XDG_CONFIG_HOME/coclick" && printf '%s' \(Pane.quote(config)) > "$XDG_CONFIG_HOME/coclick/config.toml"; \
        chmod 600 "$XDG_CONFIG_HOME/coclick/config.toml"; while [ ! -e "$DIR/go" ]; do sleep 0.1; done; TZ=\(Self.daytimeTZ) "$COCLICK" \(args); echo "exit=$?"; sleep 120
        """
    }

    func record(_ t: Pane) async throws -> URL { try await t.recordOutput() }

    func bytes(_ url: URL) -> String { Pane.recorded(url) }

    @Test func aBusyAfternoonOpensOnWhatIsLiveAndRingsForPageTwo() async throws {
        try await Pane.with(width: 100, height: 30, command: shell("demo --fixture busy")) { t in
            let out = try await record(t)
            // The live meetings are on the server's page 2: on screen without a key.
            let screen = try await t.waitForScreen("live rows", timeout: 60) { $0.contains("live ") && $0.contains("── now") }
            #expect(screen.contains("ended"), "today's past meetings show above:\n\(screen)")
            // grace's meeting, 4.5 minutes away on page 2, is inside the 5-minute lead: it rings.
            try await t.waitUntil("the reminder", timeout: 30) { bytes(out).contains("\u{1B}]9;coclick: Meeting in ") }
            #expect(bytes(out).contains("grace@example.com"))
            try await t.waitUntil("the title", timeout: 30) { try await t.format("#{pane_title}").contains("grace@…") }
            // The selection is on a live meeting: its detail says so.
            try await t.keys("Enter")
            try await t.waitFor("/live/")
            try await t.keys("q")
            // `g` goes to the first meeting of today, `.` back to now.
            try await t.keys("g", "Enter")
            try await t.waitFor("/past/1")
            try await t.keys("q", ".", "Enter")
            try await t.waitFor("/live/")
            try await t.keys("q", "q")
            try await t.waitFor("exit=0")
        }
    }

    @Test func meShowsMyMeetingsMTogglesAndColonGoesToADate() async throws {
        try await Pane.with(width: 100, height: 30, command: shell("demo --fixture busy --me grace@example.com")) { t in
            _ = try await record(t)
            func rows(_ screen: String) -> [Substring] {
                screen.split(separator: "\n").filter { $0.contains("@example.com") && !$0.contains("owner:") }
            }
            let mine = try await t.waitForScreen("my meetings", timeout: 60) { $0.contains("owner: me (grace@example.com)") && rows($0).count >= 3 }
            let owners = rows(mine)
            #expect(!owners.isEmpty && owners.allSatisfy { $0.contains("grace@example.com") }, "\(mine)")
            try await t.keys("m")
            try await t.waitForScreen("everyone's", timeout: 20) { $0.contains("owner: any") && $0.contains("ada@example.com") }
            // The form's User starts with me.
            try await t.keys("n")
            let form = try await t.waitForScreen("the form", timeout: 20) { $0.contains("New meeting") }
            #expect(form.contains("grace@example.com"), "\(form)")
            try await t.keys("Escape")
            try await t.waitForScreen("the list again", timeout: 20) { !$0.contains("New meeting") && $0.contains("owner: any") }
            // A date with nothing after it says so; `.` comes back to now.
            try await t.keys(":")
            try await t.waitFor("go to date:")
            try await t.type("in 30d")
            try await t.keys("Enter")
            try await t.waitFor("No meetings on or after")
            try await t.keys(".", "Enter")
            try await t.waitFor("/live/")
        }
    }

    @Test func aTallTerminalFillsAndScrollsOnAcrossPages() async throws {
        // 45 meetings a minute apart from tomorrow on: three pages of 20 fill a 60-row list.
        try await Pane.with(width: 120, height: 64, command: shell("demo --fixture 45")) { t in
            _ = try await record(t)
            try await t.waitForScreen("every meeting", timeout: 60) { $0.contains("45 shown") }
            try await t.keys("G")
            let end = try await t.waitForScreen("the last row", timeout: 10) { $0.contains("45 shown") }
            #expect(!end.contains("page"), "no pages in sight:\n\(end)")
        }
    }

    @Test func aServerWhoseFirstPageIsAllPastMeetings() async throws {
        let server = try await PagingServer.start()
        do {
            try await againstPagingServer(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func againstPagingServer(_ server: PagingServer) async throws {
        let config = "api_url = \"\(server.url)\"\nsecret_id = \"id\"\nsecret_key = \"key\"\nrefresh_interval = 3\n"
        try await Pane.with(width: 100, height: 30, command: shell("", config: config)) { t in
            let out = try await record(t)
            let screen = try await t.waitForScreen("the upcoming meetings", timeout: 60) { $0.contains("zoe@example.com") }
            #expect(screen.contains("── now"))
            try await t.waitUntil("the reminder", timeout: 30) { bytes(out).contains("zoe@example.com") && bytes(out).contains("\u{1B}]9;") }
            // Polls stay a few requests each, however many pages there are.
            let before = server.listRequests
            try await Task.sleep(for: .seconds(7))
            let perPoll = Double(server.listRequests - before) / 2
            #expect(perPoll <= 5, "\(server.listRequests - before) list requests in two polls")
            try await t.keys("q")
            try await t.waitFor("exit=0")
        }
    }
}

/// An independent CoClick server on loopback: it authenticates anyone, pages
/// with `X-Page`/`X-Per`, and ignores every `q[...]` filter and the sort, as
/// a server may. Its meetings: 26 of today's over (the first page of 20 is
/// all past ones), then three upcoming, the first (zoe's) three minutes away.
final class PagingServer: Sendable {
    private let counter = Mutex(0)
    private let app = Mutex<LoopbackApp?>(nil)

    var url: String { app.withLock { $0?.apiURL ?? "" } }
    var listRequests: Int { counter.withLock { $0 } }

    static func meetings(now: Date) -> [[String: String]] {
        func item(_ i: Int, _ user: String, _ status: String, _ minutes: Double) -> [String: String] {
            ["id": String(format: "%064x", i + 1), "user": user, "status": status,
             "starts_at": APIDate(date: now.addingTimeInterval(minutes * 60), offsetSeconds: 0).text]
        }
        var out = (0..<26).map { item($0, "past\($0)@example.com", "closed", Double($0 - 27)) }
        out.append(item(26, "zoe@example.com", "scheduled", 3))
        out.append(item(27, "yan@example.com", "scheduled", 20))
        out.append(item(28, "xia@example.com", "scheduled", 40))
        return out
    }

    static func header(_ request: Request, _ name: String) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

    static func start() async throws -> PagingServer {
        let server = PagingServer()
        let now = Date()
        let all = meetings(now: now)
        let router = Router()
        router.post("/api/v1/authenticate") { _, _ -> Response in
            let body = #"{"token":"t","expires_at":"\#(APIDate(date: now.addingTimeInterval(86_400), offsetSeconds: 0).text)","company":"Paging Co"}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/api/v1/meetings") { request, _ -> Response in
            server.counter.withLock { $0 += 1 }
            let page = max(1, Int(header(request, "x-page") ?? "1") ?? 1)
            let per = min(100, max(1, Int(header(request, "x-per") ?? "20") ?? 20))
            let slice = all.dropFirst((page - 1) * per).prefix(per)
            let items = slice.map { m in
                "{" + ["id", "user", "status", "starts_at"].map { "\"\($0)\":\"\(m[$0]!)\"" }.joined(separator: ",") + "}"
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: "[" + items.joined(separator: ",") + "]")))
        }
        let running = try await LoopbackApp.start(router, label: "the paging server")
        server.app.withLock { $0 = running }
        return server
    }

    func stop() async { await app.withLock { $0 }?.stop() }
}
