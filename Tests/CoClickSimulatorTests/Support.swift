import CoClickAPI
@testable import CoClickSimulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs `body` against a fresh simulator on 127.0.0.1 and a free port, and stops it afterwards.
func withSimulator<T>(
    _ options: SimulatorOptions = SimulatorOptions(),
    _ body: (Simulator, URL) async throws -> T
) async throws -> T {
    let sim = Simulator(options: options)
    let url = try await sim.start()
    do {
        let result = try await body(sim, url)
        await sim.stop()
        return result
    } catch {
        await sim.stop()
        throw error
    }
}

/// A raw HTTP exchange, to look at exactly what the simulator sends.
struct RawResponse {
    var status: Int
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    var object: [String: Any]? { json as? [String: Any] }
    var array: [[String: Any]]? { json as? [[String: Any]] }
    var text: String { String(decoding: body, as: UTF8.self) }
}

let rawSession: URLSession = {
    let cfg = URLSessionConfiguration.ephemeral
    cfg.timeoutIntervalForRequest = 10
    return URLSession(configuration: cfg)
}()

func raw(_ method: String, _ url: URL, headers: [String: String] = [:], body: Data? = nil) async throws -> RawResponse {
    var request = URLRequest(url: url)
    request.httpMethod = method
    for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
    if let body {
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, response) = try await rawSession.data(for: request)
    guard let http = response as? HTTPURLResponse else { throw RawError(message: "not HTTP") }
    var headers: [String: String] = [:]
    for (k, v) in http.allHeaderFields {
        if let k = k as? String, let v = v as? String { headers[k] = v }
    }
    return RawResponse(status: http.statusCode, headers: headers, body: data)
}

func json(_ object: Any) -> Data {
    (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
}

/// A bearer token from the simulator's own `POST /authenticate`.
func token(_ base: URL, credentials: Credentials = Simulator.demoCredentials) async throws -> String {
    let r = try await raw("POST", base.appendingPathComponent("authenticate"),
                          body: json(["secret_id": credentials.secretID, "secret_key": credentials.secretKey]))
    guard let t = r.object?["token"] as? String else { throw RawError(message: "no token: \(r.status) \(r.text)") }
    return t
}

struct RawError: Error { var message: String }

func bearer(_ token: String) -> [String: String] { ["Authorization": "Bearer " + token] }

/// `base` + path + raw query (already encoded).
func endpoint(_ base: URL, _ path: String, query: String = "") -> URL {
    URL(string: base.absoluteString + "/" + path + (query.isEmpty ? "" : "?" + query))!
}

/// The origin (`http://127.0.0.1:PORT`) of an API base URL, + path.
func admin(_ base: URL, _ path: String) -> URL {
    URL(string: base.absoluteString.replacingOccurrences(of: Simulator.apiBasePath, with: "") + path)!
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }
    var now: Date { lock.lock(); defer { lock.unlock() }; return current }
    func advance(_ seconds: TimeInterval) { lock.lock(); current += seconds; lock.unlock() }
}

let documentedDetailKeys: Set<String> = [
    "token", "status", "starts_at", "duration", "cobrowsing_url", "cobrowsing_cookies_data", "user",
    "custom_data", "presenter_waiting_room_iframe_url", "prospect_waiting_room_iframe_url",
    "prospect_room_url", "presenter_room_url",
]
let documentedStatuses: Set<String> = ["scheduled", "in_progress", "closed", "cancelled"]

/// `2021-10-30T14:29:33.000+02:00`: milliseconds and a ±HH:MM offset, as in the documentation.
func isDocumentedDate(_ s: String) -> Bool {
    s.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$"#, options: .regularExpression) != nil
        && APIDate.parse(s) != nil
}
