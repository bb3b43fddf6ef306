@testable import Dashboard
import FuzzSupport
import Foundation
import PropertyBased
import Testing
import TerminalText

/// The config file and theme files are TOML from the user's disk: any text
/// yields a value or a typed error whose message is safe to print (no
/// control characters, and never the secret key).
@Suite struct ConfigAndThemePropertyTests {
    static func rawControls(_ s: String) -> [Unicode.Scalar] { s.unicodeScalars.filter(SafeText.needsEscape) }

    static let secret = "s3cr3t-KEY-d49f92"

    /// TOML-shaped text: plausible lines (known and unknown keys, every kind
    /// of value, tables, escapes), damaged at random.
    static func tomlText(keys: [String]) -> Generator<String, Shrink.None<String>> {
        Generator { rng in
            let values = ["\"x\"", "\"\\u001b[2J\"", "\"\\u202e\"", "'lit'", "\"\"\"multi\nline\"\"\"", "1", "-1", "0", "3600", "9223372036854775807",
                          "99999999999999999999", "1e308", "nan", "inf", "true", "false", "[]", "[1, \"a\"]", "{ fg = \"red\" }",
                          "{ fg = 300 }", "{ bold = \"yes\" }", "{ \"\\u001b\" = 1 }", "1979-05-27T07:32:00Z", "\"\(secret)\"", "{", "\"unterminated"]
            var lines: [String] = []
            for _ in 0..<Int.random(in: 0...8, using: &rng) {
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: lines.append("[" + (["roles", "keys", "a.b", "\"\\u001b\"", "roles.header", ""].randomElement(using: &rng) ?? "") + "]")
                case 1: lines.append(Fuzz.fragments.randomElement(using: &rng) ?? "")
                default:
                    let key = keys.randomElement(using: &rng) ?? "k"
                    lines.append("\(key) = \(values.randomElement(using: &rng) ?? "1")")
                }
            }
            var text = lines.joined(separator: "\n")
            if Int.random(in: 0..<3, using: &rng) == 0 {
                text = String(decoding: Fuzz.mutate(text, using: &rng, edits: 1...3), as: UTF8.self)
            }
            return text
        }
    }

    @Test func configTextYieldsSettingsOrAPrintableError() {
        let keys = ConfigFile.knownKeys.sorted() + ["\"\\u001b]0;x\\u0007\"", "unknown_key", "\"\\u202e\"", "secret_key", "theme.x", "'quoted'"]
        forAll(5000, seed: 21, Self.tomlText(keys: keys)) { text in
            do throws(ConfigFile.ParseError) {
                let c = try ConfigFile.parse(text)
                let bad = c.unknownKeys.flatMap(Self.rawControls)
                return bad.isEmpty ? nil : "unknown keys carry raw \(bad)"
            } catch {
                if error.message.contains(Self.secret) { return "the secret key is quoted in \(error.message.debugDescription)" }
                let bad = Self.rawControls(error.message)
                return bad.isEmpty ? nil : "raw \(bad) in \(error.message.debugDescription)"
            }
        }
    }

    @Test func themeTextYieldsAThemeOrAPrintableError() {
        let keys = StyleRole.allCases.map(\.rawValue) + ["\"\\u001b[31m\"", "nope", "\"\\u009b\"", "fg", "bold", "header.fg", "\"\\u202e\""]
        forAll(5000, seed: 22, Self.tomlText(keys: keys)) { text in
            do {
                let theme = try Theme.parse(text, name: "fuzz")
                // Every colour it keeps is one a terminal has.
                for style in theme.roles.values {
                    for c in [style.fg, style.bg, style.fg8, style.bg8].compactMap({ $0 }) where !(0...255).contains(c) {
                        return "colour \(c) kept"
                    }
                }
                return nil
            } catch let e as ThemeError {
                let bad = Self.rawControls(e.description)
                return bad.isEmpty ? nil : "raw \(bad) in \(e.description.debugDescription)"
            } catch {
                return "untyped error \(error)"
            }
        }
    }

    /// Found by the properties above: each of these ended the process with
    /// an assertion in toml++ ("[\nx = 1" as a config file killed coclick).
    @Test func textsThatTrippedTheTOMLParserAreRefusedInWords() {
        let texts = ["secret_key = { \"\\u001b\" =9999-12-31 1 }", "x = 2026-01-02 3", "[\nx = 1", "[[\n", "[ # c", "[\r\n", "[=", "[.", "[,", "[ \\u", "[\u{1}", "[é", "x = 1\n  [\n",
                     "x = 1979-05-27Té7:32:00Z", "clipboard = 1979-05-27Tw7:32:00Z", "x = [1979-05-27t:7:32]", "x = 1979-05-27T", "x = [1,}", "x = [}", "x = [1, # c\n }", "[roles]\nlabel = 1979-05-27T\u{FFFD}7:32:00Z"]
        for text in texts {
            #expect(throws: ConfigFile.ParseError.self, "\(text.debugDescription)") { try ConfigFile.parse(text) }
            #expect(throws: ThemeError.self, "\(text.debugDescription)") { try Theme.parse(text, name: "t") }
        }
        // What TOML allows is still read: non-ASCII in strings and comments, headers, multi-line strings.
        let fine = "# café ☕\ntheme = \"thé\" # ok\napi_url = \"\"\"\n[\n\"\"\"\n[keys]\nx = '[é'\n"
        #expect((try? ConfigFile.parse(fine))?.theme == "thé")
        #expect((try? ConfigFile.parse("theme = \"x\"\nwhen = 1979-05-27 07:32:00Z\n"))?.theme == "x")
    }

    /// Found by the theme property: a quoted key with an ESC reached the
    /// warning line raw.
    @Test func themeErrorsShowControlCharactersEscaped() {
        do {
            _ = try Theme.parse("[roles]\n\"\\u001b[2J\" = { fg = 1 }", name: "x\u{1B}")
            Issue.record("an unknown role was accepted")
        } catch let e as ThemeError {
            #expect(Self.rawControls(e.description).isEmpty, "\(e.description.debugDescription)")
            #expect(e.description.contains("\\x1b[2J"))
        } catch {
            Issue.record("untyped \(error)")
        }
    }
}
