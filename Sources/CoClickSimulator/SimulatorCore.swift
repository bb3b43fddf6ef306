import CoClickAPI
import Foundation

/// The simulator's state and what it does with it: the meeting store, the
/// issued tokens and the faults. Everything is behind one lock and
/// synchronous, so it can be read and changed from any thread; HTTP (routes,
/// methods, authentication, answers) is `SimulatorRoutes`' business.
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

    /// Keeps `request` in the log (bounded) and tells `onRequest`.
    func record(_ request: SimulatorRequest) {
        state.withLock { s in
            // Bounded: a client sending requests for days must not grow it forever.
            if s.requests.count >= Self.maxRecordedRequests { s.requests.removeFirst(s.requests.count / 2) }
            s.requests.append(request)
        }
        options.onRequest?(request)
    }

    // MARK: Faults

    /// What a fault makes of an API request instead of its answer.
    enum Fault {
        case shuttingDown, maintenance, serverError, garbage
    }

    /// Waits out the latency and any hang, then says which fault, if any,
    /// answers this request (in `SimulatorFaults`' order).
    func injectedFault() async -> Fault? {
        let latency = state.withLock { $0.faults.latencyMilliseconds }
        if latency > 0 { try? await Task.sleep(nanoseconds: UInt64(min(latency, SimulatorFaults.maxLatencyMilliseconds)) * 1_000_000) }
        // Hang: hold the request until the fault is lifted or the simulator stops.
        while true {
            let (hang, stopping) = state.withLock { ($0.faults.hang, $0.stopping) }
            if stopping { return .shuttingDown }
            if !hang { break }
            do { try await Task.sleep(nanoseconds: 50_000_000) } catch { return .shuttingDown }
        }
        return state.withLock { s -> Fault? in
            if s.faults.maintenance { return .maintenance }
            if s.faults.failNext > 0 {
                s.faults.failNext -= 1
                return .serverError
            }
            if s.faults.failureRate > 0, Double.random(in: 0..<1) < s.faults.failureRate { return .serverError }
            return s.faults.garbage ? .garbage : nil
        }
    }

    // MARK: Tokens

    /// A new token and its expiry for the right key, else nil.
    func issueToken(secretID: String?, secretKey: String?) -> (token: String, expiry: Date)? {
        guard secretID == options.credentials.secretID, secretKey == options.credentials.secretKey else { return nil }
        let token = "sim." + HexIDs.random()
        let issued = now
        let expiry: Date = state.withLock { s in
            // Bounded: expired tokens are forgotten once there are many.
            if s.tokens.count >= Self.maxTokens { s.tokens = s.tokens.filter { $0.value > issued } }
            let e = issued.addingTimeInterval(s.tokenTTL)
            s.tokens[token] = e
            return e
        }
        return (token, expiry)
    }

    enum TokenCheck { case valid, unknown, expired }

    func check(token: String) -> TokenCheck {
        let at = now
        return state.withLock { s in
            guard let expiry = s.tokens[token] else { return .unknown }
            if expiry <= at {
                s.tokens[token] = nil
                return .expired
            }
            return .valid
        }
    }

    // MARK: Meetings

    /// The meetings `query` selects (all pages), the stored meetings' first id
    /// (the grown server's odd one) and the time their statuses were read at.
    func matching(_ query: ListQuery) -> (meetings: [StoredMeeting], firstID: String?, now: Date) {
        let at = now
        let all = state.withLock { $0.meetings }
        return (query.apply(to: all, now: at), all.first?.id, at)
    }

    func meeting(id: String) -> (meeting: StoredMeeting?, firstID: String?, origin: String) {
        state.withLock { s in (s.meetings.first { $0.id == id }, s.meetings.first?.id, s.origin) }
    }

    /// A company user, the owner of a stored meeting, or an address at the company's domain.
    func isKnownUser(_ email: String) -> Bool {
        let e = email.lowercased()
        if Simulator.demoUsers.contains(e) || e.hasSuffix("@" + Simulator.companyDomain) { return true }
        return state.withLock { s in s.meetings.contains { $0.user.lowercased() == e } }
    }

    /// Stores a validated meeting under a new id; returns it and the origin of its room URLs.
    func create(_ meeting: StoredMeeting) -> (meeting: StoredMeeting, origin: String) {
        var meeting = meeting
        meeting.id = HexIDs.random()
        return state.withLock { s in
            s.store(meeting, limit: options.maxMeetings)
            return (meeting, s.origin)
        }
    }

    // MARK: Admin

    /// Faults, token lifetime and meeting count, under the admin endpoint's names.
    func adminState() -> RawJSON {
        typealias Key = AdminField
        return state.withLock { s in
            .object([
                .init(Key.latencyMilliseconds, .int(s.faults.latencyMilliseconds)),
                .init(Key.failureRate, .double(s.faults.failureRate)),
                .init(Key.maintenance, .bool(s.faults.maintenance)),
                .init(Key.garbage, .bool(s.faults.garbage)),
                .init(Key.hang, .bool(s.faults.hang)),
                .init(Key.failNext, .int(s.faults.failNext)),
                .init(Key.tokenTTL, .double(s.tokenTTL)),
                .init(Key.meetings, .int(s.meetings.count)),
            ])
        }
    }

    struct InvalidUpdate: Error { var message: String }

    /// A partial update: only the keys present change. Unknown keys and wrong
    /// types are refused, so a typo does not silently do nothing.
    func applyFaultUpdate(_ members: [RawJSON.Member]) throws(InvalidUpdate) {
        typealias Key = AdminField
        func number(_ v: RawJSON, _ key: Key) throws(InvalidUpdate) -> Double {
            guard case .number(let n) = v, let d = Double(n), d.isFinite else {
                throw InvalidUpdate(message: "\(key.stringValue) must be a number")
            }
            return d
        }
        /// Clamped before the conversion: `Int(1e300)` would trap.
        func count(_ v: RawJSON, _ key: Key, max limit: Int) throws(InvalidUpdate) -> Int {
            Int(min(Double(limit), max(0, try number(v, key))))
        }
        func flag(_ v: RawJSON, _ key: Key) throws(InvalidUpdate) -> Bool {
            guard case .bool(let b) = v else { throw InvalidUpdate(message: "\(key.stringValue) must be true or false") }
            return b
        }
        var faults = state.withLock { $0.faults }
        var ttl: TimeInterval?
        for member in members {
            guard let key = Key(stringValue: member.key), key != .meetings else {
                let known = Key.settable.map(\.stringValue).joined(separator: ", ")
                throw InvalidUpdate(message: "unknown key \(member.key); known: \(known)")
            }
            let value = member.value
            switch key {
            case .latencyMilliseconds: faults.latencyMilliseconds = try count(value, key, max: SimulatorFaults.maxLatencyMilliseconds)
            case .failureRate: faults.failureRate = min(1, max(0, try number(value, key)))
            case .maintenance: faults.maintenance = try flag(value, key)
            case .garbage: faults.garbage = try flag(value, key)
            case .hang: faults.hang = try flag(value, key)
            case .failNext: faults.failNext = try count(value, key, max: SimulatorFaults.maxFailNext)
            case .tokenTTL: ttl = min(SimulatorOptions.maxTokenTTL, max(0, try number(value, key)))
            case .meetings: break
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

    func revokeTokens() { state.withLock { $0.tokens.removeAll() } }

    // MARK: Text

    /// Percent-decoding; in a query, `+` is a space (form encoding, as Rails reads it).
    static func percentDecode(_ s: String, plusIsSpace: Bool) -> String {
        let t = plusIsSpace ? s.replacingOccurrences(of: "+", with: " ") : s
        return t.removingPercentEncoding ?? t
    }
}
