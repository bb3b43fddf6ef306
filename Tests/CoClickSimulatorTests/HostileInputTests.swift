import FuzzSupport
import CoClickAPI
@testable import CoClickSimulator
import Foundation
import Hummingbird
import HummingbirdTesting
import PropertyBased
import Testing

/// Nothing a client sends may crash the simulator: headers, query, path, body
/// and sizes at and past every limit get a 4xx (or an empty page), and the
/// next request is served as usual.
@Suite struct HostileInputTests {
    func list(_ base: URL, _ token: String, page: String? = nil, per: String? = nil) async throws -> RawResponse {
        var headers = bearer(token)
        if let page { headers["X-Page"] = page }
        if let per { headers["X-Per"] = per }
        return try await raw("GET", endpoint(base, "meetings"), headers: headers)
    }

    /// The request an API fuzzer found ("Illegal instruction": (page - 1) * per
    /// overflowed), and its neighbours.
    @Test func hugePagesAndSizesAnswerEmptyPagesOr400() async throws {
        try await withSimulator(SimulatorOptions(fixture: .count(45))) { _, base in
            let t = try await token(base)
            let reported = try await list(base, t, page: "443901198938120576", per: "37")
            #expect(reported.status == 200 && reported.array?.isEmpty == true)
            #expect(reported.header("X-Total") == "45")

            let values = ["0", "-1", "-443901198938120576", String(Int.max), String(Int.min), "abc", "1.5", "", " ",
                          "12345678901234567890", "-12345678901234567890", "0x10", "1e3", "٣"]
            for page in values + [nil] {
                for per in values + [nil] {
                    let r = try await list(base, t, page: page, per: per)
                    let what = "X-Page \(page ?? "-") X-Per \(per ?? "-") -> \(r.status) \(r.text.prefix(80))"
                    #expect(r.status == 200 || r.status == 400, "\(what)")
                    if r.status == 200 {
                        let n = r.array?.count ?? -1
                        #expect((0...45).contains(n), "\(what)")
                    } else {
                        #expect(r.object?["error"] is String, "\(what)")
                    }
                }
            }
            // Past the end saturates rather than wrapping round to a real page.
            let far = try await list(base, t, page: "12345678901234567890", per: "100")
            #expect(far.status == 200 && far.array?.isEmpty == true)
            #expect(far.header("X-Page") == String(Int.max))
            #expect(try await list(base, t, page: "1", per: String(Int.max)).array?.count == 45)
            #expect(try await list(base, t, page: String(Int.max), per: String(Int.max)).array?.isEmpty == true)
            #expect(try await list(base, t, page: "abc").status == 400)
            #expect(try await list(base, t, per: "12345678901234567890").header("X-Per") == "100")
            // And the simulator still serves.
            let after = try await list(base, t)
            #expect(after.status == 200 && after.array?.count == 20)
        }
    }

    @Test func knownPathsWithOtherMethodsAnswer405WithAllow() async throws {
        try await withSimulator { sim, base in
            let t = try await token(base)
            let id = sim.meetings[0].id
            let cases: [(String, String, String)] = [
                ("DELETE", "meetings", "GET, POST, OPTIONS"),
                ("PUT", "meetings", "GET, POST, OPTIONS"),
                ("PATCH", "meetings/\(id)", "GET, OPTIONS"),
                ("POST", "meetings/\(id)", "GET, OPTIONS"),
                ("GET", "authenticate", "POST, OPTIONS"),
                ("DELETE", "authenticate", "POST, OPTIONS"),
            ]
            for (method, path, allow) in cases {
                // Without and with a token: the method is wrong whoever asks.
                for headers in [[:], bearer(t)] {
                    let r = try await raw(method, endpoint(base, path), headers: headers)
                    #expect(r.status == 405, "\(method) \(path)")
                    #expect(r.header("Allow") == allow, "\(method) \(path)")
                    #expect(r.object?["error"] is String)
                }
            }
            let options = try await raw("OPTIONS", endpoint(base, "meetings"))
            #expect(options.status == 204 && options.header("Allow") == "GET, POST, OPTIONS")
            #expect(try await raw("DELETE", endpoint(base, "nothing-here")).status == 404)
            #expect(try await raw("GET", endpoint(base, "meetings/a/b"), headers: bearer(t)).status == 404)
            let adminReset = try await raw("GET", admin(base, "/_simulator/reset"))
            #expect(adminReset.status == 405 && adminReset.header("Allow") == "POST, OPTIONS")
            let room = try await raw("POST", admin(base, "/essai/room/\(id)"))
            #expect(room.status == 405 && room.header("Allow") == "GET, OPTIONS")
            #expect(try await list(base, t).status == 200)
        }
    }

    @Test func oversizedBodiesAnswer413() async throws {
        try await withSimulator { _, base in
            let t = try await token(base)
            let big = Data(repeating: UInt8(ascii: " "), count: SimulatorCore.maxBodyBytes + 1)
            let r = try await raw("POST", endpoint(base, "meetings"), headers: bearer(t), body: big)
            #expect(r.status == 413)
            let auth = try await raw("POST", endpoint(base, "authenticate"), body: big)
            #expect(auth.status == 413)
            #expect(try await list(base, t).status == 200)
        }
    }

