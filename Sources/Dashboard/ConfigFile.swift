import Foundation
import TerminalText
import TOMLKit

/// The config file's keys (all optional), read from its text. Reading the
/// file and checking its permissions is the command line's job; this is the
/// parser alone, so it can be tested (and fuzzed) without a file.
public struct ConfigFile: Sendable, Hashable {
    public var apiURL: String?
    public var secretID: String?
    public var secretKey: String?
    public var theme: String?
    public var refreshInterval: Int?
    public var pageSize: Int?
    public var clipboard: String?
    public var remindBeforeMinutes: Int?
    public var notify: String?
    /// Keys the file has that coclick does not know (escaped), to warn about.
    public var unknownKeys: [String] = []

    public init() {}

    public static let knownKeys: Set<String> = [
        "api_url", "secret_id", "secret_key", "theme", "refresh_interval", "page_size", "clipboard", "remind_before_minutes", "notify",
    ]

    /// Why a config file's text was refused: a sentence safe to print (no
    /// quoted file text, which may be the secret key; no control characters).
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Parses the text of a config file; the value, or a `ParseError`.
    public static func parse(_ text: String) throws(ParseError) -> ConfigFile {
        let table: TOMLTable
        do {
            table = try TOMLText.table(text)
        } catch let e as TOMLText.Refused {
            throw ParseError(message: "not valid TOML (line \(e.line), column \(e.column)): \(e.message)")
        } catch let e as TOMLParseError {
            throw ParseError(message: "not valid TOML (line \(e.source.begin.line), column \(e.source.begin.column)): \(withoutQuotedText(e.description))")
        } catch {
            throw ParseError(message: "not valid TOML")
        }
        var c = ConfigFile()
        func string(_ key: String) throws(ParseError) -> String? {
            guard let v = table[key] else { return nil }
            guard let s = v.string else { throw ParseError(message: "'\(key)' must be a string") }
            return s
        }
        func int(_ key: String) throws(ParseError) -> Int? {
            guard let v = table[key] else { return nil }
            guard let i = v.int else { throw ParseError(message: "'\(key)' must be an integer") }
            return i
        }
        c.apiURL = try string("api_url")
        c.secretID = try string("secret_id")
        c.secretKey = try string("secret_key")
        c.theme = try string("theme")
        c.refreshInterval = try int("refresh_interval")
        c.pageSize = try int("page_size")
        c.clipboard = try string("clipboard")
        c.remindBeforeMinutes = try int("remind_before_minutes")
        c.notify = try string("notify")
        c.unknownKeys = table.keys.filter { !knownKeys.contains($0) }.sorted().map(SafeText.escape)
        return c
    }

    /// A parser message may quote the offending text, and that text may be the
    /// secret key: drop anything quoted, and escape the rest for the terminal.
    public static func withoutQuotedText(_ message: String) -> String {
        var out = ""
        var quote: Character?
        for ch in message {
            if let q = quote {
                if ch == q { quote = nil; out += "…\(ch)" }
            } else if ch == "'" || ch == "\"" || ch == "`" {
                quote = ch
                out.append(ch)
            } else {
                out.append(ch)
            }
        }
        return SafeText.escape(out)
    }
}
