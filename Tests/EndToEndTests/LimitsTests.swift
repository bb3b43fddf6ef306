import CoClickAPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// Limits that hold end to end: `--all` against a server that never runs out
/// of pages (or sends one page again and again) is bounded, streamed and
/// says so; JSON the CLI cannot read is what the client refuses too; numbers
/// past a double's range are refused on the way out and shown as written on
/// the way in; a full stdout is said on stderr.
@Suite("Limits end to end", .serialized)
struct LimitsTests {
    let env = ["COCLICK_SECRET_ID": "id", "COCLICK_SECRET_KEY": "key"]

    func meetingItem(_ n: Int) -> String {
        #"{"id":"\#(String(format: "%064x", n))","user":"u\#(n)@example.com","status":"scheduled","starts_at":"2030-01-01T10:00:00Z"}"#
    }

    /// A full page of new meetings for every page asked, for ever.
    func endless(_ request: ScriptedServer.Request) -> String {
        "[" + (0..<request.per).map { meetingItem((request.page - 1) * request.per + $0) }.joined(separator: ",") + "]"
    }

    @Test func allAgainstEndlessPagesIsCappedStreamedAndSaysSo() async throws {
        let server = try await ScriptedServer.start(endless)
        defer { Task { await server.stop() } }
        let out = try makeTempDirectory().appendingPathComponent("out.json").path
        let err = out + ".err"
        server.watch(out)
        var environment = isolatedEnvironment(home: scratchHome).merging(env) { $1 }
        environment["COCLICK_API_URL"] = server.url
        let pid = try spawn(CoclickBinary.url.path, ["meetings", "list", "--every-date", "--all", "--json"], env: environment, stdout: out, stderr: err)
        guard let exit = await reap(pid, timeout: 300) else {
            kill(pid, SIGKILL)
            _ = await reap(pid)
            Issue.record("coclick did not end")
            return
        }
        let stderr = String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self)
        #expect(exit.code == 1, "\(stderr)")
        #expect(stderr.contains("stopped after 1000 pages") && stderr.contains("incomplete"), "\(stderr)")
        #expect(server.listRequests == 1000)
        // Printed as the pages came: the first pages were out before the last one was asked for.
        let sizes = server.outputSizes
        #expect(sizes.count == 1000 && sizes[1] > 1_000 && sizes[999] > sizes[500] && sizes[500] > sizes[1], "\(sizes.prefix(3))")
        // Still one JSON array, each item as the server sent it.
        let data = try #require(FileManager.default.contents(atPath: out))
        let items = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(items.count == 100_000)
        #expect(items.last?["id"] as? String == String(format: "%064x", 99_999))
    }

    @Test func allAgainstEndlessPagesAsATableIsCappedToo() async throws {
        let server = try await ScriptedServer.start(endless)
        defer { Task { await server.stop() } }
        let r = try await runCoclick(["meetings", "list", "--every-date", "--all"], env: env.merging(["COCLICK_API_URL": server.url]) { $1 }, timeout: 300)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("stopped after 1000 pages"), "\(r.stderr)")
        #expect(server.listRequests == 1000)
        // One header, then every row.
        #expect(r.stdout.components(separatedBy: "OWNER").count == 2)
        #expect(r.stdout.contains("u99999@example.com"))
    }

    @Test func allAgainstAServerThatRepeatsItsPageStopsAtTheRepeat() async throws {
        let full = try await ScriptedServer.start { request in
            "[" + (0..<request.per).map(meetingItem).joined(separator: ",") + "]"
        }
        defer { Task { await full.stop() } }
        let r = try await runCoclick(["meetings", "list", "--every-date", "--all", "--json"], env: env.merging(["COCLICK_API_URL": full.url]) { $1 })
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("page 2 repeats page 1") && r.stderr.contains("may be incomplete"), "\(r.stderr)")
        #expect(full.listRequests == 2)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any])
        #expect(items.count == 100)

        // A short page sent again held every meeting: said, and not a failure.
        let short = try await ScriptedServer.start { _ in "[" + (0..<3).map(meetingItem).joined(separator: ",") + "]" }
        defer { Task { await short.stop() } }
        let s = try await runCoclick(["meetings", "list", "--every-date", "--all"], env: env.merging(["COCLICK_API_URL": short.url]) { $1 })
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stderr.contains("page 2 repeats page 1") && !s.stderr.contains("incomplete"), "\(s.stderr)")
        #expect(short.listRequests == 2)
        #expect(s.stdout.contains("u2@example.com"))
    }

    /// A detail whose custom_data holds `levels` arrays and objects in all (the body's own object included).
    func nestedDetail(levels: Int, innermost: String = "1") -> String {
        let inner = String(repeating: "[", count: levels - 2) + innermost + String(repeating: "]", count: levels - 2)
        return #"{"token":"abc123","status":"scheduled","starts_at":"2030-01-01T10:00:00Z","user":"a@example.com","custom_data":{"deep":\#(inner)}}"#
    }

    @Test func showAndTheClientAcceptTheSameNesting() async throws {
        let atLimit = try await ScriptedServer.start { _ in nestedDetail(levels: RawJSON.maxDepth) }
        defer { Task { await atLimit.stop() } }
        let ok = try await runCoclick(["meetings", "show", "abc123"], env: env.merging(["COCLICK_API_URL": atLimit.url]) { $1 })
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("custom_data") && ok.stdout.contains(" 1"))

        let deeper = try await ScriptedServer.start { _ in nestedDetail(levels: 300) }
        defer { Task { await deeper.stop() } }
        let refused = try await runCoclick(["meetings", "show", "abc123"], env: env.merging(["COCLICK_API_URL": deeper.url]) { $1 })
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("nested more than \(RawJSON.maxDepth) levels deep"), "\(refused.stderr)")
        // The dashboard reads the detail through the same client: it refuses it too, rather than show what `show` cannot.
        let client = CoClickClient(configuration: ClientConfiguration(
            baseURL: URL(string: deeper.url)!, credentials: Credentials(secretID: "id", secretKey: "key"), retry: .none))
        await #expect(throws: APIError.self) { _ = try await client.meeting(id: "abc123") }
        let fine = CoClickClient(configuration: ClientConfiguration(
            baseURL: URL(string: atLimit.url)!, credentials: Credentials(secretID: "id", secretKey: "key"), retry: .none))
        #expect(try await fine.meeting(id: "abc123").customDataRaw != nil)
    }

    @Test func aNumberPastADoubleShowsAsWritten() async throws {
        let server = try await ScriptedServer.start { _ in
            #"{"token":"abc123","status":"scheduled","starts_at":"2030-01-01T10:00:00Z","user":"a@example.com","custom_data":{"huge":1e400,"n":7}}"#
        }
        defer { Task { await server.stop() } }
        let r = try await runCoclick(["meetings", "show", "abc123"], env: env.merging(["COCLICK_API_URL": server.url]) { $1 })
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains(#""huge": 1e400"#), "\(r.stdout)")
        #expect(!r.stdout.contains("custom_data  —"), "\(r.stdout)")
    }

    @Test func customDataTheAPICannotReadIsRefused() async throws {
        let server = try await ScriptedServer.start { _ in "[]" }
        defer { Task { await server.stop() } }
        let r = try await runCoclick([
            "meetings", "create", "--user", "a@example.com", "--starts-at", "2030-01-01 10:00",
            "--cobrowsing-url", "https://example.com", "--custom-data", #"{"ok": 1, "big": [1e400]}"#,
        ], env: env.merging(["COCLICK_API_URL": server.url]) { $1 })
        #expect(r.status != 0)
        #expect(r.stderr.contains("1e400") && r.stderr.contains("too large"), "\(r.stderr)")
        #expect(server.requests == 0)
    }

    @Test func aFullStdoutIsSaidOnStderr() async throws {
        let server = try await ScriptedServer.start(endless)
        defer { Task { await server.stop() } }
        var environment = isolatedEnvironment(home: scratchHome).merging(env) { $1 }
        environment["COCLICK_API_URL"] = server.url
        let err = try makeTempDirectory().appendingPathComponent("err").path
        let pid = try spawn(CoclickBinary.url.path, ["meetings", "list", "--every-date"], env: environment, stdout: "/dev/full", stderr: err)
        let exit = try #require(await reap(pid, timeout: 60))
        let stderr = String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self)
        #expect(exit.code == 1)
        #expect(stderr.contains("cannot write the output") && stderr.contains("No space left on device"), "\(stderr)")
    }
}

