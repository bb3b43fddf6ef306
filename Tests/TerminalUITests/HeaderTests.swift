import CoClickAPI
import Dashboard
import Foundation
import TerminalText
import Testing
@testable import TerminalUI

/// The list's header: the server's host and port, the zone as `TZ` says, and
/// what gives way first when the terminal is narrow.
@Suite("List header")
struct HeaderTests {
    func header(width: Int, profile: String? = "staging", api: String = "127.0.0.1:8080", zone: LocalZone? = nil) -> String {
        var s = AppState(settings: DashboardSettings(apiDescription: api, keymap: .standard, profileName: profile), themeNames: ["default"],
                         now: now, timeZone: utc, width: width, height: 24)
        if let zone { s.zone = zone }
        s.inFlight.insert(s.query)
        _ = reduce(&s, .listLoaded(query: s.query, page: MeetingPage(meetings: sampleMeetings, page: 1, per: 20), company: "Acme 株式会社", at: now))
        return String(Screens.render(s).text.split(separator: "\n", omittingEmptySubsequences: false)[0])
    }

    @Test func wideShowsEverythingNarrowKeepsTheCompanyAndTheServer() {
        #expect(header(width: 120).hasPrefix(" CoClick · Acme 株式会社 · profile staging · 127.0.0.1:8080 "))
        #expect(header(width: 120).hasSuffix(" UTC"))
        // The product name goes first, then the profile; the server stays whole.
        #expect(header(width: 58).hasPrefix(" Acme 株式会社 · profile staging · 127.0.0.1:8080 "), "\(header(width: 58))")
        #expect(header(width: 50).hasPrefix(" Acme 株式会社 · 127.0.0.1:8080 "), "\(header(width: 50))")
        #expect(header(width: 50).hasSuffix(" UTC"))
        #expect(header(width: 40).contains("Acme 株式会社 · 127.0."), "\(header(width: 40))")
        // Escaped, like every string that is not ours.
        #expect(header(width: 120, api: "evil\u{1B}[2J:1").contains("evil\\x1b[2J:1"))
    }

    @Test func theZoneIsTheOneTZSaysOrNamedAsUnknown() {
        #expect(header(width: 100, zone: LocalZone.resolve(tz: "JST-9")).hasSuffix(" JST (UTC+09:00)"))
        #expect(header(width: 70, zone: LocalZone.resolve(tz: "JST-9")).hasSuffix(" JST"))
        #expect(header(width: 100, zone: LocalZone.resolve(tz: "Foo/Bar")).hasSuffix(" TZ 'Foo/Bar' unknown · UTC"))
        // Narrow, an unknown TZ is still said.
        #expect(header(width: 40, zone: LocalZone.resolve(tz: "Foo/Bar")).hasSuffix(" TZ 'Foo/Bar' unknown · UTC"), "\(header(width: 40, zone: LocalZone.resolve(tz: "Foo/Bar")))")
    }
}
