#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
    public var mouse: Bool?
    /// The presenter's own owner email.
    public var me: String?
    /// Whose reminders ring: `me` or `all`.
    public var remind: String?
    /// The invitation template (`i`, `meetings show --invitation`), checked for unknown placeholders.
    public var invitation: String?
    /// Minutes an exported meeting lasts when the server gives no `duration` (`meetings list --ics`).
    public var icsDefaultMinutes: Int?
    /// The `[keys]` table: action -> keys as written (the dashboard applies it, see `KeyRemap`).
    public var keys = KeyRemap([])
    /// `[profiles.NAME]` tables (only at the top level), each any of these settings.
    public var profiles: [String: ConfigFile] = [:]
    /// Entries that were read but cannot be used (a `[keys]` value that is no key); said at start.
    public var problems: [String] = []
    /// Keys the file has that coclick does not know (escaped), to warn about.
    public var unknownKeys: [String] = []

    public init() {}

    public static let knownKeys: Set<String> = [
        "api_url", "secret_id", "secret_key", "theme", "refresh_interval", "page_size", "clipboard", "remind_before_minutes", "notify",
        "mouse", "keys", "me", "remind",
        "mouse", "keys", "invitation", "ics_default_minutes",
    ]

    /// This file's settings with `profile`'s on top.
    public func applying(_ profile: ConfigFile) -> ConfigFile {
        var c = self
        c.apiURL = profile.apiURL ?? apiURL
        c.secretID = profile.secretID ?? secretID
        c.secretKey = profile.secretKey ?? secretKey
        c.theme = profile.theme ?? theme
        c.refreshInterval = profile.refreshInterval ?? refreshInterval
        c.pageSize = profile.pageSize ?? pageSize
        c.clipboard = profile.clipboard ?? clipboard
        c.remindBeforeMinutes = profile.remindBeforeMinutes ?? remindBeforeMinutes
        c.notify = profile.notify ?? notify
        c.mouse = profile.mouse ?? mouse
        c.me = profile.me ?? me
        c.remind = profile.remind ?? remind
        c.invitation = profile.invitation ?? invitation
        c.icsDefaultMinutes = profile.icsDefaultMinutes ?? icsDefaultMinutes
        // A profile's keys change those actions; the others keep the top level's.
        c.keys = KeyRemap(keys.entries.filter { k in !profile.keys.entries.contains { $0.action == k.action } } + profile.keys.entries)
        c.problems = problems + profile.problems
        c.profiles = [:]
        return c
    }

    /// Some table of the file holds `secret_key`: the whole file must be private.
    public var holdsSecretKey: Bool { secretKey != nil || profiles.values.contains { $0.holdsSecretKey } }

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
        var c = try settings(in: table, place: "")
        if let v = table["profiles"] {
            guard let profiles = v.table else { throw ParseError(message: "'profiles' must be a table of [profiles.NAME] tables") }
            for name in profiles.keys {
                let shown = SafeText.escape(name)
                guard let t = profiles[name]?.table else {
                    throw ParseError(message: "profiles.\(shown) must be a table ([profiles.\(shown)])")
                }
                let p = try settings(in: t, place: "[profiles.\(shown)] ")
                c.unknownKeys += p.unknownKeys
                c.profiles[name] = p
            }
        }
        return c
    }

    /// The settings of one table: the top level, or a profile (`place` says which, for messages).
    static func settings(in table: TOMLTable, place: String) throws(ParseError) -> ConfigFile {
        var c = ConfigFile()
        func string(_ key: String) throws(ParseError) -> String? {
            guard let v = table[key] else { return nil }
            guard let s = v.string else { throw ParseError(message: "\(place)'\(key)' must be a string") }
            return s
        }
        func int(_ key: String) throws(ParseError) -> Int? {
            guard let v = table[key] else { return nil }
            guard let i = v.int else { throw ParseError(message: "\(place)'\(key)' must be an integer") }
            return i
        }
        func bool(_ key: String) throws(ParseError) -> Bool? {
            guard let v = table[key] else { return nil }
            guard let b = v.bool else { throw ParseError(message: "\(place)'\(key)' must be true or false") }
            return b
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
        c.mouse = try bool("mouse")
        c.me = try string("me")
        c.remind = try string("remind")
        c.invitation = try string("invitation")
        c.icsDefaultMinutes = try int("ics_default_minutes")
        if let text = c.invitation, let problem = Invitation.problem(in: text) {
            throw ParseError(message: "\(place)'invitation': \(problem)")
        }
        if let v = table["keys"] {
            if let keys = v.table {
                var entries: [(action: String, keys: [String])] = []
                for action in keys.keys {
                    let value = keys[action]
                    if let s = value?.string {
                        entries.append((action, [s]))
                    } else if let a = value?.array, !a.isEmpty, a.allSatisfy({ $0.string != nil }) {
                        entries.append((action, a.compactMap { $0.string }))
                    } else {
                        c.problems.append("\(place)[keys] \(SafeText.escape(action)): write a key as a string (\"x\", \"Ctrl-R\") or a list of them; the default stays")
                    }
                }
                c.keys = KeyRemap(entries)
            } else {
                c.problems.append("\(place)'keys' must be a [keys] table (action = \"key\"); the default keys stay")
            }
        }
        c.unknownKeys = table.keys.filter { !knownKeys.contains($0) && !(place.isEmpty && $0 == "profiles") }.sorted().map { place + SafeText.escape($0) }
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
