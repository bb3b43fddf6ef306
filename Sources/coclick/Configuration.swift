import CoClickAPI
import Dashboard // ClipboardMode, ConfigFile
import Foundation
import TOMLKit
import TerminalText

extension ConfigFile {
    /// Reads and checks a config file. `required` files must exist.
    static func load(path: String, required: Bool, warn: (String) -> Void) throws -> ConfigFile {
        let fm = FileManager.default
        guard fm.fileExists(atPath: path) else {
            if required { throw UsageError("config file \(path) does not exist") }
            return ConfigFile()
        }
        let data: Data
        if let stream = try readStream(path) {
            data = stream
        } else if let file = fm.contents(atPath: path) {
            data = file
        } else {
            throw UsageError("config file \(path) cannot be read (check its permissions)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let c: ConfigFile
        do {
            c = try ConfigFile.parse(text)
        } catch {
            throw UsageError("config file \(path): \(error.message)")
        }
        for key in c.unknownKeys {
            warn("config file \(path): unknown key '\(key)' ignored")
        }
        if c.holdsSecretKey {
            // Like ssh with private keys: a secret others can read is refused.
            // The file read is the one checked: through a symlink (dotfile
            // managers link config files), its target's mode and name count.
            var info = stat()
            let mode = stat(path, &info) == 0 ? Int(info.st_mode) & 0o777 : 0o777
            if mode & 0o077 != 0 {
                let real = realpath(path, nil).map { p in defer { free(p) }; return String(cString: p) } ?? path
                let link = real == path ? "" : " (a link to \(real))"
                throw UsageError("config file \(path)\(link) holds secret_key but is readable by group or others (mode \(String(mode, radix: 8))); fix it with: chmod 600 \(shellQuoted(real))")
            }
        }
        return c
    }
}

extension ConfigFile {
    /// The most a config file that is a device or a pipe may hold.
    static let streamLimit = 1 << 20

    /// A config that is a character device or a pipe (`COCLICK_CONFIG=/dev/null`
    /// for no config, `--config <(...)`), read to its end; nil for anything
    /// else, which is read as a file. Foundation's file reading gives nothing
    /// for these, which would read as a permissions problem.
    static func readStream(_ path: String) throws -> Data? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let type = info.st_mode & S_IFMT
        guard type == S_IFCHR || type == S_IFIFO else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var data = Data()
        while data.count <= streamLimit {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 64 * 1024) } catch { return nil }
            guard let chunk, !chunk.isEmpty else { break }
            data.append(chunk)
        }
        // /dev/zero and the like never end: not a config file.
        if data.count > streamLimit { throw UsageError("config file \(path) holds more than \(streamLimit / (1 << 20)) MiB: not a config file") }
        return data
    }
}

