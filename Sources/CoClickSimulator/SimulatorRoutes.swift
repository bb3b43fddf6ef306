import CoClickAPI
import Foundation
import Hummingbird

/// The simulator's HTTP side, on Hummingbird's router: the API under
/// `/api/v1` (faults injected, bearer token checked by `BearerAuthentication`
/// except for `POST /authenticate`), the room pages and the admin endpoints.
/// A known path asked with another method answers 405 with `Allow`; every
/// error answers JSON: `{"error": "..."}`, and for `POST /meetings` the
/// documented rejected-meeting body with its `errors` object.
enum SimulatorRoutes {
    typealias Context = BasicRequestContext

    /// The route parameter that holds a meeting's id.
    private static let meetingParameter = "meetingID"

    static func router(core: SimulatorCore) -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: RequestLog(core: core))
        router.add(middleware: ErrorBodies())

        let api = router.group(RouterPath(APIPath.base)).add(middleware: FaultInjection(core: core))
        let meetings = RouterPath(APIPath.meetings)
        let meeting = RouterPath(APIPath.meetings + "/:" + meetingParameter)
        api.refuseOtherMethods(RouterPath(APIPath.authenticate), allowed: [.post])
        api.refuseOtherMethods(meetings, allowed: [.get, .post])
        api.refuseOtherMethods(meeting, allowed: [.get])
        api.post(RouterPath(APIPath.authenticate)) { request, _ in try await authenticate(request, core: core) }

        let authorized = api.group().add(middleware: BearerAuthentication(core: core))
        authorized.get(meetings) { request, _ in try list(request, core: core) }
        authorized.post(meetings) { request, _ in try await create(request, core: core) }
        authorized.get(meeting) { _, context in try detail(id: context.parameters.get(meetingParameter) ?? "", core: core) }

        for (path, who) in [(APIPath.prospectRoom, "prospect"), (APIPath.presenterRoom, "presenter")] {
            let room = RouterPath(path + "/:" + meetingParameter)
            router.refuseOtherMethods(room, allowed: [.get])
            router.get(room) { _, context in try roomPage(id: context.parameters.get(meetingParameter) ?? "", who: who, core: core) }
        }

        addAdmin(to: router.group("_simulator"), core: core)
        return router
    }

    // MARK: API

    private static func authenticate(_ request: Request, core: SimulatorCore) async throws -> Response {
        let body = try await bytes(of: request)
        guard let json = try? RawJSON.parse(body), json.members != nil else {
            throw APIFailure(.badRequest, "Bad Request: the body must be a JSON object with \(AuthField.secretID.stringValue) and \(AuthField.secretKey.stringValue)")
        }
        guard let issued = core.issueToken(secretID: json[AuthField.secretID]?.stringValue,
                                           secretKey: json[AuthField.secretKey]?.stringValue) else {
            throw APIFailure(.unauthorized, "Unauthorized: invalid \(AuthField.secretID.stringValue) or \(AuthField.secretKey.stringValue)")
        }
        return .json(.ok, .object([
            .init(AuthField.token, .string(issued.token)),
            .init(AuthField.expiresAt, .string(APIDate.format(issued.expiry, offsetSeconds: 7200))),
            .init(AuthField.company, .string(core.options.company)),
        ]))
    }

    private static func list(_ request: Request, core: SimulatorCore) throws -> Response {
        var query: ListQuery
        do {
            query = try ListQuery(query: request.uri.query ?? "", page: request.headers[PageHeader.page.name],
                                  per: request.headers[PageHeader.per.name], maxPer: core.options.maxPerPage)
        } catch let invalid as ListQuery.Invalid {
            throw APIFailure(.badRequest, "Bad Request: \(invalid.message)")
        }
        if core.options.grown { query.per = min(query.per, GrownServer.maxPer) }
        let (matching, firstID, now) = core.matching(query)
        let page = matching[query.range(count: matching.count)]
        if core.options.grown {
            return .json(.ok, .array(page.map { GrownServer.listJSON($0, isFirst: $0.id == firstID, now: now) }))
        }
        var headers = HTTPFields()
        if core.options.pageHeaders {
            headers[PageHeader.total.name] = String(matching.count)
            headers[PageHeader.page.name] = String(query.page)
            headers[PageHeader.per.name] = String(query.per)
        }
        return .json(.ok, .array(page.map { $0.listJSON(now: now) }), headers: headers)
    }

    private static func detail(id: String, core: SimulatorCore) throws -> Response {
        let (meeting, firstID, origin) = core.meeting(id: id)
        guard let meeting else { throw APIFailure(.notFound, "Not Found: the specified meeting could not be found") }
        if core.options.grown {
            return .json(.ok, GrownServer.detailJSON(meeting, isFirst: meeting.id == firstID, now: core.now, origin: origin))
        }
        return .json(.ok, meeting.detailJSON(now: core.now, origin: origin))
    }

    /// Every refusal answers the documented rejected-meeting body: a body
    /// that is too big, not JSON or not an object under `errors.base` (400),
    /// a field that breaks a rule under its name (422).
    private static func create(_ request: Request, core: SimulatorCore) async throws -> Response {
        let body: [UInt8]
        do {
            body = try await bytes(of: request)
        } catch {
            throw MeetingRejection(error.status, wholeRequest: error.message)
        }
        let json: RawJSON
        do {
            json = try RawJSON.parse(body)
        } catch {
            throw MeetingRejection(.badRequest, wholeRequest: "The body is not valid JSON: \(error.description)")
        }
        guard json.members != nil else {
            throw MeetingRejection(.badRequest, wholeRequest: "The body must be a JSON object, not \(json.kindName)")
        }
        switch MeetingValidation.validate(json, isKnownUser: core.isKnownUser) {
        case .failure(let errors):
            throw MeetingRejection(.unprocessableContent, errors.fields)
        case .success(let valid):
            let (meeting, origin) = core.create(valid)
            if core.options.grown {
                return .json(.created, GrownServer.detailJSON(meeting, isFirst: false, now: core.now, origin: origin))
            }
            return .json(.created, meeting.detailJSON(now: core.now, origin: origin))
        }
    }

    /// The request's body, at most `SimulatorCore.maxBodyBytes` (a body that
    /// says it is longer never gets here: `RequestGuard` answers it).
    private static func bytes(of request: Request) async throws(APIFailure) -> [UInt8] {
        var request = request
        do {
            return Array(try await request.collectBody(upTo: SimulatorCore.maxBodyBytes).readableBytesView)
        } catch {
            throw APIFailure(.contentTooLarge, "Payload Too Large: the body is over \(SimulatorCore.maxBodyBytes) bytes")
        }
    }

    // MARK: Rooms

    /// A tiny page behind the room URLs, so a copied link opens something.
    private static func roomPage(id: String, who: String, core: SimulatorCore) throws -> Response {
        guard core.meeting(id: id).meeting != nil else { throw APIFailure(.notFound, "Not found") }
        let html = "<!doctype html><meta charset=utf-8><title>CoClick simulator</title><h1>Simulated \(who) room</h1><p>Meeting \(id)</p>\n"
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    // MARK: Admin

    /// No authentication and no faults: bind to loopback.
    private static func addAdmin(to admin: RouterGroup<Context>, core: SimulatorCore) {
        admin.refuseOtherMethods("", allowed: [.get])
        admin.refuseOtherMethods("faults", allowed: [.get, .post])
        admin.refuseOtherMethods("reset", allowed: [.post])
        admin.refuseOtherMethods("revoke_tokens", allowed: [.post])
        admin.get("") { _, _ in Response.json(.ok, core.adminState()) }
        admin.get("faults") { _, _ in Response.json(.ok, core.adminState()) }
        admin.post("faults") { request, _ in
            let body = try await bytes(of: request)
            guard let json = try? RawJSON.parse(body), let members = json.members else {
                throw APIFailure(.badRequest, "Bad Request: expected a JSON object such as {\"\(AdminField.maintenance.stringValue)\": true}")
            }
            do throws(SimulatorCore.InvalidUpdate) {
                try core.applyFaultUpdate(members)
            } catch {
                throw APIFailure(.badRequest, "Bad Request: \(error.message)")
            }
            return Response.json(.ok, core.adminState())
        }
        admin.post("reset") { _, _ in
            core.reset()
            return Response.json(.ok, core.adminState())
        }
        admin.post("revoke_tokens") { _, _ in
            core.revokeTokens()
            return Response.json(.ok, core.adminState())
        }
    }
}

