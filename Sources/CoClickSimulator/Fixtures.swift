import CoClickAPI
import Foundation

/// Which meetings a simulator starts with (and returns to on reset).
public enum SimulatorFixture: Sendable, Hashable {
    /// About 25 meetings relative to now, across every status and several
    /// owners: some minutes away, some hours or days, a few in progress,
    /// closed ones in the past, cancelled ones; durations on most, `null` on a
    /// few; some with cookies, custom data and waiting-room iframes.
    case standard
    /// `.standard` plus meetings whose strings carry terminal escape
    /// sequences (CSI, OSC, an OSC 52 clipboard write), C0/C1 controls, DEL,
    /// bidi overrides, CJK, emoji ZWJ sequences and combining marks, in user
    /// emails, cobrowsing URLs, cookie fields and custom data keys and values.
    case hostile
    /// No meetings at all.
    case empty
    /// One scheduled meeting (hugh@example.com) starting N seconds after the
    /// simulator starts, and one a day later: to watch a meeting enter the
    /// reminder lead and start (`--fixture soon:N`).
    case soon(Int)
    /// Exactly N plain scheduled meetings, one a minute from tomorrow on, for pagination tests.
    case count(Int)
    /// A presenter's busy afternoon: 23 meetings over in the last 23 minutes,
    /// 5 live, then 12 upcoming (the first 4.5 minutes away): with 20 a page,
    /// the first page holds only meetings that are over.
    case busy
}

extension SimulatorFixture {
    /// The meetings of this fixture, relative to `now` (rounded down to the second).
    func meetings(now: Date) -> [StoredMeeting] {
        let t0 = Date(timeIntervalSince1970: floor(now.timeIntervalSince1970))
        var ids = HexIDs(seed: 0xC0C1_1C4)
        switch self {
        case .empty:
            return []
        case .count(let n):
            let users = Simulator.demoUsers
            return (0..<max(0, n)).map { i in
                StoredMeeting(
                    id: ids.next(), user: users[i % users.count],
                    startsAt: APIDate(date: t0.addingTimeInterval(86_400 + Double(i) * 60), offsetSeconds: 7200),
                    duration: 1800, cobrowsingURL: "https://www.example.com/page/\(i + 1)"
                )
            }
        case .soon(let seconds):
            let urls = ["https://www.example.com/soon", "https://www.example.com/later"]
            return [TimeInterval(seconds), TimeInterval(seconds) + 86_400].enumerated().map { i, offset in
                StoredMeeting(
                    id: ids.next(), user: i == 0 ? "hugh@example.com" : "ada@example.com",
                    startsAt: APIDate(date: t0.addingTimeInterval(offset), offsetSeconds: 3600),
                    duration: 30, cobrowsingURL: urls[i]
                )
            }
        case .busy:
            let users = Simulator.demoUsers
            var out: [StoredMeeting] = []
            for i in 0..<23 {
                // One a minute, 20 seconds long: over by now.
                out.append(StoredMeeting(id: ids.next(), user: users[i % users.count],
                                         startsAt: APIDate(date: t0.addingTimeInterval(Double(i - 24) * 60), offsetSeconds: 3600),
                                         duration: 20, cobrowsingURL: "https://www.example.com/past/\(i + 1)"))
            }
            for i in 0..<5 {
                out.append(StoredMeeting(id: ids.next(), user: users[(i + 1) % users.count],
                                         startsAt: APIDate(date: t0.addingTimeInterval(Double(i - 5) * 20), offsetSeconds: 3600),
                                         duration: 3600, cobrowsingURL: "https://www.example.com/live/\(i + 1)"))
            }
            for i in 0..<12 {
                out.append(StoredMeeting(id: ids.next(), user: i == 0 ? "grace@example.com" : users[i % users.count],
                                         startsAt: APIDate(date: t0.addingTimeInterval(270 + Double(i) * 900), offsetSeconds: 3600),
                                         duration: 1800, cobrowsingURL: "https://www.example.com/next/\(i + 1)"))
            }
            return out
        case .standard:
            return Self.standard(t0, &ids)
        case .hostile:
            return Self.standard(t0, &ids) + Self.hostile(t0, &ids)
        }
    }