/// A CoClick server on loopback whose answers a test writes: it authenticates
/// anyone and answers every `GET` under `/api/v1/meetings` with `answer`. It
/// counts the requests and, when told a file to watch, notes that file's
/// size at each list request (how much coclick had printed by then).
final class ScriptedServer: Sendable {
    struct Request: Sendable {
        var path: String
        var page: Int
        var per: Int
    }

    private let state = Mutex<(app: LoopbackApp?, watched: String?, sizes: [Int], list: Int, all: Int)>((nil, nil, [], 0, 0))

    var url: String { state.withLock { $0.app?.apiURL ?? "" } }
    var listRequests: Int { state.withLock { $0.list } }
    /// Requests other than authentication.
    var requests: Int { state.withLock { $0.all } }
    var outputSizes: [Int] { state.withLock { $0.sizes } }
    func watch(_ path: String) { state.withLock { $0.watched = path } }

    static func start(_ answer: @escaping @Sendable (Request) -> String) async throws -> ScriptedServer {
        let server = ScriptedServer()
        let router = Router()
        router.post("/api/v1/authenticate") { _, _ -> Response in
            let body = #"{"token":"t","expires_at":"2099-01-01T00:00:00Z","company":"Scripted Co"}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        @Sendable func respond(_ request: Hummingbird.Request) -> Response {
            func header(_ name: String) -> Int? { request.headers.first { $0.name.canonicalName == name }.flatMap { Int($0.value) } }
            let path = request.uri.path
            server.state.withLock { s in
                s.all += 1
                guard path == "/api/v1/meetings" else { return }
                s.list += 1
                var info = stat()
                s.sizes.append(s.watched.map { stat($0, &info) == 0 ? Int(info.st_size) : -1 } ?? 0)
            }
            let body = answer(Request(path: path, page: max(1, header("x-page") ?? 1), per: min(100, max(1, header("x-per") ?? 20))))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/api/v1/meetings") { request, _ in respond(request) }
        router.get("/api/v1/meetings/{id}") { request, _ in respond(request) }
        let app = try await LoopbackApp.start(router, label: "the scripted server")
        server.state.withLock { $0.app = app }
        return server
    }

    func stop() async { await state.withLock { $0.app }?.stop() }
}
