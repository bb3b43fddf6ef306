#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText
import TOMLKit

/// A colour as a theme writes it: a name or a 0-255 index; nil means the terminal's default.
public typealias ColorIndex = Int

/// How one role looks, as written in a theme file.
public struct RoleStyle: Sendable, Hashable {
    public var fg: ColorIndex?
    public var bg: ColorIndex?
    /// Explicit colours for 8-colour terminals; derived from fg/bg when absent.
    public var fg8: ColorIndex?
    public var bg8: ColorIndex?
    public var bold = false
    public var underline = false
    public var reverse = false

    public init(fg: ColorIndex? = nil, bg: ColorIndex? = nil, fg8: ColorIndex? = nil, bg8: ColorIndex? = nil,
                bold: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.fg = fg; self.bg = bg; self.fg8 = fg8; self.bg8 = bg8
        self.bold = bold; self.underline = underline; self.reverse = reverse
    }
}

/// A role's look on this terminal: colour indexes (-1 = default) and attributes.
public struct ResolvedStyle: Sendable, Hashable {
    public var fg: Int
    public var bg: Int
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(fg: Int = -1, bg: Int = -1, bold: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.fg = fg; self.bg = bg; self.bold = bold; self.underline = underline; self.reverse = reverse
    }
}

/// How many colours the terminal has, after `NO_COLOR`.
public enum ColorDepth: Sendable, Hashable {
    case none, eight, full256

    public static func detect(colors: Int, noColor: Bool) -> ColorDepth {
        if noColor || colors < 8 { return .none }
        return colors >= 256 ? .full256 : .eight
    }
}

public struct Theme: Sendable, Hashable {
    public var name: String
    public var roles: [StyleRole: RoleStyle]

    public init(name: String, roles: [StyleRole: RoleStyle]) {
        self.name = name
        self.roles = roles
    }

    /// Attributes only: used for roles a theme leaves out, for `NO_COLOR`, and when no theme loads.
    public static let fallback = Theme(name: "fallback", roles: [
        .header: RoleStyle(bold: true, reverse: true), .footer: RoleStyle(reverse: true),
        .selection: RoleStyle(bold: true, reverse: true), .title: RoleStyle(bold: true),
        .label: RoleStyle(bold: true), .key: RoleStyle(bold: true),
        .inProgress: RoleStyle(bold: true), .reminder: RoleStyle(bold: true, underline: true),
        .warning: RoleStyle(bold: true), .error: RoleStyle(bold: true, underline: true),
        .message: RoleStyle(bold: true), .fieldFocus: RoleStyle(bold: true, reverse: true),
        .field: RoleStyle(underline: true), .cursor: RoleStyle(reverse: true),
        .button: RoleStyle(bold: true), .buttonFocus: RoleStyle(bold: true, reverse: true),
        .connectionBad: RoleStyle(bold: true, reverse: true),
    ])

    /// Roles that differ only by focus.
    static let focusRoles: Set<StyleRole> = [.field, .fieldFocus, .button, .buttonFocus, .cursor]

    /// Every role resolved for the terminal's colour depth.
    public func resolved(for depth: ColorDepth) -> [StyleRole: ResolvedStyle] {
        var out: [StyleRole: ResolvedStyle] = [:]
        // A role without its own colours takes the normal role's, so a theme
        // with a background (high-contrast's black) has no holes of the
        // terminal's default background where text is styled.
        let normal = roles[.normal] ?? RoleStyle()
        let base8 = (fg: normal.fg8 ?? normal.fg.map(Theme.to8) ?? -1, bg: normal.bg8 ?? normal.bg.map(Theme.to8) ?? -1)
        let base256 = (fg: normal.fg ?? -1, bg: normal.bg ?? -1)
        for role in StyleRole.allCases {
            let s = roles[role] ?? Theme.fallback.roles[role] ?? RoleStyle()
            switch depth {
            case .none:
                let fb = Theme.fallback.roles[role] ?? RoleStyle()
                if Theme.focusRoles.contains(role) {
                    // Fields and buttons tell focus apart by attributes alone, as the mono theme does:
                    // reversing every field that has a background would make them all look focused.
                    // The cursor is the one normal-video cell inside a reversed, focused field.
                    out[role] = role == .cursor ? ResolvedStyle(bold: true, underline: true)
                        : ResolvedStyle(bold: fb.bold, underline: fb.underline, reverse: fb.reverse)
                } else {
                    // Without colour, a role that relied on a background keeps standing out by reversing.
                    out[role] = ResolvedStyle(fg: -1, bg: -1, bold: s.bold || fb.bold, underline: s.underline || fb.underline,
                                              reverse: s.reverse || fb.reverse || (s.bg != nil && role != .normal))
                }
            case .eight:
                out[role] = ResolvedStyle(fg: s.fg8 ?? s.fg.map(Theme.to8) ?? base8.fg, bg: s.bg8 ?? s.bg.map(Theme.to8) ?? base8.bg,
                                          bold: s.bold, underline: s.underline, reverse: s.reverse)
            case .full256:
                out[role] = ResolvedStyle(fg: s.fg ?? base256.fg, bg: s.bg ?? base256.bg, bold: s.bold, underline: s.underline, reverse: s.reverse)
            }
        }
        return out
    }

