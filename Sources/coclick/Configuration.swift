import CoClickAPI
import Dashboard // ClipboardMode: the one type for the clipboard setting
import Foundation
import TOMLKit
import TerminalText

/// A problem with how coclick was invoked or configured: exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// The config file's settings (all optional): the top level, or one
/// `[profiles.NAME]` table, which may hold any of them.
struct ConfigFile {
    var apiURL: String?
    var secretID: String?
    var secretKey: String?
    var theme: String?
    var refreshInterval: Int?
    var pageSize: Int?
    var clipboard: String?
    var remindBeforeMinutes: Int?
    var notify: String?
    var mouse: Bool?
    /// The `[keys]` table: action -> keys as written.
    var keys: [(action: String, keys: [String])] = []
    /// `[profiles.NAME]` tables (only at the top level).
    var profiles: [String: ConfigFile] = [:]
    /// Entries that were read but cannot be used; said on the dashboard at start.
    var problems: [String] = []

    static let knownKeys: Set<String> = [
        "api_url", "secret_id", "secret_key", "theme", "refresh_interval", "page_size", "clipboard", "remind_before_minutes",
        "notify", "mouse", "keys",
    ]

    /// This file's settings with `profile`'s on top.
    func applying(_ profile: ConfigFile) -> ConfigFile {
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
        // A profile's keys change those actions; the others keep the top level's.
        c.keys = keys.filter { k in !profile.keys.contains { $0.action == k.action } } + profile.keys
        c.problems = problems + profile.problems
        c.profiles = [:]
        return c
    }

    /// Some table of this file holds `secret_key`.
    var holdsSecretKey: Bool { secretKey != nil || profiles.values.contains { $0.holdsSecretKey } }

