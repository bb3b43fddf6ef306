import CoClickAPI
@testable import CoClickSimulator
import Foundation
import Testing

/// What the simulator puts on the wire, inspected as raw JSON (not through the
/// lenient client model), against the documentation's fields and types.
@Suite struct WireShapeTests {
    @Test func authenticateReturnsTokenExpiryAndCompany() async throws {
        let clock = TestClock()
        try await withSimulator(SimulatorOptions(company: "Acme Corp", tokenTTL: 120, now: { clock.now })) { _, base in
            let r = try await raw("POST", endpoint(base, "authenticate"),
                                  body: json(["secret_id": "demo-secret-id", "secret_key": "demo-secret-key"]))
            #expect(r.status == 200)
            let o = try #require(r.object)
            #expect(Set(o.keys) == ["token", "expires_at", "company"])
            #expect((o["token"] as? String)?.isEmpty == false)
            #expect(o["company"] as? String == "Acme Corp")
            let expires = try #require(o["expires_at"] as? String)
            #expect(isDocumentedDate(expires))
            #expect(APIDate.parse(expires)?.date == clock.now.addingTimeInterval(120))
        }
    }

    @Test func wrongCredentialsAndBadBodies() async throws {
        try await withSimulator { _, base in
            let wrong = try await raw("POST", endpoint(base, "authenticate"),
                                      body: json(["secret_id": "demo-secret-id", "secret_key": "nope"]))
            #expect(wrong.status == 401)
            #expect(wrong.object?["error"] is String)
            let missing = try await raw("POST", endpoint(base, "authenticate"), body: json([String: String]()))
            #expect(missing.status == 401)
            let malformed = try await raw("POST", endpoint(base, "authenticate"), body: Data("{secret".utf8))
            #expect(malformed.status == 400)
            #expect(malformed.object?["error"] is String)
        }
    }

    @Test func everyEndpointButAuthenticateNeedsAValidToken() async throws {
        let clock = TestClock()
        try await withSimulator(SimulatorOptions(tokenTTL: 60, now: { clock.now })) { sim, base in
            let id = try #require(sim.meetings.first?.id)
            let body = json(["user": "ada@example.com", "starts_at": "2030-01-01T10:00:00Z", "cobrowsing_url": "https://example.com"])
            for headers in [[:], bearer("not-a-token"), ["Authorization": "Basic ZGVtbzpkZW1v"]] {
                #expect(try await raw("GET", endpoint(base, "meetings"), headers: headers).status == 401)
                #expect(try await raw("GET", endpoint(base, "meetings/" + id), headers: headers).status == 401)
                let post = try await raw("POST", endpoint(base, "meetings"), headers: headers, body: body)
                #expect(post.status == 401)
                #expect(post.object?["error"] is String)
            }
            let t = try await token(base)
            #expect(try await raw("GET", endpoint(base, "meetings"), headers: bearer(t)).status == 200)
            // The token expires with the simulator's clock.
            clock.advance(61)
            #expect(try await raw("GET", endpoint(base, "meetings"), headers: bearer(t)).status == 401)
        }
    }

    @Test func listItemsHaveExactlyTheDocumentedFields() async throws {
        try await withSimulator { _, base in
            let t = try await token(base)
            let r = try await raw("GET", endpoint(base, "meetings"), headers: bearer(t).merging(["X-Per": "100"]) { $1 })
            #expect(r.status == 200)
            #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
            let items = try #require(r.array)
            #expect(items.count >= 20)
            #expect(r.header("X-Total") == String(items.count))
            #expect(r.header("X-Page") == "1")
            #expect(r.header("X-Per") == "100")
            for item in items {
                #expect(Set(item.keys) == ["id", "user", "status", "starts_at"])
                let id = try #require(item["id"] as? String)
                #expect(id.count == 64 && id.allSatisfy(\.isHexDigit))
                #expect(item["user"] is String)
                #expect(documentedStatuses.contains(item["status"] as? String ?? ""))
                #expect(isDocumentedDate(item["starts_at"] as? String ?? ""))
            }
            // Default order: starts_at ascending.
            let starts = items.compactMap { ($0["starts_at"] as? String).flatMap(APIDate.parse)?.date }
            #expect(starts == starts.sorted())
        }
    }

