import CoClickAPI
import CoClickSimulator
import Foundation
import Testing

/// `--json` prints what the server sent: checked against a simulator that
/// has grown since the docs (unknown fields, `Z` dates, a big integer in
/// custom data, an unknown status, a silently clamped page size). The
/// comparison is made by Python's json module, independent of coclick's own
/// reader: objects as ordered (key, value) lists, numbers as their literal text.
@Suite("--json tells the truth", .serialized)
struct ScriptingJSONTests {
    /// Fetches the same resources as coclick did and compares, value for value.
    static let compare = #"""
    import json, sys, urllib.request

    base, sid, skey, mode, path = sys.argv[1:6]
    extra = sys.argv[6:]

    def load(text):
        def bad(c):
            raise ValueError("non-standard constant " + c)
        return json.loads(text, object_pairs_hook=lambda pairs: ["object", pairs],
                          parse_int=lambda s: ["number", s], parse_float=lambda s: ["number", s], parse_constant=bad)

    def call(method, url, body=None, headers=None):
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        with urllib.request.urlopen(req) as r:
            return r.read().decode("utf-8")

    token = json.loads(call("POST", base + "/authenticate", json.dumps({"secret_id": sid, "secret_key": skey}).encode(),
                            {"Content-Type": "application/json"}))["token"]
    auth = {"Authorization": "Bearer " + token}

    if mode == "show":
        expected = load(call("GET", base + "/meetings/" + extra[0], headers=auth))
    else:
        # Every page, as coclick asks for them: starts_at asc, 100 a page (the server clamps it).
        items, page, first = [], 1, None
        while True:
            h = dict(auth); h["X-Page"] = str(page); h["X-Per"] = "100"
            got = load(call("GET", base + "/meetings?q%5Bs%5D=starts_at%20asc", headers=h))
            if not got: break
            items += got
            if first is None: first = len(got)
            elif len(got) < first: break
            page += 1
            if page > 1000: break
        expected = items

