import CoClickAPI
import Foundation
import Testing

@Suite struct RawJSONTests {
    @Test func keepsKeyOrderNumbersAndUnknownFields() throws {
        let text = #"{"zeta":1,"alpha":{"b":2,"a":[1.0,0.1000,1E+2,-0,12345678901234567890]},"s":"\u00e9\ud83d\ude00/","n":null,"t":true}"#
        let v = try RawJSON.parse(text)
        #expect(v.members?.map(\.key) == ["zeta", "alpha", "s", "n", "t"])
        #expect(v["alpha"]?["a"]?.items == [.number("1.0"), .number("0.1000"), .number("1E+2"), .number("-0"), .number("12345678901234567890")])
        #expect(v["s"] == .string("é😀/"))
        // Written back: the same keys, order and literals.
        #expect(v.text(indent: 0) == #"{"zeta":1,"alpha":{"b":2,"a":[1.0,0.1000,1E+2,-0,12345678901234567890]},"s":"é😀/","n":null,"t":true}"#)
        #expect(try RawJSON.parse(v.text(indent: 2)) == v)
        // ASCII only: the same values with \u escapes (a surrogate pair for astral characters).
        let ascii = v.text(indent: 0, asciiOnly: true)
        #expect(ascii.utf8.allSatisfy { $0 < 0x80 })
        #expect(ascii.contains(#""\u00e9\ud83d\ude00/""#))
        #expect(try RawJSON.parse(ascii) == v)
    }

    /// By default DEL, C1 and bidi controls are escaped (for a terminal);
    /// `.jsonOnly` escapes only what JSON requires, as a server may send them.
    @Test func escapingTerminalSafeOrJSONOnly() throws {
        let v = RawJSON.object([.init(MeetingKey.user, .string("a\u{1b}b\u{7f}c\u{9b}d\u{202e}e\n\"\\"))])
        #expect(v.text(indent: 0) == #"{"user":"a\u001bb\u007fc\u009bd\u202ee\n\"\\"}"#)
        #expect(v.text(indent: 0, escaping: .jsonOnly) == "{\"user\":\"a\\u001bb\u{7f}c\u{9b}d\u{202e}e\\n\\\"\\\\\"}")
        #expect(try RawJSON.parse(v.text(indent: 0, escaping: .jsonOnly)) == v)
        #expect(RawJSON(Cookie(domain: "d", name: "n", value: "v")).text(indent: 0) == #"{"domain":"d","name":"n","value":"v"}"#)
        #expect(v[MeetingKey.user]?.stringValue?.hasPrefix("a") == true)
    }

    /// Sort orders are written and read through `MeetingSort`; an unknown attribute is nil (ransack ignores it).
    @Test func sortOrdersRoundTrip() {
        #expect(MeetingQuery.byStartAscending == "starts_at asc")
        for attribute in MeetingSort.Attribute.allCases {
            for ascending in [true, false] {
                let sort = MeetingSort(attribute, ascending: ascending)
                #expect(MeetingSort(parsing: sort.text) == sort)
            }
        }
        #expect(MeetingSort(parsing: "USER_EMAIL Desc") == MeetingSort(.user, ascending: false))
        #expect(MeetingSort(parsing: "starts_at") == MeetingSort(.startsAt))
        #expect(MeetingSort(parsing: "nope asc") == nil)
        #expect(QueryKey(parameter: "q[status_in]") == .statusIn && QueryKey(parameter: "q[nope]") == nil)
    }

    @Test func refusesWhatIsNotStrictJSON() {
        for bad in [#"{"a":1,}"#, "[1,2,]", "{'a':1}", "// c\n{}", "[01]", "[1.]", "[.5]", "[1e]", "NaN", "[Infinity]",
                    #"{"a" 1}"#, #"{"a":1"#, "[1 2]", "\"tab\there\"", #""\x""#, "{} {}", "", "   ", "[", #"{"a":tru}"#,
                    String(repeating: "[", count: 300) + String(repeating: "]", count: 300)] {
            #expect(throws: RawJSON.Failure.self, "accepted \(bad.prefix(30))") { try RawJSON.parse(bad) }
        }
        do {
            _ = try RawJSON.parse(#"{"a": 1,}"#)
        } catch {
            #expect(error.message.contains("trailing comma"))
        }
    }

    @Test func escapesWhatATerminalMustNotReceive() {
        let v = RawJSON.string("a\u{1b}[31m\u{7f}\u{9b}\u{202e}b\"\\\n")
        let t = v.text()
        #expect(!t.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x7f || $0.value == 0x9b || $0.value == 0x202e })
        #expect(t == #""a\u001b[31m\u007f\u009b\u202eb\"\\\n""#)
    }

    @Test func joinsPages() throws {
        let a = try RawJSON.parse(#"[{"id":"1","x":1}]"#), b = try RawJSON.parse(#"[{"id":"2"},{"id":"3"}]"#)
        #expect(RawJSON.joined([a, b, .array([])]).text(indent: 0) == #"[{"id":"1","x":1},{"id":"2"},{"id":"3"}]"#)
    }

    @Test func createBodyKeepsCustomDataExactly() throws {
        var new = NewMeeting(user: "ada@example.com", startsAt: APIDate.parse("2031-01-02T09:30:00+01:00")!,
                             cobrowsingURL: "https://example.com")
        new.customDataRaw = try RawJSON.parse(#"{"z":12345678901234567890,"a":0.1000}"#)
        let body = String(decoding: new.jsonBody(), as: UTF8.self)
        #expect(body == #"{"user":"ada@example.com","starts_at":"2031-01-02T09:30:00.000+01:00","cobrowsing_url":"https://example.com","cobrowsing_cookies_data":[],"custom_data":{"z":12345678901234567890,"a":0.1000}}"#)
    }

    @Test func jsonValueParseIsStrict() {
        #expect(throws: JSONTextError.self) { try JSONValue.parse(#"{"a":1,}"#) }
        #expect((try? JSONValue.parse(#"{"a":[1,2.5,"x"]}"#)) == .object(["a": .array([.int(1), .double(2.5), .string("x")])]))
    }
}
