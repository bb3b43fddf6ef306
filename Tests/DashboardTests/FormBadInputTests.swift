import CoClickAPI
@testable import Dashboard
import Foundation
import Testing

/// Every create-form field given bad input, typed key by key through the
/// reducer: submit sends nothing, the field gets a message, the text stays.
@Suite("Create form: bad input")
struct FormBadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var field: FormField
        var input: String
        /// Where the message is filed (the API field name).
        var api: String
        /// A word the message must contain.
        var says: String
        var testDescription: String { name }
    }

    static let tenKB = String(repeating: "x", count: 10 * 1024)

    static let cases: [Case] = [
        Case(name: "user empty", field: .user, input: "", api: "user", says: "required"),
        Case(name: "user not an email", field: .user, input: "12345", api: "user", says: "email"),
        Case(name: "user with a space", field: .user, input: "ada @example.com", api: "user", says: "email"),
        Case(name: "user 10 KB", field: .user, input: tenKB + "@example.com", api: "user", says: "too long"),
        Case(name: "starts_at empty", field: .startsAt, input: "", api: "starts_at", says: ""),
        Case(name: "starts_at unparseable", field: .startsAt, input: "next blursday", api: "starts_at", says: ""),
        Case(name: "starts_at impossible date", field: .startsAt, input: "2027-02-30 10:00", api: "starts_at", says: ""),
        Case(name: "starts_at wrong type", field: .startsAt, input: "{\"at\": 1}", api: "starts_at", says: ""),
        Case(name: "starts_at in the past", field: .startsAt, input: "2020-01-01 10:00", api: "starts_at", says: "past"),
        Case(name: "starts_at ISO in the past", field: .startsAt, input: "2027-01-15T07:00:00Z", api: "starts_at", says: "past"),
        Case(name: "starts_at 10 KB", field: .startsAt, input: tenKB, api: "starts_at", says: ""),
        Case(name: "cobrowsing_url empty", field: .cobrowsingURL, input: "", api: "cobrowsing_url", says: "required"),
        Case(name: "cobrowsing_url no scheme", field: .cobrowsingURL, input: "example.com/page", api: "cobrowsing_url", says: "http"),
        Case(name: "cobrowsing_url ftp", field: .cobrowsingURL, input: "ftp://example.com", api: "cobrowsing_url", says: "http"),
        Case(name: "cobrowsing_url javascript", field: .cobrowsingURL, input: "javascript:alert(1)", api: "cobrowsing_url", says: "http"),
        Case(name: "cobrowsing_url 10 KB", field: .cobrowsingURL, input: "https://example.com/" + tenKB, api: "cobrowsing_url", says: "too long"),
        Case(name: "custom data array", field: .customData, input: "[1,2]", api: "custom_data", says: "object"),
        Case(name: "custom data string", field: .customData, input: "\"text\"", api: "custom_data", says: "object"),
        Case(name: "custom data number", field: .customData, input: "42", api: "custom_data", says: "object"),
        Case(name: "custom data null", field: .customData, input: "null", api: "custom_data", says: "object"),
        Case(name: "custom data unclosed", field: .customData, input: "{\"a\": 1", api: "custom_data", says: "JSON"),
        Case(name: "custom data single quotes", field: .customData, input: "{'a': 1}", api: "custom_data", says: "JSON"),
        Case(name: "custom data 10 KB garbage", field: .customData, input: "{" + tenKB, api: "custom_data", says: "JSON"),
        Case(name: "custom data 10 KB nesting", field: .customData, input: String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000),
             api: "custom_data", says: ""),
        Case(name: "presenter iframe not a URL", field: .presenterIframe, input: "not a url", api: "presenter_waiting_room_iframe_url", says: "http"),
        Case(name: "presenter iframe 10 KB", field: .presenterIframe, input: "https://example.com/" + tenKB,
             api: "presenter_waiting_room_iframe_url", says: "too long"),
        Case(name: "prospect iframe wrong scheme", field: .prospectIframe, input: "file:///etc/passwd", api: "prospect_waiting_room_iframe_url", says: "http"),
        Case(name: "prospect iframe 10 KB", field: .prospectIframe, input: tenKB, api: "prospect_waiting_room_iframe_url", says: ""),
    ]

    func valid() -> AppState {
        var s = makeState(meetings: 2)
        press(&s, .char("n"))
        type(&s, "ada@example.com")
        press(&s, .tab)
        type(&s, "in 2h")
        press(&s, .tab)
        type(&s, "https://shop.example.com/")
        return s
    }

    @Test(arguments: cases)
    func badInputIsRefusedNextToItsFieldAndKept(_ c: Case) throws {
        var s = valid()
        s.form?.focus = c.field
        press(&s, .ctrl("u"))
        // The text arrives as keys, as a paste would.
        type(&s, c.input)
        let effects = press(&s, .ctrl("s"))
        #expect(!effects.contains { if case .create = $0 { return true } else { return false } }, "sent")
        let form = try #require(s.form)
        #expect(s.screen == .form)
        #expect(form.failure != nil)
        guard case .failure(let p) = form.build(now: fixedNow, zone: utc) else {
            Issue.record("accepted")
            return
        }
        let messages = try #require(p.fields[c.api], "no message for \(c.api): \(p.fields)")
        #expect(messages.contains { c.says.isEmpty || $0.localizedCaseInsensitiveContains(c.says) }, "\(messages)")
        // Short enough to read next to the field, even for 10 KB of input.
        #expect(messages.allSatisfy { $0.count < 200 }, "\(messages.map { $0.prefix(300) })")
        // Nothing lost: the text is exactly what was typed, the other fields too.
        #expect(form[c.field]?.text == c.input)
        if c.field != .user { #expect(form.user.text == "ada@example.com") }
        if c.field != .cobrowsingURL { #expect(form.cobrowsingURL.text == "https://shop.example.com/") }
        // Only this field is complained about.
        #expect(Set(p.fields.keys) == [c.api], "\(p.fields)")
    }

    /// The documented schema: every row needs domain, name and value; the
    /// form has no other keys, so an extra key cannot be typed at all.
    @Test(arguments: [CookieColumn.domain, .name, .value])
    func cookieRowMissingAKey(_ missing: CookieColumn) throws {
        var s = valid()
        press(&s, .function(2))
        for col in CookieColumn.allCases {
            if col != missing { type(&s, "v-\(col.label)") }
            press(&s, .tab)
        }
        let effects = press(&s, .ctrl("s"))
        #expect(effects.isEmpty)
        let form = try #require(s.form)
        guard case .failure(let p) = form.build(now: fixedNow, zone: utc) else { Issue.record("accepted"); return }
        #expect(p.fields["cobrowsing_cookies_data"] == ["row 1: \(missing.label) required"])
        for col in CookieColumn.allCases where col != missing {
            #expect(form.cookies[0][col].text == "v-\(col.label)")
        }
        // Filling it in sends the row, nothing else.
        s.form?.focus = .cookie(row: 0, column: missing)
        type(&s, "filled")
        guard case .create(let m)? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        #expect(m.cookies.count == 1)
    }

    @Test func aServerRefusalKeepsEveryField() {
        var s = valid()
        press(&s, .function(2))
        type(&s, "example.com")
        press(&s, .tab)
        type(&s, "sid")
        press(&s, .tab)
        type(&s, "v")
        press(&s, .tab)
        type(&s, "{\"k\": [1, {\"x\": null}]}")
        let before = s.form
        guard case .create? = press(&s, .ctrl("s")).first else { Issue.record("not sent"); return }
        _ = reduce(&s, .createFailed(.validation(ValidationErrors(["user": ["User must exist"]]))))
        #expect(s.form?.user == before?.user)
        #expect(s.form?.cookies == before?.cookies)
        #expect(s.form?.customData == before?.customData)
        #expect(s.form?.serverErrors["user"] == ["User must exist"])
        _ = reduce(&s, .createFailed(.offline("connection refused")))
        #expect(s.form?.customData == before?.customData)
    }

    /// A 10 KB paste arrives as 10 KB of keys in one batch, in every field.
    @Test
    func tenKilobytePasteInEveryField() throws {
        var s = valid()
        s.form?.addCookieRow()
        let fields = s.form?.focusOrder.filter { $0 != .submit } ?? []
        for f in fields {
            s.form?.focus = f
            press(&s, .ctrl("u"))
            type(&s, Self.tenKB)
            #expect(s.form?[f]?.text.count == Self.tenKB.count, "\(f)")
        }
    }
}