    /// A parser message may quote the offending text, and that text may be the
    /// secret key: drop anything quoted, and escape the rest for the terminal.
    static func withoutQuotedText(_ message: String) -> String {
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

    /// Reads and checks a config file. `required` files must exist.
    static func load(path: String, required: Bool, warn: (String) -> Void) throws -> ConfigFile {
        let fm = FileManager.default
        guard fm.fileExists(atPath: path) else {
            if required { throw UsageError("config file \(path) does not exist") }
            return ConfigFile()
        }
        guard let data = fm.contents(atPath: path) else {
            throw UsageError("config file \(path) cannot be read (check its permissions)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw UsageError("config file \(path) is not valid TOML (line \(e.source.begin.line), column \(e.source.begin.column)): \(Self.withoutQuotedText(e.description))")
        } catch {
            throw UsageError("config file \(path) is not valid TOML")
        }
        var c = try settings(in: table, path: path, where: "", warn: warn)
        if let v = table["profiles"] {
            guard let profiles = v.table else { throw UsageError("config file \(path): 'profiles' must be a table of [profiles.NAME] tables") }
            for name in profiles.keys {
                guard let t = profiles[name]?.table else {
                    throw UsageError("config file \(path): profiles.\(SafeText.escape(name)) must be a table ([profiles.\(SafeText.escape(name))])")
                }
                c.profiles[name] = try settings(in: t, path: path, where: "[profiles.\(SafeText.escape(name))] ", warn: warn)
            }
        }
        if c.holdsSecretKey {
            // Like ssh with private keys: a secret others can read is refused.
            let attrs = try? fm.attributesOfItem(atPath: path)
            let mode = (attrs?[.posixPermissions] as? NSNumber)?.intValue ?? 0
            if mode & 0o077 != 0 {
                throw UsageError("config file \(path) holds secret_key but is readable by group or others (mode \(String(mode & 0o777, radix: 8))); fix it with: chmod 600 \(path)")
            }
        }
        return c
    }

    /// The settings of one table (the top level, or a profile: `place` says which).
    static func settings(in table: TOMLTable, path: String, where place: String, warn: (String) -> Void) throws -> ConfigFile {
        func string(_ key: String) throws -> String? {
            guard let v = table[key] else { return nil }
            guard let s = v.string else { throw UsageError("config file \(path): \(place)'\(key)' must be a string") }
            return s
        }
        func int(_ key: String) throws -> Int? {
            guard let v = table[key] else { return nil }
            guard let i = v.int else { throw UsageError("config file \(path): \(place)'\(key)' must be an integer") }
            return i
        }
        func bool(_ key: String) throws -> Bool? {
            guard let v = table[key] else { return nil }
            guard let b = v.bool else { throw UsageError("config file \(path): \(place)'\(key)' must be true or false") }
            return b
        }
        var c = ConfigFile()
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
        if let v = table["keys"] {
            if let keys = v.table {
                for action in keys.keys {
                    let value = keys[action]
                    if let s = value?.string {
                        c.keys.append((action, [s]))
                    } else if let a = value?.array, !a.isEmpty, a.allSatisfy({ $0.string != nil }) {
                        c.keys.append((action, a.compactMap { $0.string }))
                    } else {
                        c.problems.append("\(place)[keys] \(SafeText.escape(action)): write a key as a string (\"x\", \"Ctrl-R\") or a list of them; the default stays")
                    }
                }
            } else {
                c.problems.append("\(place)'keys' must be a [keys] table (action = \"key\"); the default keys stay")
            }
        }
        for key in table.keys where !knownKeys.contains(key) && !(place.isEmpty && key == "profiles") {
            warn("config file \(path): \(place)unknown key '\(SafeText.escape(key))' ignored")
        }
        return c
    }
}

/// Config `notify`: bell, notification and title (`all`), the bell only, or nothing.
enum NotifySetting: String, CaseIterable {
    case all, bell, off
}

/// Every setting, resolved: flag > environment > config file > default.
struct Settings {
    var apiURL: URL
    var credentials: Credentials
    var theme: String
    var refreshInterval: Int
    var pageSize: Int
    var clipboard: ClipboardMode
    var remindBeforeMinutes: Int
    var notify: NotifySetting = .all
    var configPath: String
    /// The `[profiles.NAME]` in use, if any.
    var profile: String?
    var mouse: Bool
    /// The `[keys]` table as written (the dashboard applies it), and entries that could not be read.
    var keys: [(action: String, keys: [String])]
    var problems: [String]

    static let defaultAPIURL = "https://www.coclick.io/api/v1"

    static func defaultConfigPath(env: [String: String]) -> String {
        let base: String
        if let xdg = env["XDG_CONFIG_HOME"], !xdg.isEmpty {
            base = xdg
        } else {
            base = (env["HOME"] ?? NSHomeDirectory()) + "/.config"
        }
        return base + "/coclick/config.toml"
    }

    static func resolve(
        _ g: GlobalOptions, theme: String? = nil, refresh: Int? = nil, per: Int? = nil,
        env: [String: String] = ProcessInfo.processInfo.environment,
        warn: (String) -> Void = { Output.warn($0) }
    ) throws -> Settings {
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        let explicitConfig = nonEmpty(g.config) ?? nonEmpty(env["COCLICK_CONFIG"])
        let path = explicitConfig ?? defaultConfigPath(env: env)
        let whole = try ConfigFile.load(path: path, required: explicitConfig != nil, warn: warn)
        let profileName = nonEmpty(g.profile) ?? nonEmpty(env["COCLICK_PROFILE"])
        var file = whole
        if let profileName {
            guard let profile = whole.profiles[profileName] else {
                let have = whole.profiles.keys.sorted().map(SafeText.escape)
                let known = !FileManager.default.fileExists(atPath: path) ? "the file does not exist"
                    : have.isEmpty ? "it has no [profiles.NAME] tables" : "profiles: \(have.joined(separator: ", "))"
                throw UsageError("no profile '\(SafeText.escape(profileName))' in config file \(path) (\(known))")
            }
            file = whole.applying(profile)
        }

        let urlText = nonEmpty(g.apiURL) ?? nonEmpty(env["COCLICK_API_URL"]) ?? nonEmpty(file.apiURL) ?? defaultAPIURL
        let url: URL
        do {
            url = try APIEndpoint.baseURL(urlText, allowInsecureHTTP: g.allowInsecureHTTP)
        } catch let e as APIError {
            throw UsageError(e.description)
        }
        let id = nonEmpty(env["COCLICK_SECRET_ID"]) ?? nonEmpty(file.secretID) ?? ""
        let key = nonEmpty(env["COCLICK_SECRET_KEY"]) ?? nonEmpty(file.secretKey) ?? ""

        let themeName = nonEmpty(theme) ?? nonEmpty(env["COCLICK_THEME"]) ?? nonEmpty(file.theme) ?? "default"
        let refreshInterval = refresh ?? file.refreshInterval ?? 15
        guard (1...3600).contains(refreshInterval) else {
            throw UsageError("refresh interval must be between 1 and 3600 seconds (got \(refreshInterval))")
        }
        let pageSize = per ?? file.pageSize ?? 20
        guard (1...100).contains(pageSize) else {
            throw UsageError("page size must be between 1 and 100 (got \(pageSize))")
        }
        let clipText = nonEmpty(env["COCLICK_CLIPBOARD"]) ?? nonEmpty(file.clipboard) ?? "auto"
        guard let clip = ClipboardMode(parsing: clipText) else {
            throw UsageError("clipboard mode '\(SafeText.escape(clipText))' is not one of \(ClipboardMode.choices)")
        }
        let notifyText = file.notify ?? "all"
        guard let notify = NotifySetting(rawValue: notifyText.lowercased()) else {
            throw UsageError("notify '\(SafeText.escape(notifyText))' is not one of all, bell, off")
        }
        let remind = file.remindBeforeMinutes ?? 5
        guard (0...1440).contains(remind) else {
            throw UsageError("remind_before_minutes must be between 0 and 1440 (got \(remind))")
        }
        return Settings(
            apiURL: url, credentials: Credentials(secretID: id, secretKey: key), theme: themeName,
            refreshInterval: refreshInterval, pageSize: pageSize, clipboard: clip,
            remindBeforeMinutes: remind, notify: notify, configPath: path, profile: profileName, mouse: file.mouse ?? true,
            keys: file.keys, problems: file.problems.map { "config file: " + $0 }
        )
    }

    /// Commands that talk to the API need both halves of the key.
    func requireCredentials() throws {
        if credentials.secretID.isEmpty || credentials.secretKey.isEmpty {
            throw UsageError("no API key configured: set COCLICK_SECRET_ID and COCLICK_SECRET_KEY, or secret_id and secret_key in \(configPath) (chmod 600). Try 'coclick demo' to see the dashboard without an account.")
        }
    }
}