    private static func standard(_ t0: Date, _ ids: inout HexIDs) -> [StoredMeeting] {
        let minute = 60.0, hour = 3600.0, day = 86_400.0
        let paris = 7200, utc = 0, newYork = -5 * 3600, india = 5 * 3600 + 1800
        let session = [Cookie(domain: ".example.com", name: "session_id", value: "s3ss10n-4b1d")]
        let cart = [
            Cookie(domain: "shop.example.com", name: "cart", value: "sku-1042,sku-2210"),
            Cookie(domain: ".example.com", name: "locale", value: "fr_FR"),
        ]
        let phil: JSONValue = .object(["user_id": .int(17), "username": .string("Phil")])
        let crm: JSONValue = .object([
            "crm_id": .string("0061x00000AbCdE"), "priority": .string("high"),
            "tags": .array([.string("enterprise"), .string("renewal")]), "seats": .int(250),
            "trial": .bool(false), "score": .double(0.87), "notes": .null,
        ])
        let video = "https://www.youtube.com/embed/dQw4w9WgXcQ"

        func m(_ offset: TimeInterval, _ tz: Int, _ user: String, _ minutes: Int?, _ url: String,
               cookies: [Cookie] = [], custom: JSONValue? = nil, iframes: Bool = false, cancelled: Bool = false) -> StoredMeeting {
            StoredMeeting(
                id: ids.next(), user: user, startsAt: APIDate(date: t0.addingTimeInterval(offset), offsetSeconds: tz),
                duration: minutes.map { $0 * 60 }, cobrowsingURL: url, cookies: cookies, customData: custom.map(RawJSON.init),
                presenterWaitingRoomIframeURL: iframes ? video : nil,
                prospectWaitingRoomIframeURL: iframes ? video : nil, cancelled: cancelled
            )
        }
        return [
            // Soon: inside a 5-minute reminder lead, and one that goes live and closes during a demo.
            m(90, paris, "linus@example.com", 2, "https://www.example.com/pricing"),
            m(3 * minute, paris, "hugh@example.com", 30, "https://www.coclick.io", custom: phil),
            m(9 * minute, newYork, "grace@example.com", 15, "https://docs.example.com/getting-started"),
            m(12 * minute, paris, "ada@example.com", 45, "https://shop.example.com/checkout", cookies: cart),
            m(47 * minute, paris, "grace@example.com", 30, "https://www.example.com/demo", cookies: session),
            // Later today and the coming days.
            m(2 * hour, paris, "linus@example.com", 60, "https://app.example.com/onboarding", custom: crm),
            m(3.5 * hour, utc, "hugh+sales@example.com", nil, "https://www.example.com/enterprise"),
            m(5 * hour, paris, "ada@example.com", 30, "https://www.example.com/"),
            m(1 * day, paris, "grace@example.com", 60, "https://support.example.com/tickets/4711"),
            m(1 * day + 2 * hour, paris, "hugh@example.com", 90, "https://shop.example.com/cart", cookies: cart, custom: phil),
            m(25 * hour, india, "hugh@example.com", 30, "https://www.example.com/webinar", iframes: true),
            m(2 * day, paris, "linus@example.com", 30, "https://app.example.com/settings"),
            m(3 * day + 4 * hour, paris, "margaret@example.com", 45, "https://www.example.com/apollo"),
            m(6 * day, newYork, "ada@example.com", nil, "https://www.example.com/analytics"),
            m(13 * day, paris, "hugh@example.com", 60, "https://www.example.com/quarterly-review"),
            // In progress now.
            m(-10 * minute, paris, "grace@example.com", 60, "https://app.example.com/dashboard", cookies: session, custom: crm),
            m(-25 * minute, paris, "hugh@example.com", 30, "https://www.example.com/contract"),
            m(-2 * minute, utc, "linus@example.com", nil, "https://git.example.com/review/42"),
            // Closed.
            m(-2 * hour, paris, "ada@example.com", 30, "https://www.example.com/intro"),
            m(-1 * day, paris, "hugh@example.com", 60, "https://shop.example.com/returns", custom: phil),
            m(-1 * day - 3 * hour, newYork, "grace@example.com", 45, "https://www.example.com/compiler"),
            m(-3 * day, paris, "linus@example.com", nil, "https://www.example.com/kernel"),
            m(-7 * day, paris, "margaret@example.com", 30, "https://www.example.com/guidance", iframes: true),
            // Cancelled, one ahead and one behind.
            m(4 * hour, paris, "ada@example.com", 30, "https://www.example.com/engine", cancelled: true),
            m(-1 * day + 5 * hour, utc, "hugh+sales@example.com", 30, "https://www.example.com/upsell", cancelled: true),
        ]
    }

