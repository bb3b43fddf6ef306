import CoClickAPI
import Foundation
import Testing

@Suite struct DateInputTests {
    // 2026-11-29 10:15:00 in Paris (UTC+1 in winter).
    let zone = TimeZone(identifier: "Europe/Paris")!
    let now = APIDate.parse("2026-11-29T10:15:00+01:00")!.date

    func parse(_ s: String) -> APIDate? {
        try? DateInput.parse(s, now: now, zone: zone).get()
    }

    @Test func isoKeepsItsOwnOffset() throws {
        let d = try #require(parse("2026-12-01T14:30:00.250-05:30"))
        #expect(d.offsetSeconds == -(5 * 3600 + 1800))
        #expect(d.text == "2026-12-01T14:30:00.250-05:30")
        #expect(parse("2026-12-01T14:30:00Z")?.text == "2026-12-01T14:30:00.000+00:00")
    }

    @Test func plainLocalForms() {
        #expect(parse("2026-12-01 14:30")?.text == "2026-12-01T14:30:00.000+01:00")
        #expect(parse("2026-12-01T14:30")?.text == "2026-12-01T14:30:00.000+01:00")
        #expect(parse("2026-12-01")?.text == "2026-12-01T00:00:00.000+01:00")
        #expect(parse("tomorrow 9:00")?.text == "2026-11-30T09:00:00.000+01:00")
        #expect(parse("Tomorrow 9am")?.text == "2026-11-30T09:00:00.000+01:00")
        #expect(parse("today 5:30pm")?.text == "2026-11-29T17:30:00.000+01:00")
        #expect(parse("17:45")?.text == "2026-11-29T17:45:00.000+01:00")
        // Summer time in the zone applies to summer dates.
        #expect(parse("2027-07-01 12:00")?.text == "2027-07-01T12:00:00.000+02:00")
    }

    @Test func relativeForms() {
        #expect(parse("in 2h")?.text == "2026-11-29T12:15:00.000+01:00")
        #expect(parse("in 30m")?.text == "2026-11-29T10:45:00.000+01:00")
        #expect(parse("in 1d 2h")?.text == "2026-11-30T12:15:00.000+01:00")
        #expect(parse("in 1h30m")?.text == "2026-11-29T11:45:00.000+01:00")
        #expect(parse("now")?.text == "2026-11-29T10:15:00.000+01:00")
    }

    @Test func rejectsWhatIsNotADate() {
        for bad in ["", "   ", "someday", "in", "in two hours", "in 2x", "2026-02-30 10:00", "2026-13-01", "25:00",
                    "tomorrow", "tomorrow 24:00", "13pm", "2026-12-01 14:30 extra", String(repeating: "1", count: 10_000)] {
            #expect(parse(bad) == nil, "accepted \(bad.prefix(30))")
        }
        if case .failure(let f) = DateInput.parse("", now: now, zone: zone) {
            #expect(f.message == "is required")
        } else {
            Issue.record("empty input parsed")
        }
    }
}