    /// The nearest of the 8 basic colours for a 256-colour index.
    public static func to8(_ c: ColorIndex) -> ColorIndex {
        switch c {
        case ..<0: return -1
        case 0..<8: return c
        case 8..<16: return c - 8
        case 16..<232:
            let v = c - 16
            let r = v / 36, g = (v / 6) % 6, b = v % 6
            return (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0)
        default:
            return c < 244 ? 0 : 7
        }
    }

    static let colorNames: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Reads a theme file. Errors name the file, the key and what was wrong.
    public static func parse(_ text: String, name: String) throws -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLText.table(text)
        } catch let e as TOMLText.Refused {
            throw ThemeError(theme: name, message: "not valid TOML: \(e.message) (line \(e.line))")
        } catch let e as TOMLParseError {
            throw ThemeError(theme: name, message: "not valid TOML: \(e.description) (line \(e.source.begin.line))")
        } catch {
            throw ThemeError(theme: name, message: "not valid TOML")
        }
        guard let rolesValue = table["roles"] else {
            throw ThemeError(theme: name, message: "no [roles] table")
        }
        guard let roles = rolesValue.table else {
            throw ThemeError(theme: name, message: "'roles' must be a table")
        }
        var out: [StyleRole: RoleStyle] = [:]
        for key in roles.keys {
            guard let role = StyleRole(rawValue: key) else {
                let known = StyleRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw ThemeError(theme: name, message: "unknown role '\(key)' (known roles: \(known))")
            }
            guard let t = roles[key]?.table else {
                throw ThemeError(theme: name, message: "roles.\(key) must be a table like { fg = \"red\", bold = true }")
            }
            var style = RoleStyle()
            for attr in t.keys {
                let v = t[attr]
                switch attr {
                case "fg": style.fg = try color(v, at: "roles.\(key).fg", theme: name)
                case "bg": style.bg = try color(v, at: "roles.\(key).bg", theme: name)
                case "fg8": style.fg8 = try color(v, at: "roles.\(key).fg8", theme: name)
                case "bg8": style.bg8 = try color(v, at: "roles.\(key).bg8", theme: name)
                case "bold", "underline", "reverse":
                    guard let b = v?.bool else {
                        throw ThemeError(theme: name, message: "roles.\(key).\(attr) must be true or false")
                    }
                    if attr == "bold" { style.bold = b } else if attr == "underline" { style.underline = b } else { style.reverse = b }
                default:
                    throw ThemeError(theme: name, message: "roles.\(key): unknown setting '\(attr)' (use fg, bg, fg8, bg8, bold, underline, reverse)")
                }
            }
            out[role] = style
        }
        return Theme(name: name, roles: out)
    }

    static func color(_ v: TOMLValueConvertible?, at path: String, theme: String) throws -> ColorIndex? {
        if let i = v?.int {
            guard (0...255).contains(i) else { throw ThemeError(theme: theme, message: "\(path): \(i) is not a colour number 0-255") }
            return i
        }
        if let s = v?.string?.lowercased() {
            if s == "default" || s == "none" { return nil }
            if let c = colorNames[s] { return c }
            throw ThemeError(theme: theme, message: "\(path): unknown colour '\(s)' (use black, red, green, yellow, blue, magenta, cyan, white, bright-*, default or 0-255)")
        }
        throw ThemeError(theme: theme, message: "\(path) must be a colour name or a number 0-255")
    }
}

public struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var theme: String
    public var message: String
    /// Escaped: the theme's name and the quoted keys come from a file and
    /// may hold control characters.
    public var description: String { "theme '\(SafeText.escape(theme))': \(SafeText.escape(message))" }
}

/// The shipped themes plus the user's, and what went wrong loading any of them.
public struct ThemeCatalog: Sendable {
    public var themes: [Theme]
    /// One clear sentence per file that could not be used.
    public var warnings: [String]
    /// Those sentences by theme name, to say why a theme asked for is missing.
    private var failures: [String: String] = [:]
    /// `loadLazily`: shipped themes not parsed yet, by name, and every name in order.
    private var unparsed: [String: String] = [:]
    private var lazyNames: [String]?

