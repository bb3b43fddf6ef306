import CoClickAPI
import Foundation

/// An HTTP answer, independent of the server framework.
struct SimResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: Data

    static func json(_ status: Int, _ value: WireJSON, headers: [(String, String)] = []) -> SimResponse {
        SimResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")] + headers, body: value.data)
    }

    /// `{"error": "..."}`: the body of 400/401/404/500/503 answers.
    static func error(_ status: Int, _ message: String) -> SimResponse {
        json(status, .object([("error", .string(message))]))
    }
}

/// The simulator's state and its request handling. Everything is behind one
/// lock and synchronous, so it can be read and changed from any thread.
final class SimulatorCore: Sendable {
    struct State {
        var faults: SimulatorFaults
        var tokenTTL: TimeInterval
        /// bearer token -> expiry
        var tokens: [String: Date] = [:]
        var meetings: [StoredMeeting]
        var requests: [SimulatorRequest] = []
        /// `http://127.0.0.1:PORT`, for room URLs; set once the port is known.
        var origin = "http://127.0.0.1"
        /// Set by `stop()`: hung requests give up.
        var stopping = false

        /// Appends a meeting; past `limit` the oldest created are forgotten,
        /// so a client creating meetings for days cannot grow memory forever.
        mutating func store(_ meeting: StoredMeeting, limit: Int) {
            let limit = max(1, limit)
            if meetings.count >= limit { meetings.removeFirst(meetings.count - limit + 1) }
            meetings.append(meeting)
        }
    }

    let options: SimulatorOptions
    let state: Locked<State>

    static let maxRecordedRequests = 20_000
    static let maxTokens = 10_000
    /// Largest request body read; a larger one is answered 413.
    static let maxBodyBytes = 1 << 20

    init(options: SimulatorOptions) {
        self.options = options
        state = Locked(State(faults: options.faults, tokenTTL: options.tokenTTL,
                             meetings: options.fixture.meetings(now: options.now())))
    }

    var now: Date { options.now() }

    // MARK: Dispatch

    func handle(method: String, target: String, headers: [String: String], body: Data) async -> SimResponse {
        let (rawPath, rawQuery) = Self.split(target)
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: true)
            .map { Self.percentDecode(String($0), plusIsSpace: false) }
        let record = SimulatorRequest(method: method, path: "/" + segments.joined(separator: "/"), query: rawQuery, receivedAt: now)
        state.withLock { s in
            // Bounded: a client sending requests for days must not grow it forever.
            if s.requests.count >= Self.maxRecordedRequests { s.requests.removeFirst(s.requests.count / 2) }
            s.requests.append(record)
        }
        options.onRequest?(record)