    private static func hostile(_ t0: Date, _ ids: inout HexIDs) -> [StoredMeeting] {
        let esc = "\u{1b}"
        let osc52 = "\u{1b}]52;c;aGFja2Vk\u{07}"
        func m(_ offset: TimeInterval, _ user: String, _ minutes: Int?, _ url: String,
               cookies: [Cookie] = [], custom: JSONValue? = nil, iframe: String? = nil) -> StoredMeeting {
            StoredMeeting(
                id: ids.next(), user: user, startsAt: APIDate(date: t0.addingTimeInterval(offset), offsetSeconds: 7200),
                duration: minutes.map { $0 * 60 }, cobrowsingURL: url, cookies: cookies, customData: custom.map(RawJSON.init),
                presenterWaitingRoomIframeURL: iframe, prospectWaitingRoomIframeURL: iframe
            )
        }
        return [
            // Screen clear, colours and a window-title OSC in the owner email.
            m(6 * 60, "evil\(esc)[2J\(esc)[H\(esc)[31mred\(esc)[0m\(esc)]0;pwned\u{07}@example.com", 30,
              "https://example.com/\(osc52)clip",
              cookies: [Cookie(domain: ".example.com\(esc)[8m", name: "sess\(osc52)", value: "\(esc)[5mblink\u{00}\u{08}\u{7f}")],
              custom: .object([
                  "\(esc)]0;title\u{07}key": .string("value\(esc)[2K"),
                  "clipboard": .string(osc52),
                  "c1\u{9b}31m": .string("\u{85}\u{9b}1;1H\u{9d}0;x\u{9c}"),
              ])),
            // Bidi overrides and isolates: the text shows reversed unless escaped.
            m(20 * 60, "\u{202e}moc.elpmaxe@olleh", 45, "https://example.com/\u{202e}gpj.exe",
              cookies: [Cookie(domain: "\u{2066}example.com\u{2069}", name: "\u{202e}eikooc", value: "\u{2067}rtl\u{2069}")],
              custom: .object(["\u{202e}key": .string("\u{2066}isolate\u{202c}")]),
              iframe: "https://example.com/\u{202e}frame"),
            // Wide and zero-width text: CJK, emoji ZWJ sequences, variation selectors, combining marks.
            m(2 * 3600, "日本語ユーザー@example.com", 60, "https://例え.example.com/パス",
              cookies: [Cookie(domain: "例え.example.com", name: "👩‍💻", value: "☺️✈︎")],
              custom: .object(["家族": .string("👨‍👩‍👧‍👦"), "flag": .string("🏳️‍🌈"), "zalgo": .string("Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇")])),
            m(-5 * 60, "zalgo\u{301}\u{302}\u{303}\u{304}\u{305}@example.com", nil, "https://example.com/e\u{301}\u{301}\u{301}",
              custom: .object(["tabs\tand\nnewlines": .string("line1\nline2\r\n\tindented")])),
            // Every C0 control, DEL and a run of C1 controls.
            m(26 * 3600, "ctrl\u{01}\u{07}\u{1f}\u{7f}\u{85}\u{9f}@example.com", 30,
              "https://example.com/" + (0..<32).map { String(UnicodeScalar(UInt8($0))) }.joined() + "\u{7f}",
              custom: .object(["c0": .string((0..<32).map { String(UnicodeScalar(UInt8($0))) }.joined()),
                               "c1": .string((0x80..<0xA0).map { String(UnicodeScalar(UInt8($0))) }.joined())])),
            // Very long values, to test truncation.
            m(3 * 86_400, String(repeating: "long", count: 60) + "@example.com", 30,
              "https://example.com/" + String(repeating: "segment/", count: 120),
              custom: .object(["long": .string(String(repeating: "🙂", count: 500))])),
        ]
    }
}
