import CoClickAPI
import CoClickSimulator
import Dashboard
import Foundation
import Testing

/// `c` (duplicate) and the form's create, against the simulator over loopback:
/// custom data goes back to the server exactly as the meeting holds it.
@Suite struct DuplicateCustomDataTests {
    static let written = #"{"zeta":1,"big":12345678901234567890,"alpha":{"y":2,"x":1.5},"ratio":0.1000}"#

    @Test func aDuplicateSendsCustomDataExactlyAsStored() async throws {
        let sim = Simulator(options: SimulatorOptions())
        let url = try await sim.start()
        let client = CoClickClient(configuration: ClientConfiguration(baseURL: url, credentials: Simulator.demoCredentials))
        do {
            let now = Date()
            let zone = TimeZone(identifier: "UTC")!
            var original = NewMeeting(user: Simulator.demoUsers[0], startsAt: APIDate.inZone(now.addingTimeInterval(3600), zone),
                                      cobrowsingURL: "https://shop.example.com/")
            original.customDataRaw = try RawJSON.parse(Self.written)
            let first = try await client.createMeeting(original)

            // What the dashboard's detail fetch reads, then `c`.
            let stored = try await client.meeting(id: first.id)
            var form = MeetingForm(duplicating: stored)
            #expect(form.customData.text == Self.written)
            form.startsAt = TextField("in 3h")
            let meeting = try form.build(now: now, zone: zone).get()
            let copy = try await client.createMeeting(meeting)

            let (_, body) = try await client.meetingResponse(id: copy.id)
            let readBack = try #require(try RawJSON.parse(body)[MeetingField.customData.name])
            #expect(readBack.text(indent: 0) == Self.written)
            #expect(String(decoding: body, as: UTF8.self).contains("12345678901234567890"))
            await sim.stop()
        } catch {
            await sim.stop()
            throw error
        }
    }

    @Test func aCustomDataWithoutTheServersBytesIsStillValidJSON() throws {
        let m = Meeting(id: "abc", user: "ada@example.com", status: .scheduled, startsAt: nil,
                        customData: .object(["b": .int(2), "a": .string("x")]), isDetail: true)
        let form = MeetingForm(duplicating: m)
        #expect(form.customData.text == #"{"a":"x","b":2}"#)
    }
}