// MARK: Middleware

/// Records every request (API, rooms, admin, unknown paths) before it is answered.
struct RequestLog<Context: RequestContext>: RouterMiddleware {
    let core: SimulatorCore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
            .map { SimulatorCore.percentDecode(String($0), plusIsSpace: false) }
        core.record(SimulatorRequest(method: request.method.rawValue, path: "/" + segments.joined(separator: "/"),
                                     query: request.uri.query ?? "", receivedAt: core.now))
        return try await next(request, context)
    }
}

/// Every error answers in the simulator's JSON shape, Hummingbird's own
/// (no route: 404) included.
struct ErrorBodies<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let answer as APIFailure {
            return answer.response
        } catch let answer as MeetingRejection {
            return answer.response
        } catch let error as HTTPError {
            return APIFailure(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers).response
        } catch let error as any HTTPResponseError {
            return APIFailure(error.status, error.status.reasonPhrase).response
        }
    }
}

/// The faults of `SimulatorFaults`, on every API request.
struct FaultInjection<Context: RequestContext>: RouterMiddleware {
    let core: SimulatorCore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch await core.injectedFault() {
        case nil:
            return try await next(request, context)
        case .shuttingDown?:
            throw APIFailure(.serviceUnavailable, "The simulator is shutting down")
        case .maintenance?:
            throw APIFailure(.serviceUnavailable, "Service Unavailable: we're temporarily offline for maintenance. Please try again later.")
        case .serverError?:
            throw APIFailure(.internalServerError, "Internal Server Error")
        case .garbage?:
            return Response(status: .ok, headers: [.contentType: Response.jsonType],
                            body: .init(byteBuffer: ByteBuffer(string: "<html><body>502 Bad Gateway</body></html>\u{0}{\"\(AuthField.token.stringValue)\":")))
        }
    }
}