    public init(themes: [Theme], warnings: [String]) {
        self.themes = themes
        self.warnings = warnings
    }

    public static let shippedOrder = ["default", "light", "high-contrast", "mono"]

    public var names: [String] { lazyNames ?? themes.map(\.name) }

    static let usingAnother = "; using another theme"

    /// The warnings but the one about `name`'s file, which `problem(with:)` says.
    public func warnings(besides name: String) -> [String] {
        guard let failure = failures[name] else { return warnings }
        return warnings.filter { $0 != failure + Self.usingAnother }
    }

    /// Why no theme of this name can be used, in one sentence (nil: it can):
    /// the error in the user's file of that name, else that none exists, with
    /// the names there are.
    public func problem(with name: String) -> String? {
        if names.contains(name) { return nil }
        if let failure = failures[name] { return failure }
        return "theme '\(SafeText.escape(name))' not found (have: \(names.map(SafeText.escape).joined(separator: ", ")))"
    }

    public func theme(named name: String) -> Theme? {
        if let t = themes.first(where: { $0.name == name }) { return t }
        return unparsed[name].flatMap { try? Theme.parse($0, name: name) }
    }

    /// Shipped themes in `shippedOrder` (any other by name after them).
    static func orderedShipped(_ names: [String]) -> [String] {
        names.sorted { a, b in
            let ia = shippedOrder.firstIndex(of: a) ?? Int.max, ib = shippedOrder.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
    }

    /// The shipped themes (embedded in the binary, see `scripts/embed-themes`),
    /// then the user's, which replace them by name. A shipped theme is parsed
    /// only when `theme(named:)` asks for it: a start needs one (first paint).
    /// The user's files are read at once, so that a bad one is said at start;
    /// a bad file becomes a warning, never a crash. (Every shipped theme
    /// parses: ThemeTests.)
    public static func loadLazily(userDirectory: URL?, shipped: [(name: String, toml: String)] = ShippedThemes.files) -> ThemeCatalog {
        let user = userThemes(in: userDirectory)
        var catalog = ThemeCatalog(themes: user.themes, warnings: user.warnings)
        catalog.failures = user.failures
        for (name, toml) in shipped where !user.themes.contains(where: { $0.name == name }) {
            catalog.unparsed[name] = toml
        }
        // Shipped names, then the user's other ones in file-name order.
        let shippedNames = orderedShipped(shipped.map(\.name))
        let names = shippedNames + user.themes.map(\.name).filter { !shippedNames.contains($0) }
        if names.isEmpty {
            var fallback = ThemeCatalog(themes: [Theme(name: "default", roles: Theme.fallback.roles)], warnings: user.warnings)
            fallback.failures = user.failures
            return fallback
        }
        catalog.lazyNames = names
        return catalog
    }

    /// The user's theme files (`NAME.toml`), by name; a bad file becomes a warning.
    static func userThemes(in dir: URL?) -> (themes: [Theme], warnings: [String], failures: [String: String]) {
        var themes: [Theme] = []
        var warnings: [String] = []
        var failures: [String: String] = [:]
        guard let dir, FileManager.default.fileExists(atPath: dir.path) else { return ([], [], [:]) }
        // As for drafts: what another user could have written is not read.
        if let why = PrivateFile.refusal(ofDirectory: dir) { return ([], ["themes not read: \(why)"], [:]) }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".toml") }.sorted()
        for f in files {
            let name = String(f.dropLast(5))
            let url = dir.appendingPathComponent(f)
            if let why = PrivateFile.refusal(ofLinkedFile: url) {
                let said = "theme '\(SafeText.escape(name))' not read: \(why)"
                failures[name] = said
                warnings.append(said)
                continue
            }
            do {
                let data = try Data(contentsOf: url)
                guard data.count < 1_000_000 else { throw ThemeError(theme: name, message: "file is too large") }
                let t = try Theme.parse(String(decoding: data, as: UTF8.self), name: name)
                if let i = themes.firstIndex(where: { $0.name == t.name }) { themes[i] = t } else { themes.append(t) }
            } catch {
                let path = SafeText.escape(url.path)
                let why = (error as? ThemeError).map { "\($0.description) in \(path)" }
                    ?? "theme '\(SafeText.escape(name))': cannot read \(path): \(SafeText.escape("\(error)"))"
                failures[name] = why
                warnings.append(why + usingAnother)
            }
        }
        return (themes, warnings, failures)
    }
}
