@testable import CoClickAPI
import Foundation
import Testing

/// The wire models against the documentation's own examples and against what
/// a server might send beyond them.
@Suite struct DocumentedExampleTests {
    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    @Test func authenticateResponseDecodes() throws {
        let s = try decode(AuthSession.self, DocumentedExamples.authenticateResponse)
        #expect(s.token.hasPrefix("eyJhbGciOiJIUzI1NiJ9."))
        #expect(s.company == "MyCompany")
        #expect(s.expiresAt.offsetSeconds == 7200)
        #expect(s.expiresAt.text == "2022-06-30T15:23:34.752+02:00")
        #expect(abs(s.expiresAt.date.timeIntervalSince1970 - 1_656_595_414.752) < 0.0005)
    }

    @Test func listResponseDecodes() throws {
        let list = try decode([Meeting].self, DocumentedExamples.listResponse)
        #expect(list.count == 2)
        #expect(list[0].id == "bcc18d36d0ba07c00639c48421411f33a7b35c0aa41958dd6964a33892a735b1")
        #expect(list[0].user == "[email\u{a0}protected]")  // the docs have a no-break space there
        #expect(list.allSatisfy { $0.status == .scheduled && !$0.isDetail })
        #expect(list[1].startsAt?.text == "2021-10-30T14:29:33.000+02:00")
        #expect(list[0].shortID == "bcc18d36")
    }

    @Test(arguments: [DocumentedExamples.detailResponse, DocumentedExamples.createResponse])
    func detailAndCreateResponsesDecode(_ text: String) throws {
        let m = try decode(Meeting.self, text)
        #expect(m.isDetail)
        #expect(m.id == "c3d9f69827eef8a25eedc920f1950a0ab9b3f6c9a0bfdca1111dff277a2d7694")
        #expect(m.status == .scheduled)
        #expect(m.duration == nil)
        #expect(m.cobrowsingURL == "http://www.coclick.io")
        #expect(m.cookies == [])
        #expect(m.customData == .object(["user_id": .int(17), "username": .string("Phil")]))
        #expect(m.presenterWaitingRoomIframeURL == nil && m.prospectWaitingRoomIframeURL == nil)
        #expect(m.prospectRoomURL == "http://www.coclick.io/essai/room/" + m.id)
        #expect(m.presenterRoomURL == "http://www.coclick.io/essai/presenter/" + m.id)
        // Encoding gives back the documented detail shape, key for key.
        let again = try JSONSerialization.jsonObject(with: JSONEncoder().encode(m)) as? NSDictionary
        let original = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        #expect(again == original)
    }

    @Test func createBodyHasTheKeysNewMeetingSends() throws {
        let documented = try decode(JSONValue.self, DocumentedExamples.createBody)
        let doc = try #require(documented.objectValue)
        guard case .string(let starts)? = doc["starts_at"], case .string(let user)? = doc["user"],
              case .string(let url)? = doc["cobrowsing_url"], case .object(let custom)? = doc["custom_data"] else {
            Issue.record("documented create body lacks a field")
            return
        }
        let new = NewMeeting(user: user, startsAt: try #require(APIDate.parse(starts)), cobrowsingURL: url,
                             cookies: [], customData: custom)
        let encoded = try decode(JSONValue.self, String(decoding: new.jsonBody(), as: UTF8.self))
        let sent = try #require(encoded.objectValue)
        // Every key sent is a documented one, with the documented value.
        for (key, value) in sent { #expect(doc[key] == value, "\(key)") }
        // The documented body's keys are the parameters (all sent here, nulls left out)
        // plus the two room URLs, which the server makes and the Parameters table omits.
        let notSent = Set(doc.keys).subtracting(sent.keys)
        #expect(notSent == ["presenter_waiting_room_iframe_url", "prospect_waiting_room_iframe_url", "prospect_room_url", "presenter_room_url"])
        #expect(Set(NewMeeting.fieldOrder).isSubset(of: doc.keys))
        // With the iframe URLs set, those are sent too.
        var withIframes = new
        withIframes.presenterWaitingRoomIframeURL = "https://www.youtube.com/embed/dQw4w9WgXcQ"
        withIframes.prospectWaitingRoomIframeURL = "https://www.youtube.com/embed/dQw4w9WgXcQ"
        let all = try decode(JSONValue.self, String(decoding: withIframes.jsonBody(), as: UTF8.self))
        #expect(Set(all.objectValue.map { Array($0.keys) } ?? []) == Set(NewMeeting.fieldOrder))
    }

    @Test func createErrorDecodesToValidationErrors() throws {
        let body = Data(DocumentedExamples.createError.utf8)
        let errors = try #require(CoClickClient.validationErrors(in: body))
        #expect(errors["user"] == ["User must exist"])
        #expect(errors["starts_at"] == ["please specify a start date"])
        #expect(errors["cobrowsing_url"] == ["Please specify a cobrowsing URL", "Cobrowsing URL is not valid"])
        #expect(errors.orderedFields.map(\.field) == ["user", "starts_at", "cobrowsing_url"])
        #expect(CoClickClient.error(status: 422, body: body) == .validation(errors))
        #expect(CoClickClient.error(status: 400, body: body) == .validation(errors))
    }
}

@Suite struct DecodingTests {
    @Test(arguments: [
        ("2021-10-30T14:29:33.000+02:00", 1_635_596_973.0, 7200),
        ("2021-10-30T12:29:33Z", 1_635_596_973.0, 0),
        ("2021-10-30T12:29:33.5Z", 1_635_596_973.5, 0),
        ("2021-10-30T12:29:33.123456Z", 1_635_596_973.123456, 0),
        ("2021-10-30T06:59:33-0530", 1_635_596_973.0, -19_800),
        ("2021-10-30T14:29+02:00", 1_635_596_940.0, 7200),
        ("2021-10-30 14:29:33+02", 1_635_596_973.0, 7200),
    ])
    func datesParseWithAnyOffsetAndPrecision(text: String, epoch: Double, offset: Int) throws {
        let d = try #require(APIDate.parse(text))
        #expect(abs(d.date.timeIntervalSince1970 - epoch) < 0.000_01)
        #expect(d.offsetSeconds == offset)
    }

