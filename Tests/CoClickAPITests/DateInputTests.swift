import CoClickAPI
import Foundation
import Testing

@Suite struct DateInputTests {
    // Sunday 2026-11-29 10:15:00 in Paris (UTC+1 in winter).
    let zone = TimeZone(identifier: "Europe/Paris")!
    let now = APIDate.parse("2026-11-29T10:15:00+01:00")!.date

    func parse(_ s: String, now: Date? = nil) -> APIDate? {
        try? DateInput.parse(s, now: now ?? self.now, zone: zone).get()
    }

    func failure(_ s: String, now: Date? = nil) -> DateInput.Failure? {
        if case .failure(let f) = DateInput.parse(s, now: now ?? self.now, zone: zone) { return f }
        return nil
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

    @Test func daysAloneAreTheirStart() {
        #expect(parse("today")?.text == "2026-11-29T00:00:00.000+01:00")
        #expect(parse("tomorrow")?.text == "2026-11-30T00:00:00.000+01:00")
        #expect(parse("yesterday")?.text == "2026-11-28T00:00:00.000+01:00")
        #expect(parse("yesterday 18:00")?.text == "2026-11-28T18:00:00.000+01:00")
        #expect(parse("today at noon")?.text == "2026-11-29T12:00:00.000+01:00")
    }

    @Test func weekdays() {
        // 2026-11-29 is a Sunday.
        #expect(parse("monday 10:00")?.text == "2026-11-30T10:00:00.000+01:00")
        #expect(parse("next monday 10am")?.text == "2026-11-30T10:00:00.000+01:00")
        #expect(parse("wed")?.text == "2026-12-02T00:00:00.000+01:00")
        #expect(parse("Friday 2:30pm")?.text == "2026-12-04T14:30:00.000+01:00")
        // "sunday" on a Sunday is today; "next sunday" is a week on.
        #expect(parse("sunday 20:00")?.text == "2026-11-29T20:00:00.000+01:00")
        #expect(parse("next sunday 20:00")?.text == "2026-12-06T20:00:00.000+01:00")
    }

    @Test func twelveHourTimes() {
        #expect(parse("9am")?.text == "2026-11-29T09:00:00.000+01:00")
        #expect(parse("2:30pm")?.text == "2026-11-29T14:30:00.000+01:00")
        #expect(parse("2:30 PM")?.text == "2026-11-29T14:30:00.000+01:00")
        #expect(parse("12am")?.text == "2026-11-29T00:00:00.000+01:00")
        #expect(parse("12pm")?.text == "2026-11-29T12:00:00.000+01:00")
    }

    @Test func monthNames() {
        #expect(parse("Dec 1 14:30")?.text == "2026-12-01T14:30:00.000+01:00")
        #expect(parse("1 Dec 14:30")?.text == "2026-12-01T14:30:00.000+01:00")
        #expect(parse("December 24")?.text == "2026-12-24T00:00:00.000+01:00")
        #expect(parse("1 Dec 2027 9am")?.text == "2027-12-01T09:00:00.000+01:00")
        #expect(parse("Dec 1, 2027 14:30")?.text == "2027-12-01T14:30:00.000+01:00")
        // A day already gone this year is next year's.
        #expect(parse("Jul 4 12:00")?.text == "2027-07-04T12:00:00.000+02:00")
        #expect(parse("Jul 4 2026 12:00")?.text == "2026-07-04T12:00:00.000+02:00")
    }

    @Test func aDayOrWeekdayAlreadyGoneMeansTheNextOne() {
        // Sunday 29 Nov 2026, 10:15.
        #expect(parse("sun 9:00")?.text == "2026-12-06T09:00:00.000+01:00")
        #expect(parse("sunday 10:14")?.text == "2026-12-06T10:14:00.000+01:00")
        #expect(parse("sun 10:16")?.text == "2026-11-29T10:16:00.000+01:00")
        #expect(parse("sun")?.text == "2026-11-29T00:00:00.000+01:00")
        let friday = APIDate.parse("2026-12-04T15:00:00+01:00")!.date
        #expect(parse("fri 14:30", now: friday)?.text == "2026-12-11T14:30:00.000+01:00")
        #expect(parse("fri 16:00", now: friday)?.text == "2026-12-04T16:00:00.000+01:00")
        let decFourth = APIDate.parse("2026-12-04T09:00:00+01:00")!.date
        #expect(parse("Dec 1 14:30", now: decFourth)?.text == "2027-12-01T14:30:00.000+01:00")
        #expect(parse("1 Dec", now: decFourth)?.text == "2027-12-01T00:00:00.000+01:00")
        #expect(parse("Dec 4 14:30", now: decFourth)?.text == "2026-12-04T14:30:00.000+01:00")
        #expect(parse("Dec 1 2026 14:30", now: decFourth)?.text == "2026-12-01T14:30:00.000+01:00")
    }

    @Test func theDashboardsOwnHeadingsAreDates() {
        // 7 Dec 2026 is a Monday.
        #expect(parse("Mon 7 Dec 10:00")?.text == "2026-12-07T10:00:00.000+01:00")
        #expect(parse("Mon 7 Dec")?.text == "2026-12-07T00:00:00.000+01:00")
        #expect(parse("Today · Sun 29 Nov 18:00")?.text == "2026-11-29T18:00:00.000+01:00")
        #expect(parse("Tomorrow · Mon 30 Nov 9:00")?.text == "2026-11-30T09:00:00.000+01:00")
        #expect(parse("Tomorrow - Mon 30 Nov 9:00")?.text == "2026-11-30T09:00:00.000+01:00")
        #expect(parse("Wed 1 Dec 2027 14:30")?.text == "2027-12-01T14:30:00.000+01:00")
        // A past day's heading (every-date view) is this year's: its weekday says so.
        #expect(parse("Sat 28 Nov 10:00")?.text == "2026-11-28T10:00:00.000+01:00")
        // The weekday picks the year: 7 Dec 2027 is a Tuesday.
        #expect(parse("Tue 7 Dec 10:00")?.text == "2027-12-07T10:00:00.000+01:00")
        // A weekday that matches neither year is refused, in words.
        let f = failure("Wed 7 Dec 10:00")
        #expect(f?.message.contains("2026-12-7 is a Monday, not a Wednesday") == true, "\(String(describing: f))")
    }

    @Test func relativeFormsRoundToTheMinute() {
        let odd = APIDate.parse("2026-11-29T10:15:40.500+01:00")!.date
        #expect(parse("in 2h", now: odd)?.text == "2026-11-29T12:16:00.000+01:00")
        #expect(parse("+2h", now: odd)?.text == "2026-11-29T12:16:00.000+01:00")
        let early = APIDate.parse("2026-11-29T10:15:20+01:00")!.date
        #expect(parse("in 30m", now: early)?.text == "2026-11-29T10:45:00.000+01:00")
        // Seconds typed are seconds meant.
        #expect(parse("in 90s", now: early)?.text == "2026-11-29T10:16:50.000+01:00")
    }

    @Test func relativeForms() {
        #expect(parse("in 2h")?.text == "2026-11-29T12:15:00.000+01:00")
        #expect(parse("in 30m")?.text == "2026-11-29T10:45:00.000+01:00")
        #expect(parse("in 1d 2h")?.text == "2026-11-30T12:15:00.000+01:00")
        #expect(parse("in 1h30m")?.text == "2026-11-29T11:45:00.000+01:00")
        #expect(parse("in 2h 30m")?.text == "2026-11-29T12:45:00.000+01:00")
        #expect(parse("+2h")?.text == "2026-11-29T12:15:00.000+01:00")
        #expect(parse("+1d 3h")?.text == "2026-11-30T13:15:00.000+01:00")
        #expect(parse("in 2 hours")?.text == "2026-11-29T12:15:00.000+01:00")
        #expect(parse("now")?.text == "2026-11-29T10:15:00.000+01:00")
    }

    @Test func toWithoutATimeIncludesTheWholeDay() throws {
        let end = try DateInput.parseEnd("2026-12-01", now: now, zone: zone).get()
        #expect(end.text == "2026-12-01T23:59:59.999+01:00")
        #expect(try DateInput.parseEnd("tomorrow", now: now, zone: zone).get().text == "2026-11-30T23:59:59.999+01:00")
        #expect(try DateInput.parseEnd("Dec 1 14:30", now: now, zone: zone).get().text == "2026-12-01T14:30:00.000+01:00")
    }

    @Test func rejectsWhatIsNotADateAndEchoesIt() {
        for bad in ["someday", "in", "in two hours", "in 2x", "+", "2026-13-01", "25:00", "9", "tomorrow 9",
                    "tomorrow 24:00", "13pm", "2026-12-01 14:30 extra", "next", "Dec 32", "monday monday",
                    String(repeating: "1", count: 10_000)] {
            let f = failure(bad)
            #expect(f != nil, "accepted \(bad.prefix(30))")
            if let f, bad.count < 64 { #expect(f.message.contains("'\(bad)'"), "\(f.message)") }
        }
        #expect(failure("someday")?.message.hasPrefix("'someday' is not a date") == true)
        #expect(failure("in 2x")?.message.hasPrefix("'in 2x' is not a duration") == true)
        #expect(failure("evil\u{1b}[31m")?.message.contains("\u{1b}") == false)
        #expect(failure("")?.message == "is required")
        #expect(failure("   ")?.kind == .empty)
    }

    @Test func noSuchDay() {
        #expect(failure("2026-02-30 10:00")?.kind == .noSuchDay)
        #expect(failure("Feb 29 2027")?.kind == .noSuchDay)
        #expect(parse("Feb 29 2028")?.text == "2028-02-29T00:00:00.000+01:00")
    }

    @Test func aTimeInTheSpringGapIsRefusedInWords() throws {
        let f = try #require(failure("2026-03-29 02:30"))
        #expect(f.kind == .nonexistentLocalTime)
        #expect(f.message.contains("2026-03-29 02:30 does not exist in Europe/Paris"), "\(f.message)")
        #expect(f.message.contains("from 02:00 straight to 03:00"), "\(f.message)")
        // Either side of the gap is fine, and so is the repeated hour in autumn (the first one).
        #expect(parse("2026-03-29 01:59")?.text == "2026-03-29T01:59:00.000+01:00")
        #expect(parse("2026-03-29 03:00")?.text == "2026-03-29T03:00:00.000+02:00")
        #expect(parse("2026-10-25 02:30") != nil)
        // Relative forms across the change count real time.
        let before = APIDate.parse("2026-03-29T01:30:00+01:00")!.date
        #expect(parse("in 1h", now: before)?.text == "2026-03-29T03:30:00.000+02:00")
        #expect(parse("tomorrow 9:00", now: before)?.text == "2026-03-30T09:00:00.000+02:00")
        // The gap in another zone: New York, 2027-03-14 02:30.
        if case .failure(let g) = DateInput.parse("2027-03-14 2:30am", now: now, zone: TimeZone(identifier: "America/New_York")!) {
            #expect(g.kind == .nonexistentLocalTime)
            #expect(g.message.contains("America/New_York"))
        } else {
            Issue.record("a time in New York's gap was accepted")
        }
    }
}