/// `path` as one shell word, quoted only when it needs to be.
func shellQuoted(_ path: String) -> String {
    let plain = path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+,:@%".contains($0)) }
    return plain && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
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
    var mouse = true
    /// The presenter's owner email (`--me`, config `me`), and whether reminders ring for everyone's meetings.
    var me: String?
    var remindAll = true
    /// The `[keys]` table as written (the dashboard applies it), and entries that could not be read.
    var keys = KeyRemap([])
    var problems: [String] = []
    /// The invitation template (config `invitation`), its placeholders checked.
    var invitation = Invitation.defaultTemplate
    /// Minutes an exported meeting lasts without a `duration` (config `ics_default_minutes`).
    var icsDefaultMinutes = DashboardSettings.Bounded.icsDefaultMinutes.defaultValue

    static let defaultAPIURL = "https://www.coclick.io/" + APIPath.base

    /// `config.toml` in `XDGFolder.config`; nil when the environment names no
    /// folder for it (no absolute `XDG_CONFIG_HOME` or `HOME`): then no file is read.
    static func defaultConfigPath(env: [String: String]) -> String? {
        XDGFolder.config.url(environment: env)?.appendingPathComponent("config.toml").path
    }

    /// How messages name the config file when there is no default path.
    static let unplacedConfigPath = "$XDG_CONFIG_HOME/coclick/config.toml"

    static func resolve(
        _ g: GlobalOptions, theme: String? = nil, refresh: Int? = nil, per: Int? = nil,
        env: [String: String] = ProcessInfo.processInfo.environment,
        warn: (String) -> Void = { Output.warn($0) }
    ) throws -> Settings {
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        let explicitConfig = nonEmpty(g.config) ?? nonEmpty(env["COCLICK_CONFIG"])
        let placed = explicitConfig ?? defaultConfigPath(env: env)
        let whole = try placed.map { try ConfigFile.load(path: $0, required: explicitConfig != nil, warn: warn) } ?? ConfigFile()
        let path = placed ?? unplacedConfigPath
        let profileName = nonEmpty(g.profile) ?? nonEmpty(env["COCLICK_PROFILE"])
        var file = whole
        if let profileName {
            guard let profile = whole.profiles[profileName] else {
                let have = whole.profiles.keys.sorted().map(SafeText.escape)
                let known = !(placed.map(FileManager.default.fileExists(atPath:)) ?? false) ? "the file does not exist"
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
        if url.scheme?.lowercased() == "http", let host = url.host, !APIEndpoint.isLoopback(host) {
            warn("--allow-insecure-http: the secret key and every meeting go to \(SafeText.escape(host)) over plain http://, unencrypted: anyone on the way can read them")
        }
        let id = nonEmpty(env["COCLICK_SECRET_ID"]) ?? nonEmpty(file.secretID) ?? ""
        let key = nonEmpty(env["COCLICK_SECRET_KEY"]) ?? nonEmpty(file.secretKey) ?? ""

        if theme == nil, let asked = nonEmpty(g.theme) {
            // Commands that draw pass `theme` and say a bad one on screen; the others still check a `--theme` given to them.
            let catalog = ThemeCatalog.loadLazily(userDirectory: DashboardSettings.defaultUserThemeDirectory(environment: env))
            if let problem = catalog.problem(with: asked) { throw UsageError("--theme: \(problem)") }
        }
        let themeName = nonEmpty(theme) ?? nonEmpty(env["COCLICK_THEME"]) ?? nonEmpty(file.theme) ?? "default"
        let refreshInterval = refresh ?? file.refreshInterval ?? DashboardSettings.Bounded.refreshInterval.defaultValue
        if let problem = DashboardSettings.Bounded.refreshInterval.problem(refreshInterval) { throw UsageError(problem) }
        let pageSize = per ?? file.pageSize ?? DashboardSettings.Bounded.pageSize.defaultValue
        if let problem = DashboardSettings.Bounded.pageSize.problem(pageSize) { throw UsageError(problem) }
        let clipText = nonEmpty(env["COCLICK_CLIPBOARD"]) ?? nonEmpty(file.clipboard) ?? "auto"
        guard let clip = ClipboardMode(parsing: clipText) else {
            throw UsageError("clipboard mode '\(SafeText.escape(clipText))' is not one of \(ClipboardMode.choices)")
        }
        let notifyText = file.notify ?? "all"
        guard let notify = NotifySetting(rawValue: notifyText.lowercased()) else {
            throw UsageError("notify '\(SafeText.escape(notifyText))' is not one of all, bell, off")
        }
        let remind = file.remindBeforeMinutes ?? DashboardSettings.Bounded.remindBeforeMinutes.defaultValue
        if let problem = DashboardSettings.Bounded.remindBeforeMinutes.problem(remind) { throw UsageError(problem) }
        let me = nonEmpty(g.me?.trimmed) ?? nonEmpty(file.me?.trimmed)
        if let me, !me.contains("@") || me.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw UsageError("me '\(SafeText.escape(me))' is not an email address (me = \"you@example.com\")")
        }
        let remindText = (file.remind ?? (me == nil ? "all" : "me")).lowercased()
        guard remindText == "all" || remindText == "me" else {
            throw UsageError("remind '\(SafeText.escape(remindText))' is not one of me, all")
        }
        if remindText == "me", me == nil {
            throw UsageError("remind = \"me\" needs me = \"you@example.com\" in the config (or --me)")
        }
        var settings = Settings(
            apiURL: url, credentials: Credentials(secretID: id, secretKey: key), theme: themeName,
            refreshInterval: refreshInterval, pageSize: pageSize, clipboard: clip,
            remindBeforeMinutes: remind, notify: notify, configPath: path, profile: profileName, mouse: file.mouse ?? true,
            keys: file.keys, problems: file.problems.map { "config file: " + $0 }
        )
        settings.me = me
        settings.remindAll = remindText == "all"
        settings.invitation = file.invitation ?? Invitation.defaultTemplate
        let icsMinutes = file.icsDefaultMinutes ?? DashboardSettings.Bounded.icsDefaultMinutes.defaultValue
        if let problem = DashboardSettings.Bounded.icsDefaultMinutes.problem(icsMinutes) { throw UsageError(problem) }
        settings.icsDefaultMinutes = icsMinutes
        return settings
    }

    /// `--mine`: the owner filter the server is asked for, or why there is none.
    func mine() throws -> String {
        guard let me else {
            throw UsageError("--mine needs to know who you are: me = \"you@example.com\" in \(configPath), or --me EMAIL")
        }
        return me
    }

    /// Commands that talk to the API need both halves of the key.
    func requireCredentials() throws {
        if credentials.secretID.isEmpty || credentials.secretKey.isEmpty {
            throw UsageError("no API key configured: set COCLICK_SECRET_ID and COCLICK_SECRET_KEY, or secret_id and secret_key in \(configPath) (chmod 600). Try 'coclick demo' to see the dashboard without an account.")
        }
    }
}
