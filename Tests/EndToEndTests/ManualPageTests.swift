import CoClickAPI
import Dashboard
import Foundation
import Testing

/// coclick(1) and coclick-config(5): they name every command and option
/// ArgumentParser knows, every dashboard key, every config key and theme
/// role, so that they cannot drift from the code; groff and man render them
/// without a warning; and `coclick man` prints them as they are in docs/man.
@Suite("manual pages", .serialized)
struct ManualPageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let pages = ["coclick.1", "coclick-config.5"]

    static func source(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/man/" + name), encoding: .utf8)
    }

    @Test func coclickManPrintsTheFiles() async throws {
        for (section, name) in [("1", "coclick.1"), ("5", "coclick-config.5")] {
            let r = try await runCoclick(["man", "--section", section])
            #expect(r.status == 0, "\(r.stderr)")
            let file = try Self.source(name)
            // The header names the version; the rest is the file.
            #expect(r.stdout.drop { $0 != "\n" } == file.drop { $0 != "\n" }, "docs/man/\(name) differs from the embedded copy: run scripts/embed-man")
            let header = String(r.stdout.prefix { $0 != "\n" })
            #expect(header.contains("\"coclick ") && !header.contains("\"coclick\""), "\(header)")
        }
        let plain = try await runCoclick(["man"])
        #expect(plain.stdout.hasPrefix(".TH COCLICK 1 "))
        #expect(try await runCoclick(["man", "--section", "3"]).status == 2)
    }

    /// groff, with every warning turned on, and man(1) as a reader runs it.
    @Test func groffAndManRenderWithoutWarnings() async throws {
        let groff = try requireTool("groff")
        let man = try requireTool("man")
        let home = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        for name in Self.pages {
            let path = Self.root.appendingPathComponent("docs/man/" + name).path
            // ASCII only: groff reads it alike with or without preconv.
            #expect(try Self.source(name).unicodeScalars.allSatisfy(\.isASCII), "\(name) holds non-ASCII text: write a roff escape")
            let g = try #require(try await runTool(groff, ["-ww", "-z", "-man", path], env: isolatedEnvironment(home: home), timeout: 60))
            #expect(g.status == 0 && g.err.isEmpty, "groff -ww -z -man \(name): \(g.err)")
            var env = isolatedEnvironment(home: home)
            env["MANPAGER"] = "cat"
            env["MANWIDTH"] = "80"
            env["LC_ALL"] = "C.UTF-8"
            let m = try #require(try await runTool(man, ["-l", path], env: env, timeout: 60))
            #expect(m.status == 0 && m.err.isEmpty, "man -l \(name): \(m.err)")
            #expect(m.out.contains("NAME") && m.out.contains("SEE ALSO"), "man -l \(name): \(m.out.prefix(300))")
        }
    }

    /// Every command and every option in `coclick --experimental-dump-help`
    /// (what ArgumentParser knows) is in coclick(1): a command's own options
    /// in its section, the global ones under GLOBAL OPTIONS.
    @Test func coclick1NamesEveryCommandAndOption() async throws {
        let dump = try await runCoclick(["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.stderr)")
        let tree = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let rootCommand = try #require(tree["command"] as? [String: Any])
        var leaves: [(path: String, names: [String], positionals: [String])] = []
        var rootNames: [String] = []
        func walk(_ c: [String: Any], _ path: [String]) {
            let args = (c["arguments"] as? [[String: Any]] ?? []).filter { ($0["shouldDisplay"] as? Bool) ?? true }
            let names = args.flatMap { a in (a["names"] as? [[String: Any]] ?? []).compactMap { n -> String? in
                guard let name = n["name"] as? String else { return nil }
                return (n["kind"] as? String) == "short" ? "-" + name : "--" + name
            } }
            let positionals = args.filter { ($0["kind"] as? String) == "positional" }.compactMap { $0["valueName"] as? String }
            let subs = (c["subcommands"] as? [[String: Any]] ?? []).filter { ($0["shouldDisplay"] as? Bool) ?? true }
            if path.isEmpty { rootNames = names }
            if subs.isEmpty, !path.isEmpty { leaves.append((path.joined(separator: " "), names, positionals)) }
            for s in subs { walk(s, path + [(s["commandName"] as? String) ?? "?"]) }
        }
        walk(rootCommand, [])
        #expect(leaves.count >= 10, "\(leaves.map(\.path))")
        // Global: what every command that talks to the API has, and the help and version flags.
        let apiCommands = leaves.filter { $0.names.contains("--api-url") }
        let global = Set(apiCommands.first?.names ?? []).filter { n in apiCommands.allSatisfy { $0.names.contains(n) } }
            .union(["-h", "--help"]).union(rootNames)
        #expect(global.isSuperset(of: ["--api-url", "--config", "--profile", "--timeout", "--log-file", "--theme", "--me"]))

        let page = RoffPage(try Self.source("coclick.1"))
        let globalSection = try #require(page.section("GLOBAL OPTIONS"))
        for name in global {
            #expect(RoffPage.names(name, in: globalSection), "coclick.1 GLOBAL OPTIONS lacks \(name)")
        }
        for leaf in leaves {
            let path = leaf.path
            guard let section = page.subsection("coclick " + path) else {
                Issue.record("coclick.1 has no section '.SS coclick \(path)'")
                continue
            }
            for name in leaf.names where !global.contains(name) {
                #expect(RoffPage.names(name, in: section), "coclick.1, coclick \(path): no \(name)")
            }
            for p in leaf.positionals {
                #expect(section.contains(p.uppercased()), "coclick.1, coclick \(path): no \(p.uppercased())")
            }
        }
        let list = try #require(page.subsection("coclick meetings list"))
        for status in MeetingStatus.documented {
            #expect(RoffPage.names(status.rawValue, in: list), "coclick.1, meetings list --status: no \(status.rawValue)")
        }
        for heading in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "DASHBOARD KEYS", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"] {
            #expect(page.section(heading) != nil, "coclick.1 has no \(heading)")
        }
        #expect(page.section("SEE ALSO")?.contains("coclick-config(5)") == true)
    }

    /// Every key of every screen, each binding's keys on one line of its
    /// screen's list; every variable coclick reads; every file it keeps.
    @Test func coclick1NamesEveryKeyVariableAndFile() throws {
        let page = RoffPage(try Self.source("coclick.1"))
        let keysSection = try #require(page.sectionSource("DASHBOARD KEYS"))
        for context in KeyContext.allCases {
            let tags = keysSection.tags(inSubsection: context.title).map { Set($0.components(separatedBy: ", ")) }
            #expect(!tags.isEmpty, "coclick.1 has no '.SS \(context.title)' under DASHBOARD KEYS")
            for binding in Keymap.standard.bindings[context] ?? [] {
                let keys = Set(binding.keys.map(\.description))
                #expect(tags.contains { $0.isSuperset(of: keys) },
                        "coclick.1 DASHBOARD KEYS, \(context.title): no line for \(keys.sorted().joined(separator: ", ")) (\(binding.command.summary))")
            }
        }
        let environment = try #require(page.section("ENVIRONMENT"))
        for variable in try Self.environmentVariablesRead() + ["NO_COLOR", "TZ", "BROWSER", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"] {
            #expect(RoffPage.names(variable, in: environment), "coclick.1 ENVIRONMENT lacks \(variable)")
        }
        let files = try #require(page.section("FILES"))
        for file in ["config.toml", "themes/", "$XDG_STATE_HOME/coclick/", "crash-", "$XDG_CACHE_HOME/coclick/", "--log-file"] {
            #expect(files.contains(file), "coclick.1 FILES lacks \(file)")
        }
        let exit = try #require(page.section("EXIT STATUS"))
        for code in 0...5 {
            #expect(RoffPage.names(String(code), in: exit), "coclick.1 EXIT STATUS lacks \(code)")
        }
    }

    /// Every key the config reader accepts, every `[keys]` action and every
    /// theme role is in coclick-config(5).
    @Test func coclickConfig5NamesEverySettingActionAndRole() throws {
        let page = RoffPage(try Self.source("coclick-config.5"))
        let settings = try #require(page.sectionSource("SETTINGS"))
        let tagged = Set(settings.tags().compactMap { tag -> String? in
            // "api_url = string", "[keys]", "[profiles.NAME]"
            guard let first = tag.split(separator: " ").first else { return nil }
            return String(first.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).prefix { $0 != "." })
        })
        for key in ConfigFile.knownKeys.union(["profiles"]) {
            #expect(tagged.contains(key), "coclick-config.5 SETTINGS has no entry for \(key)")
        }
        // And nothing the reader does not accept.
        #expect(tagged.subtracting(ConfigFile.knownKeys.union(["profiles"])).isEmpty, "\(tagged)")
        let keys = try #require(page.section("KEYS"))
        let actions = Set(try #require(page.sectionSource("KEYS")).tags())
        for command in Command.allCases where Keymap.standard.bindings.values.contains(where: { $0.contains { $0.command == command } }) {
            #expect(actions.contains(command.configName), "coclick-config.5 KEYS has no entry for \(command.configName)")
        }
        #expect(keys.contains("clear_field"))
        let themes = try #require(page.section("THEMES"))
        for role in StyleRole.allCases {
            #expect(RoffPage.names(role.rawValue, in: themes), "coclick-config.5 THEMES lacks the role \(role.rawValue)")
        }
        #expect(page.section("PROFILES") != nil && page.section("EXAMPLES") != nil)
    }

    /// The `COCLICK_*` variables the sources read.
    static func environmentVariablesRead() throws -> [String] {
        var found: Set<String> = []
        let sources = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            var rest = Substring(text)
            while let r = rest.range(of: "\"COCLICK_") {
                let name = rest[rest.index(after: r.lowerBound)...].prefix { $0.isUppercase || $0 == "_" || $0.isNumber }
                found.insert(String(name))
                rest = rest[r.upperBound...]
            }
        }
        #expect(found.isSuperset(of: ["COCLICK_API_URL", "COCLICK_PROFILE", "COCLICK_SECRET_KEY"]), "\(found)")
        return found.sorted()
    }
}