    @Test func deeplyNestedAndBrokenBodiesAnswer4xx() async throws {
        try await withSimulator { _, base in
            let t = try await token(base)
            let bodies = [
                String(repeating: "[", count: 100_000),
                String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000),
                "{\"custom_data\":" + String(repeating: "{\"a\":", count: 5000) + "1" + String(repeating: "}", count: 5000) + "}",
                "{\"user\": \"\\ud800\"}", "\u{0}", "{\"starts_at\": 1e400}", "{\"user\": 1e400}",
            ]
            for body in bodies {
                for path in ["meetings", "authenticate"] {
                    let r = try await raw("POST", endpoint(base, path), headers: bearer(t), body: Data(body.utf8))
                    #expect((400..<500).contains(r.status), "\(path) \(body.prefix(40)) -> \(r.status)")
                }
            }
            #expect(try await list(base, t).status == 200)
        }
    }

    /// `Int(1e300)` traps: the admin endpoint clamps before converting.
    @Test func adminNumbersPastEveryLimitAreClamped() async throws {
        try await withSimulator { sim, base in
            for body in [#"{"latency_ms": 1e300}"#, #"{"fail_next": 1e300}"#, #"{"token_ttl": 1e300}"#,
                         #"{"latency_ms": -1e300}"#, #"{"fail_next": 9223372036854775807}"#, #"{"failure_rate": 1e300}"#] {
                let r = try await raw("POST", admin(base, "/_simulator/faults"), body: Data(body.utf8))
                #expect(r.status == 200, "\(body)")
            }
            #expect(sim.faults.latencyMilliseconds == 0)
            #expect(sim.faults.failNext == SimulatorFaults.maxFailNext)
            #expect(sim.tokenTTL == SimulatorOptions.maxTokenTTL)
            sim.setFaults(.none)
            sim.setLatency(milliseconds: Int.max)
            #expect(sim.faults.latencyMilliseconds == SimulatorFaults.maxLatencyMilliseconds)
            sim.setLatency(milliseconds: 0)
            sim.setTokenTTL(.infinity)
            // A token issued with the longest lifetime has an expiry a client can read.
            let r = try await raw("POST", endpoint(base, "authenticate"),
                                  body: json(["secret_id": "demo-secret-id", "secret_key": "demo-secret-key"]))
            #expect(r.status == 200)
            #expect((r.object?["expires_at"] as? String).flatMap(APIDate.parse) != nil)
        }
    }

    @Test func pageRangeNeverLeavesTheList() {
        let ints = Gen.oneOf(Gen.int(in: -3...50).eraseToAnySequence(),
                             Gen.int().eraseToAnySequence(),
                             Gen.always(Int.max).eraseToAnySequence(),
                             Gen.always(Int.min).eraseToAnySequence())
        forAll(5000, seed: 11, zip(ints, ints, Gen.int(in: 0...300))) { page, per, count in
            guard var q = try? ListQuery(query: "", page: String(page), per: String(per)) else { return "refused" }
            q.page = max(1, page) // also sizes beyond the header clamp
            q.per = max(1, per)
            let r = q.range(count: count)
            guard r.lowerBound >= 0, r.upperBound <= count, r.count <= q.per else { return "range \(r) for \(count)" }
            return nil
        }
    }

    /// Random requests straight into the simulator's router (no socket, so
    /// thousands run quickly): never a 5xx, never a trap, and a well-formed
    /// request still works after every one.
    @Test func randomRequestsNeverBreakTheRouter() async throws {
        let core = SimulatorCore(options: SimulatorOptions(fixture: .count(30)))
        let app = Application(router: SimulatorRoutes.router(core: core))
        try await app.test(.router) { client in
            let auth = try await client.execute(uri: "/api/v1/authenticate", method: .post,
                                                body: ByteBuffer(string: #"{"secret_id":"demo-secret-id","secret_key":"demo-secret-key"}"#))
            let token = try #require(try JSONDecoder().decode([String: String].self, from: Data(auth.body.readableBytesView))["token"])
            // Methods a request line can carry (an invalid token never reaches the router).
            let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "get", "BREW"].compactMap { HTTPRequest.Method($0) }
            let paths = ["/api/v1/meetings", "/api/v1/authenticate", "/api/v1/meetings/", "/_simulator/faults",
                         "/_simulator", "/essai/room/", "/api/v1", "/", "//api//v1//meetings", "http://x/api/v1/meetings",
                         "/api/v1/meetings/%ZZ", "/api/v1/meetings?q%5Bstatus_in%5D%5B%5D=", "/api/v1/meetings?q[starts_at_gteq]="]
            let requests = zip(Gen.element(of: methods), Gen.element(of: paths), Fuzz.text(), Fuzz.text(), Fuzz.text(), Fuzz.text(pieces: 0...24), Gen.bool)
            var served = 0
            for chunk in 0..<4 {
                for (method, path, tail, page, per, body, withToken) in Fuzz.cases(1000, seed: UInt64(100 + chunk), requests) {
                    var headers: HTTPFields = [HTTPFields.Element.Name("X-Page")!: page, HTTPFields.Element.Name("X-Per")!: per]
                    if withToken { headers[.authorization] = "Bearer " + token }
                    let target = (path ?? "/") + (path?.contains("?") == true ? tail.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "" : tail)
                    let r = try await client.execute(uri: target, method: method ?? .get, headers: headers, body: ByteBuffer(string: body))
                    #expect(r.status.code < 500, "\(method?.rawValue ?? "") \(target) page=\(page.debugDescription) per=\(per.debugDescription) body=\(body.debugDescription) -> \(r.status.code)")
                    if r.status.code >= 500 { return }
                    served += 1
                }
                let ok = try await client.execute(uri: "/api/v1/meetings", method: .get, headers: [.authorization: "Bearer " + token])
                #expect(ok.status == .ok)
            }
            #expect(served == 4000)
        }
    }
}