/// The bearer token of the API documentation: `Authorization: Bearer <token>`,
/// a token from `POST /authenticate` that has not expired or been revoked.
struct BearerAuthentication<Context: RequestContext>: RouterMiddleware {
    let core: SimulatorCore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let name = HTTPFields.Element.Name(BearerAuthorization.header), let value = request.headers[name] else {
            throw APIFailure(.unauthorized, "Unauthorized: missing \(BearerAuthorization.header): \(BearerAuthorization.value("<token>")) header")
        }
        guard let token = BearerAuthorization.token(in: value) else {
            throw APIFailure(.unauthorized, "Unauthorized: the \(BearerAuthorization.header) header must be \(BearerAuthorization.value("<token>"))")
        }
        switch core.check(token: token) {
        case .valid: return try await next(request, context)
        case .unknown: throw APIFailure(.unauthorized, "Unauthorized: unknown token")
        case .expired: throw APIFailure(.unauthorized, "Unauthorized: token expired")
        }
    }
}

// MARK: Answers

/// An error answer: `{"error": "<message>"}` (the API documents no body for it).
struct APIFailure: HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    static func body(_ message: String) -> RawJSON {
        .object([.init(ErrorBodyField.error, .string(message))])
    }

    var response: Response { .json(status, Self.body(message), headers: headers) }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }
}

/// A meeting `POST /meetings` did not create, in the documented shape.
struct MeetingRejection: HTTPResponseError {
    var status: HTTPResponse.Status
    var errors: [(String, [String])]

    init(_ status: HTTPResponse.Status, _ errors: [(String, [String])]) {
        self.status = status
        self.errors = errors
    }

    /// A problem with the request as a whole, not one field.
    init(_ status: HTTPResponse.Status, wholeRequest message: String) {
        self.init(status, [(MeetingKey.wholeRequest.name, [message])])
    }

    var json: RawJSON { StoredMeeting.rejectionJSON(errors) }

    var response: Response { .json(status, json) }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }
}

extension Response {
    static let jsonType = "application/json; charset=utf-8"

    /// Compact JSON; strings escaped only as JSON requires, so control
    /// characters in the data reach a client as a real server would send them.
    static func json(_ status: HTTPResponse.Status, _ value: RawJSON, headers: HTTPFields = [:]) -> Response {
        var fields: HTTPFields = [.contentType: jsonType]
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields,
                        body: .init(byteBuffer: ByteBuffer(string: value.text(indent: 0, escaping: .jsonOnly))))
    }
}

extension PageHeader {
    var name: HTTPFields.Element.Name { HTTPFields.Element.Name(rawValue)! }
}

/// The methods a refused request may ask with (a known path, another method).
private let refusableMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options, .trace]

extension RouterMethods {
    /// At `path`, every method but `allowed` answers 405 with `Allow` (before
    /// authentication: the method is wrong whoever asks); `OPTIONS` answers
    /// 204 with the same header.
    func refuseOtherMethods(_ path: RouterPath, allowed: [HTTPRequest.Method]) {
        let allow = (allowed + [.options]).map(\.rawValue).joined(separator: ", ")
        let only = allowed.map(\.rawValue).joined(separator: ", ")
        for method in refusableMethods where !allowed.contains(method) {
            on(path, method: method) { _, _ -> Response in
                if method == .options { return Response(status: .noContent, headers: [.allow: allow]) }
                throw APIFailure(.methodNotAllowed, "Method Not Allowed: \(only) only", headers: [.allow: allow])
            }
        }
    }
}