/// A man page's roff source, read as text: escapes as the characters they
/// stand for, font changes and macro names dropped.
struct RoffPage {
    let lines: [String]

    init(_ source: String) {
        lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    init(lines: [String]) { self.lines = lines }

    static func unescape(_ s: String) -> String {
        var t = s
        for (escape, char) in [("\\(ua", "↑"), ("\\(da", "↓"), ("\\(<-", "←"), ("\\(->", "→"), ("\\(aq", "'"), ("\\(dq", "\""),
                               ("\\(en", "–"), ("\\(em", "—"), ("\\(pc", "·"), ("\\-", "-"), ("\\&", ""), ("\\e", "\\"),
                               ("\\fB", ""), ("\\fI", ""), ("\\fR", ""), ("\\fP", ""), ("\\ ", " ")] {
            t = t.replacingOccurrences(of: escape, with: char)
        }
        return t
    }

    /// A line as text. A macro line gives its arguments (quotes dropped), run
    /// together for the macros that alternate fonts (`.BR a " b"`).
    static func text(_ line: String) -> String {
        guard line.hasPrefix(".") else { return unescape(line) }
        let macro = line.prefix { $0 != " " }
        var args: [String] = []
        var current = ""
        var quoted = false, any = false
        for ch in line.dropFirst(macro.count) {
            if ch == "\"" { quoted.toggle(); any = true; continue }
            if ch == " " && !quoted {
                if any || !current.isEmpty { args.append(current) }
                current = ""; any = false
                continue
            }
            current.append(ch)
        }
        if any || !current.isEmpty { args.append(current) }
        let alternating: Set<Substring> = [".BR", ".RB", ".IR", ".RI", ".BI", ".IB"]
        return args.map(unescape).joined(separator: alternating.contains(macro) ? "" : " ")
    }

    /// The lines from `.SH NAME` to the next `.SH`, as text.
    func section(_ name: String) -> String? { block(start: ".SH", name: name, ends: [".SH"]) }

    /// The same lines, as roff.
    func sectionSource(_ name: String) -> RoffPage? { rawBlock(start: ".SH", name: name, ends: [".SH"]).map { RoffPage(lines: $0) } }

    /// The lines from `.SS NAME` to the next `.SS` or `.SH`, as text.
    func subsection(_ name: String) -> String? { block(start: ".SS", name: name, ends: [".SS", ".SH"]) }

    private func rawBlock(start: String, name: String, ends: [String]) -> [String]? {
        guard let i = lines.firstIndex(where: { $0.hasPrefix(start + " ") && Self.text($0) == name }) else { return nil }
        let after = lines[(i + 1)...]
        let end = after.firstIndex { l in ends.contains { l.hasPrefix($0 + " ") } } ?? lines.endIndex
        return Array(lines[(i + 1)..<end])
    }

    private func block(start: String, name: String, ends: [String]) -> String? {
        rawBlock(start: start, name: name, ends: ends).map { $0.map(Self.text).joined(separator: "\n") }
    }

    /// The tag lines (the line after each `.TP`), as text; within `.SS subsection` when named.
    func tags(inSubsection name: String? = nil) -> [String] {
        let scope = name.flatMap { rawBlock(start: ".SS", name: $0, ends: [".SS", ".SH"]) } ?? (name == nil ? lines : [])
        return zip(scope, scope.dropFirst()).filter { $0.0 == ".TP" }.map { Self.text($0.1) }
    }

    /// `name` stands in `text` as a word of its own (not the start of a longer option or name).
    static func names(_ name: String, in text: String) -> Bool {
        var rest = Substring(text)
        while let r = rest.range(of: name) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            func partOfWord(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ?? false }
            if !partOfWord(before) && !partOfWord(after) { return true }
            rest = text[r.upperBound...]
        }
        return false
    }
}
