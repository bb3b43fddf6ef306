import TOMLKit

/// TOML text from the user's disk (the config file, themes), parsed by
/// TOMLKit, after refusing what trips an assertion in its C++ parser
/// (toml++ 3): a table header whose name does not start on the same line
/// with a key character or a quote (`[` then a newline, `[ # x`, `[=`,
/// `[é`) ends the process with "Assertion … failed" instead of a parse error.
enum TOMLText {
    struct Refused: Error, Sendable {
        var line: Int
        var column: Int
        var message: String
    }

    static func table(_ text: String) throws -> TOMLTable {
        if let refused = headerProblem(text) { throw refused }
        return try TOMLTable(string: text)
    }

    /// The first spot that would trip an assertion, if any: a table header
    /// whose name does not start on its line with a key character or a
    /// quote, or a non-ASCII character outside strings and comments (which
    /// TOML forbids anyway; toml++ miscounts it inside a date, e.g.
    /// `1979-05-27Té7:32:00Z`). Strings and comments are skipped as TOML
    /// reads them. A nested array opening on a line of its own (`[` then a
    /// newline) is refused too, which no config or theme needs. So is a date
    /// followed by `T` or a space and something that is not a time, and a `}`
    /// where an array expects a value.
    static func headerProblem(_ text: String) -> Refused? {
        enum Mode { case normal, basic, literal, multiBasic, multiLiteral, comment }
        let b = Array(text.utf8)
        var mode = Mode.normal
        var line = 1
        var lineStart = 0
        var atLineStart = true
        var i = 0
        /// The last character outside strings and comments that is not white space.
        var lastSignificant: UInt8 = 0
        /// `YYYY-MM-DD` starts at `k`.
        func isDate(at k: Int) -> Bool {
            guard k + 10 <= b.count else { return false }
            return (0..<10).allSatisfy { j in j == 4 || j == 7 ? b[k + j] == UInt8(ascii: "-") : isDigit(b[k + j]) }
        }
        func has(_ s: String, at k: Int) -> Bool {
            let d = Array(s.utf8)
            return k + d.count <= b.count && Array(b[k..<k + d.count]) == d
        }
        while i < b.count {
            let c = b[i]
            if c == 0x0A {
                line += 1
                lineStart = i + 1
                if mode == .comment || mode == .basic || mode == .literal { mode = .normal }
                if mode == .normal { atLineStart = true }
                i += 1
                continue
            }
            switch mode {
            case .comment:
                i += 1
            case .basic:
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if c == UInt8(ascii: "\"") { mode = .normal }
                i += 1
            case .literal:
                if c == UInt8(ascii: "'") { mode = .normal }
                i += 1
            case .multiBasic:
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if has("\"\"\"", at: i) { mode = .normal; i += 3 } else { i += 1 }
            case .multiLiteral:
                if has("'''", at: i) { mode = .normal; i += 3 } else { i += 1 }
            case .normal:
                if c == 0x20 || c == 0x09 || c == 0x0D { i += 1; continue }
                if atLineStart, c == UInt8(ascii: "[") {
                    var k = i + 1
                    if k < b.count, b[k] == UInt8(ascii: "[") { k += 1 }
                    while k < b.count, b[k] == 0x20 || b[k] == 0x09 { k += 1 }
                    if k < b.count, !startsHeaderName(b[k]) {
                        return Refused(line: line, column: k - lineStart + 1, message: "a table header must name its table on the same line, e.g. [roles]")
                    }
                }
                atLineStart = false
                // `}` where an array expects a value (`[1,}`, `[}`): toml++
                // asserts that a value does not start with a terminator.
                if c == UInt8(ascii: "}"), lastSignificant == UInt8(ascii: "[") || lastSignificant == UInt8(ascii: ",") {
                    return Refused(line: line, column: i - lineStart + 1, message: "expected a value before '}'")
                }
                if c != UInt8(ascii: "#") { lastSignificant = c }
                if c >= 0x80 {
                    return Refused(line: line, column: i - lineStart + 1, message: "a non-ASCII character outside quotes")
                }
                // A date and what follows it: after a space and a digit, or after
                // `T`/`t`, toml++ reads a time and asserts when none is there.
                if isDigit(c), isDate(at: i), i + 10 < b.count {
                    let separator = b[i + 10]
                    let digitNext = i + 11 < b.count && isDigit(b[i + 11])
                    // `9999-12-31 1`; a real time (`14:30`) passes.
                    if separator == 0x20, digitNext, i == 0 || !isDigit(b[i - 1]),
                       !(i + 15 < b.count && isDigit(b[i + 12]) && b[i + 13] == UInt8(ascii: ":") && isDigit(b[i + 14]) && isDigit(b[i + 15])) {
                        return Refused(line: line, column: i - lineStart + 12, message: "a date followed by a number that is not a time (write 1979-05-27 07:32:00)")
                    }
                    // `1979-05-27Tw7:32:00Z`: the time must start with a digit.
                    if separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t"), !digitNext {
                        return Refused(line: line, column: i - lineStart + 12, message: "a date and 'T' followed by something that is not a time (write 1979-05-27T07:32:00)")
                    }
                }
                if has("\"\"\"", at: i) { mode = .multiBasic; i += 3; continue }
                if has("'''", at: i) { mode = .multiLiteral; i += 3; continue }
                if c == UInt8(ascii: "\"") { mode = .basic } else if c == UInt8(ascii: "'") { mode = .literal } else if c == UInt8(ascii: "#") { mode = .comment }
                i += 1
            }
        }
        return nil
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func startsHeaderName(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]"):
            return true
        default:
            return false
        }
    }
}