    @Test(arguments: ["", "2021-10-30", "2021-02-31T10:00:00Z", "2021-10-30T25:00:00Z", "2021-10-30T10:00:00", "yesterday", "2021-10-30T10:00:00+02:00junk"])
    func badDatesDoNotParse(_ text: String) {
        #expect(APIDate.parse(text) == nil)
    }

    @Test func formatRoundTrips() throws {
        let d = try #require(APIDate.parse("2021-10-30T14:29:33.752+02:00"))
        #expect(d.text == "2021-10-30T14:29:33.752+02:00")
        #expect(APIDate(date: d.date, offsetSeconds: -19_800).text == "2021-10-30T06:59:33.752-05:30")
        #expect(APIDate(date: d.date).text == "2021-10-30T12:29:33.752+00:00")
    }

    @Test func lenientMeetingDecoding() throws {
        let text = #"""
        [
          {"id": "a1", "user": null, "status": "archived", "starts_at": "not a date", "extra": {"x": 1}},
          {"id": "a2", "user": "u@example.com", "status": "in_progress", "starts_at": "2021-10-30T12:29:33Z",
           "duration": "45", "cobrowsing_cookies_data": [{"domain": "d", "name": "n", "value": "v"}, {"domain": "only"}],
           "custom_data": null, "new_field": true},
          {"token": "a3", "status": "closed", "starts_at": "2021-10-30T12:29:33-0530", "duration": 30.0}
        ]
        """#
        let list = try JSONDecoder().decode([Meeting].self, from: Data(text.utf8))
        #expect(list.map(\.id) == ["a1", "a2", "a3"])
        #expect(list[0].status == .other("archived") && list[0].status.rawValue == "archived")
        #expect(list[0].user == nil && list[0].startsAt == nil)
        #expect(list[1].status == .inProgress && list[1].duration == 45)
        #expect(list[1].cookies == [Cookie(domain: "d", name: "n", value: "v")])
        #expect(list[1].customData == nil)
        #expect(list[2].isDetail && list[2].duration == 30 && list[2].startsAt?.offsetSeconds == -19_800)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Meeting.self, from: Data(#"{"user": "x"}"#.utf8)) }
    }
}

@Suite struct QueryEncodingTests {
    @Test func documentedUserFilter() {
        #expect(MeetingQuery(userEmailContains: "hugh").queryString == "q%5Buser_email_cont%5D=hugh")
    }

    @Test func plusAndSpecialCharactersAreEncoded() {
        #expect(MeetingQuery(userEmailContains: "hugh+sales@example.com").queryString == "q%5Buser_email_cont%5D=hugh%2Bsales%40example.com")
        #expect(MeetingQuery(userEmailContains: "a b&c=d").queryString == "q%5Buser_email_cont%5D=a%20b%26c%3Dd")
    }

    @Test func statusesAndDatesAndSort() throws {
        #expect(MeetingQuery(statuses: [.closed]).queryString == "q%5Bstatus_eq%5D=closed")
        #expect(MeetingQuery(statuses: [.closed, .inProgress]).queryString == "q%5Bstatus_in%5D%5B%5D=closed&q%5Bstatus_in%5D%5B%5D=in_progress")
        let from = try #require(APIDate.parse("2021-10-30T14:29:33.000+02:00")).date
        let q = MeetingQuery(startsFrom: from, startsTo: from.addingTimeInterval(3600), sort: "starts_at desc")
        #expect(q.queryString == "q%5Bstarts_at_gteq%5D=2021-10-30T12%3A29%3A33.000%2B00%3A00&q%5Bstarts_at_lteq%5D=2021-10-30T13%3A29%3A33.000%2B00%3A00&q%5Bs%5D=starts_at%20desc")
        #expect(MeetingQuery().queryString == "")
    }
}
