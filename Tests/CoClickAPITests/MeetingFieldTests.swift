@testable import CoClickAPI
import Foundation
import Testing

/// `MeetingField` is where the API's field names are spelled; the `Codable`
/// keys (which Swift wants as literals) must say the same.
@Suite struct MeetingFieldTests {
    func keys(_ data: Data) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return Set(object?.keys.map { $0 } ?? [])
    }

    func fullMeeting() -> NewMeeting {
        NewMeeting(user: "ada@example.com", startsAt: APIDate(date: Date(timeIntervalSince1970: 1_800_000_000), offsetSeconds: 0),
                   cobrowsingURL: "https://shop.example.com/", cookies: [Cookie(domain: "d", name: "n", value: "v")],
                   customData: ["k": .int(1)], presenterWaitingRoomIframeURL: "https://p.example.com/",
                   prospectWaitingRoomIframeURL: "https://q.example.com/")
    }

    @Test func theCreateBodyUsesExactlyTheseNamesInThisOrder() throws {
        let m = fullMeeting()
        #expect(try keys(m.jsonBody()) == Set(MeetingField.allCases.map(\.name)))
        #expect(NewMeeting.fieldOrder == MeetingField.allCases.map(\.name))
        // The body's order is the documentation's.
        let text = String(decoding: m.jsonBody(), as: UTF8.self)
        let positions = MeetingField.allCases.compactMap { text.range(of: "\"\($0.name)\"")?.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func aMeetingDecodesFromTheseNames() throws {
        let body = String(decoding: fullMeeting().jsonBody(), as: UTF8.self)
        let json = "{\"id\":\"abc\",\"status\":\"scheduled\"," + body.dropFirst()
        let m = try JSONDecoder().decode(Meeting.self, from: Data(json.utf8))
        #expect(m.user == "ada@example.com")
        #expect(m.cobrowsingURL == "https://shop.example.com/")
        #expect(m.cookies?.count == 1)
        #expect(m.customData != nil)
        #expect(m.presenterWaitingRoomIframeURL == "https://p.example.com/")
        #expect(m.prospectWaitingRoomIframeURL == "https://q.example.com/")
        #expect(m.startsAt != nil)
    }

    @Test func clientChecksFileErrorsUnderTheseNames() {
        let bad = NewMeeting(user: "", startsAt: APIDate(date: Date(), offsetSeconds: 0), cobrowsingURL: "",
                             presenterWaitingRoomIframeURL: "nope", prospectWaitingRoomIframeURL: "nope")
        let fields = Set(bad.validate().fields.keys)
        #expect(fields.isSubset(of: Set(MeetingField.allCases.map(\.name))))
        #expect(fields.contains(MeetingField.user.name) && fields.contains(MeetingField.presenterIframe.name))
    }
}
