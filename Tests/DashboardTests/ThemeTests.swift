@testable import Dashboard
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@Suite("Themes")
struct ThemeTests {
    /// Through the catalog a start uses: every name it offers parses on demand.
    @Test func allFourShippedThemesParse() throws {
        let c = ThemeCatalog.loadLazily(userDirectory: nil)
        #expect(c.warnings.isEmpty, "\(c.warnings)")
        #expect(c.names == ["default", "light", "high-contrast", "mono"])
        #expect(c.names.count == ShippedThemes.files.count)
        for name in c.names {
            let t = try #require(c.theme(named: name), "shipped theme '\(name)' does not parse")
            #expect(t.roles[.selection] != nil, "\(t.name)")
            for s in [StyleRole.scheduled, .inProgress, .closed, .cancelled, .header, .footer, .warning, .error] {
                #expect(t.roles[s] != nil, "\(t.name) \(s)")
            }
        }
    }

    @Test func resolvesFor256And8AndNoColour() throws {
        let t = try Theme.parse("""
            [roles]
            header = { fg = 231, bg = 24, bold = true }
            selection = { fg = "black", bg = 117, bg8 = "cyan" }
            """, name: "t")
        let full = t.resolved(for: .full256)
        #expect(full[.header] == ResolvedStyle(fg: 231, bg: 24, bold: true))
        let eight = t.resolved(for: .eight)
        #expect(eight[.header] == ResolvedStyle(fg: 7, bg: 0, bold: true))
        #expect(eight[.selection]?.bg == 6)
        let none = t.resolved(for: .none)
        #expect(none[.selection] == ResolvedStyle(fg: -1, bg: -1, bold: true, reverse: true))
        #expect(none.values.allSatisfy { $0.fg == -1 && $0.bg == -1 })
        #expect(ColorDepth.detect(colors: 256, noColor: true) == .none)
        #expect(ColorDepth.detect(colors: 8, noColor: false) == .eight)
        #expect(ColorDepth.detect(colors: 256, noColor: false) == .full256)
    }

    @Test func noColorEnvironment() {
        #expect(DashboardSettings.noColorRequested(environment: ["NO_COLOR": "1"]))
        #expect(!DashboardSettings.noColorRequested(environment: ["NO_COLOR": ""]))
    }

    @Test func brokenThemesGiveClearErrors() {
        func error(_ text: String) -> String {
            do { _ = try Theme.parse(text, name: "bad"); return "parsed" } catch { return "\(error)" }
        }
        #expect(error("[roles\nx=1").contains("not valid TOML"))
        #expect(error("[roles]\nheadr = { fg = \"red\" }").contains("unknown role 'headr'"))
        #expect(error("[roles]\nheader = { fg = \"purpleish\" }").contains("unknown colour 'purpleish'"))
        #expect(error("[roles]\nheader = { fg = 300 }").contains("0-255"))
        #expect(error("name = 1").contains("no [roles]"))
    }