        switch segments.first {
        case "_simulator":
            return admin(method: method, Array(segments.dropFirst()), body: body)
        case "essai":
            return room(method: method, Array(segments.dropFirst()))
        case "api" where segments.count >= 2 && segments[1] == "v1":
            if let fault = await injectFault() { return fault }
            return api(method: method, Array(segments.dropFirst(2)), query: rawQuery, headers: headers, body: body)
        default:
            return .error(404, "Not found")
        }
    }

    /// The fault to answer with instead of the real response, if any.
    private func injectFault() async -> SimResponse? {
        let latency = state.withLock { $0.faults.latencyMilliseconds }
        if latency > 0 { try? await Task.sleep(nanoseconds: UInt64(min(latency, SimulatorFaults.maxLatencyMilliseconds)) * 1_000_000) }
        // Hang: hold the request until the fault is lifted or the simulator stops.
        while true {
            let (hang, stopping) = state.withLock { ($0.faults.hang, $0.stopping) }
            if stopping { return .error(503, "The simulator is shutting down") }
            if !hang { break }
            do { try await Task.sleep(nanoseconds: 50_000_000) } catch { return .error(503, "The simulator is shutting down") }
        }
        let answer: SimResponse? = state.withLock { s in
            if s.faults.maintenance {
                return .error(503, "Service Unavailable: we're temporarily offline for maintenance. Please try again later.")
            }
            if s.faults.failNext > 0 {
                s.faults.failNext -= 1
                return .error(500, "Internal Server Error")
            }
            if s.faults.failureRate > 0, Double.random(in: 0..<1) < s.faults.failureRate {
                return .error(500, "Internal Server Error")
            }
            if s.faults.garbage {
                return SimResponse(status: 200, headers: [("Content-Type", "application/json; charset=utf-8")],
                                   body: Data("<html><body>502 Bad Gateway</body></html>\u{0}{\"token\":".utf8))
            }
            return nil
        }
        return answer
    }

    /// The methods each API path serves; a known path asked with another
    /// method answers 405 with `Allow` (before authentication: the method is
    /// wrong whoever asks).
    static func apiMethods(_ path: [String]) -> [String]? {
        switch (path.count, path.first) {
        case (1, "authenticate"): return ["POST"]
        case (1, "meetings"): return ["GET", "POST"]
        case (2, "meetings"): return ["GET"]
        default: return nil
        }
    }

    private func api(method: String, _ path: [String], query: String, headers: [String: String], body: Data) -> SimResponse {
        guard let allowed = Self.apiMethods(path) else { return .error(404, "Not found") }
        guard allowed.contains(method) else { return Self.notAllowed(method: method, allowed: allowed) }
        switch (method, path.count) {
        case ("POST", 1) where path[0] == "authenticate":
            return authenticate(body: body)
        case ("GET", 1):
            return authorize(headers) ?? list(query: query, headers: headers)
        case ("POST", 1):
            return authorize(headers) ?? create(body: body)
        default:
            return authorize(headers) ?? detail(id: path[1])
        }
    }

    /// 405 with the `Allow` header; `OPTIONS` gets 204 and the same header.
    static func notAllowed(method: String, allowed: [String]) -> SimResponse {
        let allow = ("Allow", (allowed + ["OPTIONS"]).joined(separator: ", "))
        if method == "OPTIONS" { return SimResponse(status: 204, headers: [allow], body: Data()) }
        var r = SimResponse.error(405, "Method Not Allowed: \(allowed.joined(separator: ", ")) only")
        r.headers.append(allow)
        return r
    }

    // MARK: Authentication

    private func authenticate(body: Data) -> SimResponse {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: body), let object = json.objectValue else {
            return .error(400, "Bad Request: the body must be a JSON object with secret_id and secret_key")
        }
        guard case .string(let id)? = object["secret_id"], case .string(let key)? = object["secret_key"],
              id == options.credentials.secretID, key == options.credentials.secretKey else {
            return .error(401, "Unauthorized: invalid secret_id or secret_key")
        }
        let token = "sim." + HexIDs.random()
        let issued = now
        let expiry: Date = state.withLock { s in
            // Bounded: expired tokens are forgotten once there are many.
            if s.tokens.count >= Self.maxTokens { s.tokens = s.tokens.filter { $0.value > issued } }
            let e = issued.addingTimeInterval(s.tokenTTL)
            s.tokens[token] = e
            return e
        }
        return .json(200, .object([
            ("token", .string(token)),
            ("expires_at", .string(APIDate.format(expiry, offsetSeconds: 7200))),
            ("company", .string(options.company)),
        ]))
    }

    /// `nil` when the bearer token is valid, else the 401 answer.
    private func authorize(_ headers: [String: String]) -> SimResponse? {
        guard let value = headers["authorization"] else {
            return .error(401, "Unauthorized: missing Authorization: Bearer <token> header")
        }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return .error(401, "Unauthorized: the Authorization header must be Bearer <token>")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        let at = now
        return state.withLock { s in
            guard let expiry = s.tokens[token] else { return .error(401, "Unauthorized: unknown token") }
            if expiry <= at {
                s.tokens[token] = nil
                return .error(401, "Unauthorized: token expired")
            }
            return nil
        }
    }

    // MARK: Meetings

    private func list(query: String, headers: [String: String]) -> SimResponse {
        let filter: ListQuery
        do {
            filter = try ListQuery(query: query, page: headers["x-page"], per: headers["x-per"], maxPer: options.maxPerPage)
        } catch let e as ListQuery.Invalid {
            return .error(400, "Bad Request: \(e.message)")
        } catch {
            return .error(400, "Bad Request")
        }
        let at = now
        let all = state.withLock { $0.meetings }
        if options.grown {
            var clamped = filter
            clamped.per = min(filter.per, GrownServer.maxPer)
            let firstID = all.first?.id
            let matching = clamped.apply(to: all, now: at)
            let page = Array(matching[clamped.range(count: matching.count)])
            return .json(200, .array(page.map { GrownServer.listJSON($0, isFirst: $0.id == firstID, now: at) }))
        }
        let matching = filter.apply(to: all, now: at)
        let page = Array(matching[filter.range(count: matching.count)])
        return .json(200, .array(page.map { $0.listJSON(now: at) }), headers: options.pageHeaders ? [
            ("X-Total", String(matching.count)),
            ("X-Page", String(filter.page)),
            ("X-Per", String(filter.per)),
        ] : [])
    }

    private func detail(id: String) -> SimResponse {
        let (meeting, origin, firstID) = state.withLock { s in (s.meetings.first { $0.id == id }, s.origin, s.meetings.first?.id) }
        guard let meeting else { return .error(404, "Not Found: the specified meeting could not be found") }
        if options.grown {
            return .json(200, GrownServer.detailJSON(meeting, isFirst: meeting.id == firstID, now: now, origin: origin))
        }
        return .json(200, meeting.detailJSON(now: now, origin: origin))
    }

    private func create(body: Data) -> SimResponse {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: body) else {
            return .error(400, "Bad Request: the body is not valid JSON")
        }
        guard let object = json.objectValue else {
            return .error(400, "Bad Request: the body must be a JSON object")
        }
        let known = state.withLock { s in Set(s.meetings.map { $0.user.lowercased() }) }
        switch MeetingValidation.validate(object, isKnownUser: { email in
            let e = email.lowercased()
            return Simulator.demoUsers.contains(e) || known.contains(e) || e.hasSuffix("@" + Simulator.companyDomain)
        }) {
        case .failure(let errors):
            return .json(422, StoredMeeting.errorJSON(errors.fields))
        case .success(var meeting):
            meeting.id = HexIDs.random()
            // custom_data is kept as sent: big integers and decimals exactly.
            if let raw = try? RawJSON.parse(body), let custom = raw[MeetingField.customData.name], custom.members != nil {
                meeting.customDataText = custom.text(indent: 0)
            }
            let origin = state.withLock { s in
                s.store(meeting, limit: options.maxMeetings)
                return s.origin
            }
            if options.grown {
                return .json(201, GrownServer.detailJSON(meeting, isFirst: false, now: now, origin: origin))
            }
            return .json(201, meeting.detailJSON(now: now, origin: origin))
        }
    }

    // MARK: Rooms

    /// A tiny page behind the room URLs, so a copied link opens something.
    private func room(method: String, _ path: [String]) -> SimResponse {
        guard path.count == 2, path[0] == "room" || path[0] == "presenter",
              state.withLock({ s in s.meetings.contains { $0.id == path[1] } }) else {
            return .error(404, "Not found")
        }
        guard method == "GET" else { return Self.notAllowed(method: method, allowed: ["GET"]) }
        let who = path[0] == "room" ? "prospect" : "presenter"
        let html = "<!doctype html><meta charset=utf-8><title>CoClick simulator</title><h1>Simulated \(who) room</h1><p>Meeting \(path[1])</p>\n"
        return SimResponse(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(html.utf8))
    }

    // MARK: Admin

    private func admin(method: String, _ path: [String], body: Data) -> SimResponse {
        let allowed: [String]
        switch path {
        case []: allowed = ["GET"]
        case ["faults"]: allowed = ["GET", "POST"]
        case ["reset"], ["revoke_tokens"]: allowed = ["POST"]
        default:
            return .error(404, "Not found: admin endpoints are GET /_simulator, GET|POST /_simulator/faults, POST /_simulator/reset, POST /_simulator/revoke_tokens")
        }
        guard allowed.contains(method) else { return Self.notAllowed(method: method, allowed: allowed) }
        switch (method, path) {
        case ("POST", ["faults"]):
            guard let json = try? JSONDecoder().decode(JSONValue.self, from: body), let object = json.objectValue else {
                return .error(400, "Bad Request: expected a JSON object such as {\"maintenance\": true}")
            }
            do {
                try applyFaultUpdate(object)
            } catch let e as ListQuery.Invalid {
                return .error(400, "Bad Request: \(e.message)")
            } catch {
                return .error(400, "Bad Request")
            }
            return .json(200, adminState())
        case ("POST", ["reset"]):
            reset()
            return .json(200, adminState())
        case ("POST", ["revoke_tokens"]):
            state.withLock { $0.tokens.removeAll() }
            return .json(200, adminState())
        default:
            return .json(200, adminState())
        }
    }

    func adminState() -> WireJSON {
        state.withLock { s in
            .object([
                ("latency_ms", .int(s.faults.latencyMilliseconds)),
                ("failure_rate", .double(s.faults.failureRate)),
                ("maintenance", .bool(s.faults.maintenance)),
                ("garbage", .bool(s.faults.garbage)),
                ("hang", .bool(s.faults.hang)),
                ("fail_next", .int(s.faults.failNext)),
                ("token_ttl", .double(s.tokenTTL)),
                ("meetings", .int(s.meetings.count)),
            ])
        }
    }

    /// A partial update: only the keys present change. Unknown keys and wrong
    /// types are refused, so a typo does not silently do nothing.
    func applyFaultUpdate(_ object: [String: JSONValue]) throws {
        func number(_ v: JSONValue, _ key: String) throws -> Double {
            switch v {
            case .int(let i): return Double(i)
            case .double(let d) where d.isFinite: return d
            default: throw ListQuery.Invalid(message: "\(key) must be a number")
            }
        }
        /// Clamped before the conversion: `Int(1e300)` would trap.
        func count(_ v: JSONValue, _ key: String, max limit: Int) throws -> Int {
            Int(min(Double(limit), max(0, try number(v, key))))
        }
        func flag(_ v: JSONValue, _ key: String) throws -> Bool {
            guard case .bool(let b) = v else { throw ListQuery.Invalid(message: "\(key) must be true or false") }
            return b
        }
        var faults = state.withLock { $0.faults }
        var ttl: TimeInterval?
        for (key, value) in object {
            switch key {
            case "latency_ms": faults.latencyMilliseconds = try count(value, key, max: SimulatorFaults.maxLatencyMilliseconds)
            case "failure_rate": faults.failureRate = min(1, max(0, try number(value, key)))
            case "maintenance": faults.maintenance = try flag(value, key)
            case "garbage": faults.garbage = try flag(value, key)
            case "hang": faults.hang = try flag(value, key)
            case "fail_next": faults.failNext = try count(value, key, max: SimulatorFaults.maxFailNext)
            case "token_ttl": ttl = min(SimulatorOptions.maxTokenTTL, max(0, try number(value, key)))
            default:
                throw ListQuery.Invalid(message: "unknown key \(key); known: latency_ms, failure_rate, maintenance, garbage, hang, fail_next, token_ttl")
            }
        }
        state.withLock { s in
            s.faults = faults
            if let ttl { s.tokenTTL = ttl }
        }
    }

    /// Faults, token lifetime and meetings back to the start options (seeded
    /// at the current time). Issued tokens stay valid.
    func reset() {
        let meetings = options.fixture.meetings(now: now)
        state.withLock { s in
            s.faults = options.faults
            s.tokenTTL = options.tokenTTL
            s.meetings = meetings
            s.requests.removeAll()
        }
    }

    // MARK: Text

    static func split(_ target: String) -> (path: String, query: String) {
        var t = Substring(target)
        // An absolute-form target (`http://host/path`) is possible in HTTP/1.1.
        if let scheme = t.range(of: "://") {
            t = t[scheme.upperBound...]
            t = t.firstIndex(of: "/").map { t[$0...] } ?? "/"
        }
        if let q = t.firstIndex(of: "?") {
            var query = t[t.index(after: q)...]
            if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
            return (String(t[..<q]), String(query))
        }
        return (String(t), "")
    }

    /// Percent-decoding; in a query, `+` is a space (form encoding, as Rails reads it).
    static func percentDecode(_ s: String, plusIsSpace: Bool) -> String {
        let t = plusIsSpace ? s.replacingOccurrences(of: "+", with: " ") : s
        return t.removingPercentEncoding ?? t
    }
}
