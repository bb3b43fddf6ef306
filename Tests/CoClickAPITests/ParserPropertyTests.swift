@testable import CoClickAPI
import FuzzSupport
import Foundation
import PropertyBased
import Testing

/// Every parser of ours on text or bytes from outside (what people type, what
/// servers send) yields a value or a typed error: never a trap, never a hang,
/// never a raw control character in a message. Fixed seeds, thousands of cases.
@Suite struct ParserPropertyTests {
    static let zones = ["UTC", "Asia/Tokyo", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Paris"]
        .compactMap(TimeZone.init(identifier:))

    static func rawControls(_ s: String) -> [Unicode.Scalar] {
        s.unicodeScalars.filter { Fuzz.isControl($0) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
    }

    /// Date-ish text: the fragments, often glued to the words and numbers
    /// dates are made of.
    static let dateText = Generator<String, Shrink.None<String>> { rng in
        let words = ["in ", "now", "today ", "tomorrow ", "2026-12-01", "T", " ", "14:30", ":", "9", "am", "pm", "h", "m",
                     "d", "w", "s", "+01:00", "Z", "-", ".", "000", "99999999999999999999", "1e308", "2 hours", "30m"]
        var s = ""
        for _ in 0..<Int.random(in: 0...7, using: &rng) {
            s += Bool.random(using: &rng) ? (words.randomElement(using: &rng) ?? "") : (Fuzz.fragments.randomElement(using: &rng) ?? "")
        }
        return s
    }

    // MARK: Date input

    /// Invariants only (the accepted forms grow): a date that parses can be
    /// written in the API's format and read back to the same instant; a
    /// refusal is a sentence without control characters.
    @Test func dateInputYieldsAWritableDateOrAPlainRefusal() {
        let cases = zip(Self.dateText, Gen.int(in: 0..<Self.zones.count), Gen.int(in: -2_000_000_000...4_000_000_000))
        forAll(6000, seed: 8, cases) { text, zone, seconds in
            let now = Date(timeIntervalSince1970: TimeInterval(seconds))
            switch DateInput.parse(text, now: now, zone: Self.zones[zone]) {
            case .success(let d):
                guard d.date.timeIntervalSince1970.isFinite else { return "not a finite date" }
                guard let back = APIDate.parse(d.text) else { return "its own text \(d.text.debugDescription) does not parse" }
                guard abs(back.date.timeIntervalSince(d.date)) < 0.001 else { return "\(d.text) reads back as \(back.date), not \(d.date)" }
                return nil
            case .failure(let f):
                if f.message.isEmpty { return "an empty refusal" }
                let bad = Self.rawControls(f.message)
                return bad.isEmpty ? nil : "raw controls \(bad) in \(f.message.debugDescription)"
            }
        }
    }

    /// Found by the property above: "in 99999999999999999999h" is a date
    /// trillions of years away, past what the API's format can write.
    @Test func relativeDatesFarAwayAreRefused() {
        for text in ["in 99999999999999999999h", "in 1e308s", "in 9999999999999999999w", "in 300000000d"] {
            switch DateInput.parse(text, now: Date(timeIntervalSince1970: 1_800_000_000), zone: TimeZone(identifier: "UTC")!) {
            case .success(let d): #expect(APIDate.parse(d.text) != nil, "\(text) -> \(d.text)")
            case .failure(let f): #expect(!f.message.isEmpty)
            }
        }
        #expect((try? DateInput.parse("in 99999999999999999999h").get()) == nil)
    }

    /// Found by the property above: St John's was -03:30:52 in 1914; the
    /// text said -03:30 with the clock time of -03:30:52, 52 s off.
    @Test func historicalOffsetsWithSecondsStillNameTheInstant() throws {
        let zone = try #require(TimeZone(identifier: "America/St_Johns"))
        let d = try DateInput.parse("1914-10-08 14:30", zone: zone).get()
        let back = try #require(APIDate.parse(d.text))
        #expect(back.date == d.date, "\(d.text)")
    }

    /// Found by the property above: `a.com:\u{301}n=v`, where the combining
    /// accent hid the ':' inside one Character.
    @Test func cookieSeparatorsFollowedByCombiningMarks() throws {
        let c = try Cookie.parse(argument: "a.com:\u{301}n=\u{301}v")
        #expect(c == Cookie(domain: "a.com", name: "\u{301}n", value: "\u{301}v"))
        let d = try Cookie.parse(argument: "a.com:n=\u{301}=x")
        #expect(d.name == "n" && d.value == "\u{301}=x")
    }

    @Test func apiDatesReadBackToTheSameInstant() {
        forAll(6000, seed: 9, Self.dateText) { text in
            guard let d = APIDate.parse(text) else { return nil }
            guard let back = APIDate.parse(d.text) else { return "\(d.text) does not parse" }
            return abs(back.date.timeIntervalSince(d.date)) < 0.001 && back.offsetSeconds == d.offsetSeconds ? nil : "\(d.text) moved"
        }
    }

    // MARK: --custom-data (JSON text)

    @Test func jsonTextYieldsAValueOrAPlainError() {
        let cases = Gen.oneOf(Fuzz.text(pieces: 0...12).eraseToAnySequence(),
                              Fuzz.bytes(count: 0...40).map { String(decoding: $0, as: UTF8.self) }.eraseToAnySequence())
        forAll(6000, seed: 10, cases) { text in
            do {
                let v = try JSONValue.parse(text)
                // Printed back, it reads as the same value.
                let again = try JSONValue.parse(v.prettyText())
                return again == v ? nil : "\(v) printed as \(v.prettyText()) reads back as \(again)"
            } catch let e as JSONTextError {
                let bad = Self.rawControls(e.message)
                return bad.isEmpty ? nil : "raw controls \(bad) in \(e.message.debugDescription)"
            } catch {
                return "untyped error \(error)"
            }
        }
    }

    /// Foundation's parser message may quote the offending character; the
    /// message reaches the terminal (`--custom-data`, the form), so never raw.
    @Test func jsonErrorsShowControlCharactersEscaped() throws {
        for text in ["{\"a\": \u{1B}[2J}", "\u{9B}31m", "[\u{202E}]"] {
            #expect(throws: JSONTextError.self) { try JSONValue.parse(text) }
            do { _ = try JSONValue.parse(text) } catch let e as JSONTextError {
                #expect(Self.rawControls(e.message).isEmpty, "\(e.message.debugDescription)")
            }
        }
    }

    // MARK: --cookie

    @Test func cookieArgumentsParseOrNameTheirFault() {
        forAll(6000, seed: 12, Fuzz.text(pieces: 0...8)) { text in
            do {
                let c = try Cookie.parse(argument: text)
                guard !c.domain.isEmpty, !c.name.isEmpty, !c.domain.contains(":"), !c.name.contains("=") else { return "bad split \(c)" }
                return "\(c.domain):\(c.name)=\(c.value)" == text ? nil : "\(c) does not rebuild the argument"
            } catch {
                return nil // typed: the signature says Cookie.ArgumentError
            }
        }
        let parts = zip(Fuzz.text(pieces: 1...3), Fuzz.text(pieces: 1...3), Fuzz.text(pieces: 0...4))
        forAll(3000, seed: 13, parts) { d, n, v in
            guard !d.isEmpty, !n.isEmpty, !d.contains(":"), !n.contains("=") else { return nil }
            let c = try? Cookie.parse(argument: "\(d):\(n)=\(v)")
            return c == Cookie(domain: d, name: n, value: v) ? nil : "got \(String(describing: c))"
        }
    }

    // MARK: Server JSON

    static let examples = [DocumentedExamples.authenticateResponse, DocumentedExamples.listResponse,
                           DocumentedExamples.detailResponse, DocumentedExamples.createResponse, DocumentedExamples.createError]

    /// Values a server could put anywhere.
    static var hostileValues: [Any] { [
        NSNull(), true, 0, -1, Int.max, Int.min, 1e300, -1e300, 1.5, 9.999999999999999e22, "", "\u{1B}[2J", "2021-10-30T14:29:33.000+02:00",
        "9999-12-31T23:59:59.999-23:59", "0000-01-01T00:00:00Z", "in_progress", "unknown", "12345678901234567890", [], [[]], [NSNull()],
        ["domain": 1], [["domain": "d", "name": "n", "value": "v", "extra": 1]], ["a": ["b": ["c": []]]], "\u{202E}", String(repeating: "x", count: 2_000),
    ] }

    /// One example body with a value replaced (at any depth), a key dropped
    /// or renamed, or an item turned into something else.
    static func structuralMutation(_ value: Any, using rng: inout any SeededRandomNumberGenerator) -> Any {
        if var o = value as? [String: Any], !o.isEmpty {
            let key = o.keys.sorted().randomElement(using: &rng)!
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: o[key] = hostileValues.randomElement(using: &rng)!
            case 1: o[key] = nil
            case 2: o[key.uppercased() + "x"] = o.removeValue(forKey: key)
            default: o[key] = structuralMutation(o[key]!, using: &rng)
            }
            return o
        }
        if var a = value as? [Any], !a.isEmpty {
            let i = Int.random(in: 0..<a.count, using: &rng)
            a[i] = Bool.random(using: &rng) ? hostileValues.randomElement(using: &rng)! : structuralMutation(a[i], using: &rng)
            return a
        }
        return hostileValues.randomElement(using: &rng)!
    }

    static func decodeEverything(_ data: Data) -> String? {
        let d = JSONDecoder()
        struct Errors: Decodable { let errors: ValidationErrors? }
        if let list = try? d.decode([Meeting].self, from: data), list.contains(where: { $0.id.isEmpty }) { return "a meeting without an id" }
        if let m = try? d.decode(Meeting.self, from: data) {
            if m.id.isEmpty { return "a meeting without an id" }
            if let s = m.startsAt, APIDate.parse(s.text) == nil { return "unwritable start \(s.date)" }
        }
        _ = try? d.decode(AuthSession.self, from: data)
        _ = try? d.decode(Errors.self, from: data)
        _ = try? d.decode(JSONValue.self, from: data)
        return nil
    }

    @Test func mutatedDocumentedBodiesDecodeOrFail() {
        let bytes = Generator<Data, Shrink.None<Data>> { rng in
            let example = Self.examples.randomElement(using: &rng)!
            return Data(Fuzz.mutate(example, using: &rng, edits: 1...6))
        }
        forAll(5000, seed: 14, bytes) { Self.decodeEverything($0) }

        let structural = Generator<Data, Shrink.None<Data>> { rng in
            let example = Self.examples.randomElement(using: &rng)!
            var value = try! JSONSerialization.jsonObject(with: Data(example.utf8))
            for _ in 0..<Int.random(in: 1...3, using: &rng) { value = Self.structuralMutation(value, using: &rng) }
            return (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])) ?? Data()
        }
        forAll(5000, seed: 15, structural) { Self.decodeEverything($0) }
    }

    /// Found by the property above: `"duration": 1e300` trapped converting to Int.
    @Test func durationsPastIntAreDroppedNotTrapped() throws {
        for text in ["1e300", "-1e300", "9.3e18", "\"99999999999999999999\"", "1.5", "\"12\"", "12"] {
            let body = DocumentedExamples.detailResponse.replacingOccurrences(of: "\"duration\": null", with: "\"duration\": \(text)")
            let m = try JSONDecoder().decode(Meeting.self, from: Data(body.utf8))
            if ["1.5", "\"12\"", "12"].contains(text) {
                #expect(m.duration != nil, "\(text)")
            } else {
                #expect(m.duration == nil, "\(text)")
            }
        }
    }
}