    @Test func detailHasAllTwelveKeysWithDocumentedTypes() async throws {
        try await withSimulator { sim, base in
            let t = try await token(base)
            var sawNullDuration = false, sawNullCustom = false, sawCookies = false, sawCustom = false, sawIframe = false
            for meeting in sim.meetings {
                let r = try await raw("GET", endpoint(base, "meetings/" + meeting.id), headers: bearer(t))
                #expect(r.status == 200)
                let o = try #require(r.object)
                #expect(Set(o.keys) == documentedDetailKeys)
                #expect(o["token"] as? String == meeting.id)
                #expect(documentedStatuses.contains(o["status"] as? String ?? ""))
                #expect(isDocumentedDate(o["starts_at"] as? String ?? ""))
                if o["duration"] is NSNull { sawNullDuration = true } else { #expect(o["duration"] as? Int != nil) }
                #expect(MeetingRules.isWebURL(o["cobrowsing_url"] as? String ?? ""))
                let cookies = try #require(o["cobrowsing_cookies_data"] as? [[String: Any]])
                for c in cookies {
                    #expect(Set(c.keys) == ["domain", "name", "value"])
                    #expect(c.values.allSatisfy { $0 is String })
                }
                if !cookies.isEmpty { sawCookies = true }
                #expect(o["user"] is String)
                if o["custom_data"] is NSNull { sawNullCustom = true } else {
                    #expect(o["custom_data"] is [String: Any])
                    sawCustom = true
                }
                for key in ["presenter_waiting_room_iframe_url", "prospect_waiting_room_iframe_url"] {
                    if let s = o[key] as? String { #expect(MeetingRules.isWebURL(s)); sawIframe = true } else { #expect(o[key] is NSNull) }
                }
                let origin = base.absoluteString.replacingOccurrences(of: "/api/v1", with: "")
                #expect(o["prospect_room_url"] as? String == "\(origin)/essai/room/\(meeting.id)")
                #expect(o["presenter_room_url"] as? String == "\(origin)/essai/presenter/\(meeting.id)")
            }
            #expect(sawNullDuration && sawNullCustom && sawCookies && sawCustom && sawIframe)
        }
    }

    @Test func roomURLsServeAPage() async throws {
        try await withSimulator { sim, _ in
            let m = try #require(sim.meetings.first)
            let room = try await raw("GET", URL(string: try #require(m.prospectRoomURL))!)
            #expect(room.status == 200)
            #expect(room.text.contains(m.id))
            let presenter = try await raw("GET", URL(string: try #require(m.presenterRoomURL))!)
            #expect(presenter.status == 200)
        }
    }

    @Test func unknownMeetingIs404WithJSON() async throws {
        try await withSimulator { _, base in
            let t = try await token(base)
            let r = try await raw("GET", endpoint(base, "meetings/" + String(repeating: "0", count: 64)), headers: bearer(t))
            #expect(r.status == 404)
            #expect(r.object?["error"] is String)
            #expect(try await raw("GET", endpoint(base, "nothing-here"), headers: bearer(t)).status == 404)
        }
    }

    @Test func createReturns201WithTheDetailShapeAndTheMeetingIsListed() async throws {
        try await withSimulator { _, base in
            let t = try await token(base)
            let body: [String: Any] = [
                "user": "ada@example.com",
                "starts_at": "2030-10-30T14:29:33.000+02:00",
                "cobrowsing_url": "http://www.coclick.io",
                "cobrowsing_cookies_data": [["domain": ".coclick.io", "name": "sid", "value": "42"]],
                "custom_data": ["user_id": 17, "username": "Phil"],
                "presenter_waiting_room_iframe_url": "https://www.youtube.com/embed/dQw4w9WgXcQ",
                "prospect_waiting_room_iframe_url": NSNull(),
                // Documented in the example body, but the server makes its own.
                "prospect_room_url": "http://www.coclick.io/essai/room/x",
            ]
            let r = try await raw("POST", endpoint(base, "meetings"), headers: bearer(t), body: json(body))
            #expect(r.status == 201)
            let o = try #require(r.object)
            #expect(Set(o.keys) == documentedDetailKeys)
            let id = try #require(o["token"] as? String)
            #expect(id.count == 64)
            #expect(o["status"] as? String == "scheduled")
            #expect(o["starts_at"] as? String == "2030-10-30T14:29:33.000+02:00")
            #expect(o["duration"] is NSNull)
            #expect(o["user"] as? String == "ada@example.com")
            #expect((o["custom_data"] as? [String: Any])?["user_id"] as? Int == 17)
            #expect(o["prospect_waiting_room_iframe_url"] is NSNull)
            #expect((o["prospect_room_url"] as? String)?.hasSuffix("/essai/room/" + id) == true)
            let detail = try await raw("GET", endpoint(base, "meetings/" + id), headers: bearer(t))
            #expect(detail.status == 200)
            let listed = try await raw("GET", endpoint(base, "meetings", query: "q%5Buser_email_cont%5D=ada&q%5Bstarts_at_gteq%5D=2030-01-01T00%3A00%3A00Z"), headers: bearer(t))
            #expect(listed.array?.compactMap { $0["id"] as? String } == [id])
        }
    }

    /// The documentation's error example, verbatim: what an empty create must produce.
    static let documentedCreateError = #"""
    {
        "token": null,
        "status": "scheduled",
        "starts_at": null,
        "duration": null,
        "cobrowsing_url": null,
        "cobrowsing_cookies_data": [],
        "user": null,
        "custom_data": null,
        "presenter_waiting_room_iframe_url": null,
        "prospect_waiting_room_iframe_url": null,
        "prospect_room_url": null,
        "presenter_room_url": null,
        "errors": {
            "user": [
                "User must exist"
            ],
            "starts_at": [
                "please specify a start date"
            ],
            "cobrowsing_url": [
                "Please specify a cobrowsing URL",
                "Cobrowsing URL is not valid"
            ]
        }
    }
    """#

    @Test func emptyCreateAnswersExactlyTheDocumentedErrorBody() async throws {
        try await withSimulator { _, base in
            let t = try await token(base)
            let r = try await raw("POST", endpoint(base, "meetings"), headers: bearer(t), body: Data("{}".utf8))
            #expect(r.status == 422)
            let expected = try JSONSerialization.jsonObject(with: Data(Self.documentedCreateError.utf8)) as? NSDictionary
            let actual = try #require(r.json as? NSDictionary)
            #expect(actual == expected)
        }
    }

    @Test(arguments: [
        (#"{"user": "nobody@elsewhere.org"}"#, "user", "User must exist"),
        (#"{"user": "not an email"}"#, "user", "User is not a valid email address"),
        (#"{"user": 42}"#, "user", "User must exist"),
        (#"{"starts_at": "next tuesday"}"#, "starts_at", "Start date is not a valid date"),
        (#"{"starts_at": "2021-02-31T10:00:00Z"}"#, "starts_at", "Start date is not a valid date"),
        (#"{"cobrowsing_url": "ftp://example.com"}"#, "cobrowsing_url", "Cobrowsing URL is not valid"),
        (#"{"cobrowsing_url": "not a url"}"#, "cobrowsing_url", "Cobrowsing URL is not valid"),
        (#"{"cobrowsing_cookies_data": "a=b"}"#, "cobrowsing_cookies_data", "Cobrowsing cookies data must be an array of {domain, name, value} objects"),
        (#"{"cobrowsing_cookies_data": [{"domain": "a.com", "name": "n"}]}"#, "cobrowsing_cookies_data", "Cobrowsing cookies data item 1 is missing value"),
        (#"{"cobrowsing_cookies_data": [{"domain": "a.com", "name": "n", "value": "v", "path": "/"}]}"#, "cobrowsing_cookies_data", "Cobrowsing cookies data item 1 has an unexpected property path"),
        (#"{"cobrowsing_cookies_data": [{"domain": "a.com", "name": "n", "value": 1}]}"#, "cobrowsing_cookies_data", "Cobrowsing cookies data item 1: value must be a string"),
        (#"{"cobrowsing_cookies_data": ["cookie"]}"#, "cobrowsing_cookies_data", "Cobrowsing cookies data item 1 must be an object with domain, name and value"),
        (#"{"custom_data": [1, 2]}"#, "custom_data", "Custom data must be a JSON object"),
        (#"{"custom_data": "x"}"#, "custom_data", "Custom data must be a JSON object"),
        (#"{"presenter_waiting_room_iframe_url": "javascript:alert(1)"}"#, "presenter_waiting_room_iframe_url", "Presenter waiting room iframe URL is not valid"),
        (#"{"prospect_waiting_room_iframe_url": "nope"}"#, "prospect_waiting_room_iframe_url", "Prospect waiting room iframe URL is not valid"),
    ])
    func invalidFieldGives422WithItsMessage(override: String, field: String, message: String) async throws {
        try await withSimulator { sim, base in
            let t = try await token(base)
            var body: [String: Any] = ["user": "grace@example.com", "starts_at": "2030-01-01T09:00:00+01:00", "cobrowsing_url": "https://example.com/"]
            let changes = try #require(try JSONSerialization.jsonObject(with: Data(override.utf8)) as? [String: Any])
            for (k, v) in changes { body[k] = v }
            let before = sim.meetings.count
            let r = try await raw("POST", endpoint(base, "meetings"), headers: bearer(t), body: json(body))
            #expect(r.status == 422)
            let o = try #require(r.object)
            #expect(Set(o.keys) == documentedDetailKeys.union(["errors"]))
            #expect(o["token"] is NSNull && o["user"] is NSNull && o["custom_data"] is NSNull)
            #expect(o["status"] as? String == "scheduled")
            #expect((o["cobrowsing_cookies_data"] as? [Any])?.isEmpty == true)
            let errors = try #require(o["errors"] as? [String: [String]])
            #expect(Array(errors.keys) == [field])
            #expect(errors[field]?.contains(message) == true)
            #expect(sim.meetings.count == before)
        }
    }

    @Test func knownUsersAndTheCompanyDomainAreAccepted() async throws {
        try await withSimulator { _, base in
            let t = try await token(base)
            for user in ["HUGH@example.com", "hugh+sales@example.com", "new.hire@example.com"] {
                let body = json(["user": user, "starts_at": "2030-01-01T09:00:00Z", "cobrowsing_url": "https://example.com"])
                #expect(try await raw("POST", endpoint(base, "meetings"), headers: bearer(t), body: body).status == 201)
            }
        }
    }

    /// A body that is not a JSON object is refused in the documented shape
    /// too, its message under `errors.base` (the request as a whole).
    @Test func malformedCreateBodyIs400InTheErrorsShape() async throws {
        try await withSimulator { sim, base in
            let t = try await token(base)
            let before = sim.meetings.count
            for (body, says) in [("{\"user\": ", "not valid JSON"), ("not json", "not valid JSON"), ("[1,2]", "must be a JSON object"),
                                 ("", "not valid JSON"), ("\"text\"", "must be a JSON object")] {
                let r = try await raw("POST", endpoint(base, "meetings"), headers: bearer(t), body: Data(body.utf8))
                #expect(r.status == 400, "\(body)")
                let o = try #require(r.object, "\(body)")
                #expect(Set(o.keys) == documentedDetailKeys.union(["errors"]), "\(body)")
                #expect(o["token"] is NSNull && o["status"] as? String == "scheduled")
                let errors = try #require(o["errors"] as? [String: [String]], "\(body)")
                #expect(errors.keys.sorted() == ["base"], "\(body)")
                #expect(errors["base"]?.first?.contains(says) == true, "\(body): \(errors)")
            }
            #expect(sim.meetings.count == before)
        }
    }
}