    with open(path, encoding="utf-8") as f:
        actual = load(f.read())
    if actual != expected:
        print("coclick printed:\n" + json.dumps(actual)[:3000] + "\nthe server sent:\n" + json.dumps(expected)[:3000])
        sys.exit(1)
    print("same")
    """#

    func compare(_ sim: URL, mode: String, output: String, _ extra: [String] = []) async throws -> ToolOutput {
        let dir = try makeTempDirectory()
        let script = dir.appendingPathComponent("compare.py"), file = dir.appendingPathComponent("out.json")
        try Self.compare.write(to: script, atomically: true, encoding: .utf8)
        try output.write(to: file, atomically: true, encoding: .utf8)
        let creds = Simulator.demoCredentials
        return try #require(try await runTool("python3", [script.path, sim.absoluteString, creds.secretID, creds.secretKey, mode, file.path] + extra,
                                              env: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"], search: true, timeout: 60))
    }

    /// A grown simulator with a clock that stands still, so statuses do not move between coclick's fetch and the check's.
    func withGrownSimulator(_ body: (Simulator, URL, [String: String]) async throws -> Void) async throws {
        let fixed = Date()
        var options = SimulatorOptions(now: { fixed })
        options.grown = true
        let sim = Simulator(options: options)
        let url = try await sim.start()
        let env = [
            "COCLICK_API_URL": url.absoluteString,
            "COCLICK_SECRET_ID": Simulator.demoCredentials.secretID,
            "COCLICK_SECRET_KEY": Simulator.demoCredentials.secretKey,
        ]
        do {
            try await body(sim, url, env)
        } catch {
            await offPool { await sim.stop() }
            throw error
        }
        await offPool { await sim.stop() }
    }

    @Test func showJSONIsWhatTheServerSent() async throws {
        try await withGrownSimulator { _, url, env in
            // The meeting the grown server gives an unknown status.
            let list = try await runCoclick(["meetings", "list", "--every-date", "--all", "--json"], env: env)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
            let id = try #require(items.first { $0["status"] as? String == "on_hold" }?["id"] as? String)
            let r = try await runCoclick(["meetings", "show", id, "--json"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            // What a grown server sends, kept: an unknown field, a Z date, a big integer, an unknown status, key order.
            #expect(r.stdout.contains(#""time_zone": "Europe/Paris""#))
            #expect(r.stdout.contains(#""external_id": 12345678901234567890"#))
            #expect(r.stdout.contains(#""ratio": 0.1000"#) && r.stdout.contains(#""scale": 1E+2"#))
            #expect(r.stdout.range(of: #""starts_at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ""#, options: .regularExpression) != nil)
            #expect(r.stdout.contains(#""status": "on_hold""#))
            let token = try #require(r.stdout.range(of: "\"token\""))
            let recording = try #require(r.stdout.range(of: "\"recording\""))
            #expect(token.lowerBound < recording.lowerBound)
            let same = try await compare(url, mode: "show", output: r.stdout, [id])
            #expect(same.status == 0, "\(same.out)\(same.err)")

            // The human view reads the same meeting: the unknown status as it came.
            let text = try await runCoclick(["meetings", "show", id], env: env)
            #expect(text.status == 0)
            #expect(text.stdout.contains("on_hold"))
            #expect(text.stdout.contains("12345678901234567890"))
        }
    }

    @Test func listAllJSONJoinsThePagesUnchanged() async throws {
        try await withGrownSimulator { sim, url, env in
            let r = try await runCoclick(["meetings", "list", "--every-date", "--all", "--json"], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            // The server clamps pages to 7: every meeting arrives anyway.
            #expect(items.count == sim.meetings.count)
            #expect(sim.meetings.count > 7)
            #expect(r.stdout.contains(#""room_name""#) && r.stdout.contains(#""status_changed_at": null"#))
            let same = try await compare(url, mode: "list", output: r.stdout)
            #expect(same.status == 0, "\(same.out)\(same.err)")

            // One page: the server's page as it is, and the notice of more on stderr.
            let one = try await runCoclick(["meetings", "list", "--every-date", "--json"], env: env)
            #expect(one.status == 0)
            #expect((try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [Any])?.count == 7)
            #expect(one.stderr.contains("--page 2"), "\(one.stderr)")

            // The table shows the unknown status as it comes.
            let table = try await runCoclick(["meetings", "list", "--every-date", "--all"], env: env)
            #expect(table.stdout.contains("on_hold"))
        }
    }

    @Test func createJSONAndExactCustomData() async throws {
        try await withGrownSimulator { sim, url, env in
            let starts = APIDate.inZone(Date().addingTimeInterval(86_400), TimeZone(identifier: "UTC")!).text
            let r = try await runCoclick([
                "meetings", "create", "-u", "ada@example.com", "--starts-at", starts, "--cobrowsing-url", "https://example.com",
                "--custom-data", #"{"z": 12345678901234567890, "a": 0.1000, "nested": {"k": [1, 2.50]}}"#, "--json",
            ], env: env)
            #expect(r.status == 0, "\(r.stderr)")
            // Sent exactly, and echoed by the server exactly: order and literals.
            #expect(r.stdout.contains(#""z": 12345678901234567890"#), "\(r.stdout)")
            #expect(r.stdout.contains(#""a": 0.1000"#))
            #expect(r.stdout.contains("2.50"))
            let z = try #require(r.stdout.range(of: "\"z\"")), a = try #require(r.stdout.range(of: "\"a\": 0.1000"))
            #expect(z.lowerBound < a.lowerBound)
            let created = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let id = try #require(created["token"] as? String)
            let same = try await compare(url, mode: "show", output: r.stdout, [id])
            #expect(same.status == 0, "\(same.out)\(same.err)")

            // Not strict JSON: refused before anything is sent.
            let posts = sim.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/meetings") }.count
            for bad in [#"{"a": 1,}"#, "{'a': 1}", #"{"a": 01}"#, #"{"a": NaN}"#] {
                let b = try await runCoclick(["meetings", "create", "-u", "ada@example.com", "--starts-at", starts,
                                              "--cobrowsing-url", "https://example.com", "--custom-data", bad], env: env)
                #expect(b.status == 2, "\(bad): \(b.stderr)")
                #expect(b.stderr.contains("--custom-data"), "\(b.stderr)")
            }
            // JSON, but not what the API takes: a validation failure, as the API's own would be.
            let array = try await runCoclick(["meetings", "create", "-u", "ada@example.com", "--starts-at", starts,
                                              "--cobrowsing-url", "https://example.com", "--custom-data", "[1]"], env: env)
            #expect(array.status == 5, "\(array.stderr)")
            #expect(array.stderr.contains("custom_data: must be a JSON object"), "\(array.stderr)")
            let trailing = try await runCoclick(["meetings", "create", "-u", "ada@example.com", "--starts-at", starts,
                                                 "--cobrowsing-url", "https://example.com", "--custom-data", #"{"a": 1,}"#], env: env)
            #expect(trailing.stderr.contains("trailing comma"), "\(trailing.stderr)")
            #expect(sim.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/meetings") }.count == posts)
        }
    }
}
