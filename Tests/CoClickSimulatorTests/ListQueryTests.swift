import CoClickAPI
@testable import CoClickSimulator
import Foundation
import Testing

/// Pagination headers, ransack filters and sort, over HTTP with raw query strings.
@Suite struct ListQueryTests {
    func list(_ base: URL, _ token: String, query: String = "", page: String? = nil, per: String? = nil) async throws -> RawResponse {
        var headers = bearer(token)
        if let page { headers["X-Page"] = page }
        if let per { headers["X-Per"] = per }
        return try await raw("GET", endpoint(base, "meetings", query: query), headers: headers)
    }

    @Test func pagesByHeaders() async throws {
        try await withSimulator(SimulatorOptions(fixture: .count(45))) { _, base in
            let t = try await token(base)
            let first = try await list(base, t)
            #expect(first.array?.count == 20)
            #expect(first.header("X-Total") == "45")
            #expect(first.header("X-Page") == "1" && first.header("X-Per") == "20")
            let third = try await list(base, t, page: "3", per: "20")
            #expect(third.array?.count == 5)
            let beyond = try await list(base, t, page: "9")
            #expect(beyond.status == 200 && beyond.array?.isEmpty == true)
            #expect(beyond.header("X-Total") == "45")
            // Pages never overlap and cover everything.
            var ids: [String] = []
            for p in 1...5 { ids += try await list(base, t, page: String(p), per: "10").array?.compactMap { $0["id"] as? String } ?? [] }
            #expect(ids.count == 45 && Set(ids).count == 45)
        }
    }

    @Test func badPaginationHeaders() async throws {
        try await withSimulator { _, base in
            let t = try await token(base)
            #expect(try await list(base, t, page: "abc").status == 400)
            #expect(try await list(base, t, per: "lots").status == 400)
            let clamped = try await list(base, t, page: "0", per: "500")
            #expect(clamped.status == 200)
            #expect(clamped.header("X-Page") == "1" && clamped.header("X-Per") == "100")
            #expect(try await list(base, t, per: "-3").header("X-Per") == "1")
        }
    }

    @Test func emptyFixtureListsNothing() async throws {
        try await withSimulator(SimulatorOptions(fixture: .empty)) { _, base in
            let r = try await list(base, try await token(base))
            #expect(r.status == 200 && r.text == "[]" && r.header("X-Total") == "0")
        }
    }

    @Test func userEmailContainsIsCaseInsensitiveAndDecodesPlus() async throws {
        try await withSimulator { sim, base in
            let t = try await token(base)
            let hugh = try await list(base, t, query: "q%5Buser_email_cont%5D=HUGH", per: "100")
            let users = hugh.array?.compactMap { $0["user"] as? String } ?? []
            #expect(!users.isEmpty && users.allSatisfy { $0.lowercased().contains("hugh") })
            #expect(users.count == sim.meetings.filter { $0.user?.contains("hugh") == true }.count)
            // `%2B` is a literal plus; a bare `+` is a space (form encoding).
            let sales = try await list(base, t, query: "q%5Buser_email_cont%5D=hugh%2Bsales")
            #expect(sales.array?.allSatisfy { $0["user"] as? String == "hugh+sales@example.com" } == true)
            #expect(sales.array?.isEmpty == false)
            #expect(try await list(base, t, query: "q%5Buser_email_cont%5D=hugh+sales").array?.isEmpty == true)
            // Blank values are ignored, as ransack does.
            #expect(try await list(base, t, query: "q%5Buser_email_cont%5D=", per: "100").array?.count == sim.meetings.count)
        }
    }

    @Test func statusEqAndStatusIn() async throws {
        try await withSimulator { sim, base in
            let t = try await token(base)
            for status in documentedStatuses {
                let r = try await list(base, t, query: "q%5Bstatus_eq%5D=" + status, per: "100")
                let statuses = r.array?.compactMap { $0["status"] as? String } ?? []
                #expect(!statuses.isEmpty, "the standard fixture has \(status) meetings")
                #expect(Set(statuses) == [status])
                #expect(statuses.count == sim.meetings.filter { $0.status.rawValue == status }.count)
            }
            let both = try await list(base, t, query: "q%5Bstatus_in%5D%5B%5D=closed&q%5Bstatus_in%5D%5B%5D=cancelled", per: "100")
            let statuses = both.array?.compactMap { $0["status"] as? String } ?? []
            #expect(Set(statuses) == ["closed", "cancelled"])
            #expect(both.header("X-Total") == String(sim.meetings.filter { [.closed, .cancelled].contains($0.status) }.count))
            #expect(try await list(base, t, query: "q%5Bstatus_eq%5D=bogus").array?.isEmpty == true)
        }
    }

    @Test func startsAtRangeAcceptsAnyOffset() async throws {
        let clock = TestClock()
        try await withSimulator(SimulatorOptions(now: { clock.now })) { sim, base in
            let t = try await token(base)
            let now = clock.now
            // The same instant written in two offsets.
            let fromUTC = MeetingQuery.percentEncode(APIDate(date: now, offsetSeconds: 0).text)
            let toIndia = MeetingQuery.percentEncode(APIDate(date: now + 86_400, offsetSeconds: 19_800).text)
            let r = try await list(base, t, query: "q%5Bstarts_at_gteq%5D=\(fromUTC)&q%5Bstarts_at_lteq%5D=\(toIndia)", per: "100")
            let starts = r.array?.compactMap { ($0["starts_at"] as? String).flatMap(APIDate.parse)?.date } ?? []
            let expected = sim.meetings.filter { ($0.startsAt?.date).map { $0 >= now && $0 <= now + 86_400 } ?? false }
            #expect(!starts.isEmpty && starts.count == expected.count)
            #expect(starts.allSatisfy { $0 >= now && $0 <= now + 86_400 })
            #expect(try await list(base, t, query: "q%5Bstarts_at_gteq%5D=yesterday").status == 400)
        }
    }

    @Test func sorts() async throws {
        try await withSimulator { _, base in
            let t = try await token(base)
            func values(_ q: String, _ key: String) async throws -> [String] {
                try await list(base, t, query: "q%5Bs%5D=" + q, per: "100").array?.compactMap { $0[key] as? String } ?? []
            }
            let desc = try await values("starts_at+desc", "starts_at").compactMap { APIDate.parse($0)?.date }
            #expect(desc.count > 2 && desc == desc.sorted(by: >))
            let asc = try await values("starts_at%20asc", "starts_at").compactMap { APIDate.parse($0)?.date }
            #expect(asc == asc.sorted())
            let users = try await values("user+asc", "user")
            #expect(users == users.sorted { $0.lowercased() < $1.lowercased() })
            let usersDesc = try await values("user+desc", "user")
            #expect(usersDesc == usersDesc.sorted { $0.lowercased() > $1.lowercased() })
            let statuses = try await values("status+asc", "status")
            #expect(statuses == statuses.sorted())
            // Unknown sort attributes are ignored: default order.
            let unknown = try await values("password+desc", "starts_at").compactMap { APIDate.parse($0)?.date }
            #expect(unknown == unknown.sorted())
        }
    }

    @Test func parsesUnencodedBracketsAndRepeatedKeys() throws {
        let q = try ListQuery(query: "q[status_in][]=closed&q[status_in][]=in_progress&q[user_email_cont]=a+b%2Bc&q[s]=user+desc",
                              page: "2", per: "7")
        #expect(q.statuses == ["closed", "in_progress"])
        #expect(q.userEmailContains == "a b+c")
        #expect(q.sort == MeetingSort(.user, ascending: false))
        #expect(q.page == 2 && q.per == 7)
    }
}