    @Test func userThemesLoadAndBadOnesBecomeWarnings() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "[roles]\nheader = { fg = \"red\" }\n".write(to: dir.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
        try "[roles]\nheader = { fg = \"nope\" }\n".write(to: dir.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
        let c = ThemeCatalog.loadLazily(userDirectory: dir)
        #expect(c.names.contains("mine"))
        #expect(!c.names.contains("broken"))
        #expect(c.warnings.count == 1)
        #expect(c.warnings.first?.contains("broken.toml") == true)
        #expect(c.warnings.first?.contains("unknown colour 'nope'") == true)
    }

    /// A themes folder others can write, or a theme file others can write, is
    /// not read; a theme linked from elsewhere (dotfiles) is, when it is the user's alone.
    @Test func themesOthersCouldHaveWrittenAreNotRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let themes = dir.appendingPathComponent("themes")
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        try "[roles]\nheader = { fg = \"red\" }\n".write(to: themes.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
        try "[roles]\nheader = { fg = \"red\" }\n".write(to: themes.appendingPathComponent("loose.toml"), atomically: true, encoding: .utf8)
        chmod(themes.appendingPathComponent("loose.toml").path, 0o666)
        let linked = dir.appendingPathComponent("dotfiles-linked.toml")
        try "[roles]\nheader = { fg = \"blue\" }\n".write(to: linked, atomically: true, encoding: .utf8)
        #expect(symlink(linked.path, themes.appendingPathComponent("linked.toml").path) == 0)
        let c = ThemeCatalog.loadLazily(userDirectory: themes)
        #expect(c.names.contains("mine") && c.names.contains("linked"))
        #expect(!c.names.contains("loose"))
        #expect(c.warnings == ["theme 'loose' not read: \(themes.path)/loose.toml can be written by group or others (mode 666); fix it with: chmod go-w \(themes.path)/loose.toml"])

        chmod(themes.path, 0o777)
        let refused = ThemeCatalog.loadLazily(userDirectory: themes)
        #expect(!refused.names.contains("mine"))
        #expect(refused.warnings.count == 1)
        #expect(refused.warnings.first?.hasPrefix("themes not read: \(themes.path) can be written by group or others (mode 777)") == true, "\(refused.warnings)")
    }

    /// A start parses only the theme it uses: the names come in the shipped
    /// order, then the user's others in file-name order; a user's file takes a
    /// shipped theme's place; a bad one is a warning and not offered.
    @Test func theCatalogOffersShippedThenUserThemes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "[roles]\nheader = { fg = \"red\" }\n".write(to: dir.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
        try "[roles]\nheader = { fg = \"green\" }\n".write(to: dir.appendingPathComponent("a-mine.toml"), atomically: true, encoding: .utf8)
        try "[roles]\nheader = { fg = \"blue\" }\n".write(to: dir.appendingPathComponent("light.toml"), atomically: true, encoding: .utf8)
        try "[roles]\nheader = { fg = \"nope\" }\n".write(to: dir.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
        let c = ThemeCatalog.loadLazily(userDirectory: dir)
        #expect(c.names == ThemeCatalog.shippedOrder + ["a-mine", "mine"])
        #expect(c.warnings.count == 1 && c.warnings.first?.contains("broken.toml") == true, "\(c.warnings)")
        #expect(c.theme(named: "light")?.roles[.header]?.fg == 4)
        #expect(c.theme(named: "light") != ThemeCatalog.loadLazily(userDirectory: nil).theme(named: "light"))
        #expect(c.theme(named: "mine")?.roles[.header]?.fg == 1)
        #expect(c.theme(named: "mono") == ThemeCatalog.loadLazily(userDirectory: nil).theme(named: "mono"))
        #expect(c.theme(named: "missing") == nil)
        #expect(c.theme(named: "broken") == nil)
    }

    @Test func noShippedThemesFallsBack() {
        let c = ThemeCatalog.loadLazily(userDirectory: nil, shipped: [])
        #expect(c.names == ["default"])
        #expect(c.theme(named: "default") != nil)
    }

    /// The binary carries themes/*.toml as they are in the repository
    /// (`scripts/embed-themes` writes ShippedThemes.swift from them).
    @Test func embeddedThemesMatchTheFiles() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == ShippedThemes.files.map(\.name).sorted())
        for (name, toml) in ShippedThemes.files {
            let text = try String(contentsOf: dir.appendingPathComponent(name + ".toml"), encoding: .utf8)
            #expect(text == toml + "\n", "themes/\(name).toml differs from the embedded copy: run scripts/embed-themes")
        }
    }

    @Test func approximates256To8() {
        #expect(Theme.to8(196) == 1)
        #expect(Theme.to8(46) == 2)
        #expect(Theme.to8(21) == 4)
        #expect(Theme.to8(231) == 7)
        #expect(Theme.to8(9) == 1)
        #expect(Theme.to8(236) == 0)
    }
}
