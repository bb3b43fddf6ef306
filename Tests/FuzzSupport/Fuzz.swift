import Foundation
@_exported import PropertyBased
import Testing

// Shared by the test targets that fuzz (a test target cannot use another's sources).

/// Property checks with a fixed seed: every run tries the same cases, so a
/// failure reproduces, and the count is ours (thousands), not the library's
/// default. The generators are PropertyBased's; the loop is here because its
/// `.fixedSeed` trait runs a single case and always reports an issue.
///
/// `body` returns nil when the property holds, else what went wrong; the
/// first failure is recorded with its case number and input, and the loop stops.
public func forAll<T, S>(
    _ count: Int, seed: UInt64, _ generator: Generator<T, S>,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (T) throws -> String?
) rethrows {
    var rng = Xoshiro(seed: (seed, 0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9, seed ^ 0x94D0_49BB_1331_11EB))
    for i in 0..<count {
        let value = generator.run(using: &rng)
        if let problem = try body(value) {
            Issue.record("case \(i) of \(count) (seed \(seed)): \(problem)\ninput: \(String(reflecting: value))", sourceLocation: sourceLocation)
            return
        }
    }
}

public enum Fuzz {
    /// Pieces hostile text is made of: numbers at and past every limit, signs,
    /// separators, whitespace, C0/C1 controls, escapes, bidi overrides, wide
    /// and combining characters, lone halves of UTF-8 sequences (as U+FFFD).
    public static let fragments: [String] = [
        "", "0", "1", "-1", "+", "-", "9", "42", "007", "2147483648", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "99999999999999999999", "443901198938120576", "1e308", "1e-308", "NaN", "inf", "0x1F",
        ".", ",", ":", ";", "=", "&", "?", "#", "/", "\\", "\"", "'", "`", "[", "]", "{", "}", "%", "%00", "%ZZ", "+",
        " ", "  ", "\t", "\n", "\r\n", "\u{0}", "\u{7}", "\u{8}", "\u{1B}", "\u{1B}[2J", "\u{1B}]52;c;aGk=\u{7}", "\u{7F}",
        "\u{85}", "\u{9B}31m", "\u{202E}", "\u{200D}", "\u{FEFF}", "\u{FFFD}", "é", "e\u{301}", "日本", "👩‍👩‍👧", "🇫🇷",
        "a", "Z", "T", "Z", "t", "am", "pm", "h", "m", "d", "in ", "now", "today", "tomorrow", "2026-12-01", "14:30",
        "2026-12-01T14:30:00+01:00", "2021-10-30T14:29:33.000+02:00", "0000-00-00", "9999-12-31", "24:00", "23:59:60",
        "null", "true", "false", "[]", "{}", "[[[[", "]]]]", "{\"a\":", "\"\\u0000\"", "\"\\ud800\"", "1.5", "-0",
        "[keys]", "[[x]]", "= \"", "\"\"\"", "'''", "#comment", "0o777", "1979-05-27T07:32:00Z", "inf", "+nan",
    ]

    /// Text made of 0 to `pieces` fragments.
    public static func text(pieces: ClosedRange<Int> = 0...8) -> Generator<String, Shrink.None<String>> {
        Generator { rng in
            let n = Int.random(in: pieces, using: &rng)
            var s = ""
            for _ in 0..<n { s += fragments.randomElement(using: &rng) ?? "" }
            return s
        }
    }

    /// Arbitrary bytes (often not UTF-8).
    public static func bytes(count: ClosedRange<Int> = 0...64) -> Generator<[UInt8], Shrink.None<[UInt8]>> {
        Generator { rng in
            let n = Int.random(in: count, using: &rng)
            return (0..<n).map { _ in
                // Bias towards ESC, controls and UTF-8 lead bytes, where decoders break.
                switch Int.random(in: 0..<8, using: &rng) {
                case 0: return 0x1B
                case 1: return UInt8.random(in: 0...0x1F, using: &rng)
                case 2: return UInt8.random(in: 0x80...0xFF, using: &rng)
                default: return UInt8.random(in: 0x20...0x7E, using: &rng)
                }
            }
        }
    }

    /// `text` with random byte-level damage: bytes flipped, cut, repeated or inserted.
    public static func mutate(_ text: String, using rng: inout any SeededRandomNumberGenerator, edits: ClosedRange<Int> = 1...4) -> [UInt8] {
        var b = Array(text.utf8)
        for _ in 0..<Int.random(in: edits, using: &rng) {
            let at = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !b.isEmpty: b[at] = UInt8.random(in: 0...255, using: &rng)
            case 1 where !b.isEmpty: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...8, using: &rng)))
            case 2: b.insert(contentsOf: Array((fragments.randomElement(using: &rng) ?? "").utf8), at: at)
            case 3 where !b.isEmpty: b = Array(b[..<at])
            case 4 where !b.isEmpty: b.insert(contentsOf: b[at..<min(b.count, at + 16)], at: at)
            default: b.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            }
        }
        return b
    }

    /// Scalars a terminal would act on: C0 (but for tab and newline, which
    /// callers check themselves), DEL and C1.
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value)
    }
}

extension Fuzz {
    /// The first `count` values of `generator` from a fixed seed, for checks
    /// that must await (the loop in `forAll` cannot).
    public static func cases<T, S>(_ count: Int, seed: UInt64, _ generator: Generator<T, S>) -> [T] {
        var rng = Xoshiro(seed: (seed, 0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9, seed ^ 0x94D0_49BB_1331_11EB))
        return (0..<count).map { _ in generator.run(using: &rng) }
    }
}
