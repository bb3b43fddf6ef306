import ArgumentParser
import CoClickAPI
import Dashboard
import Foundation

/// The command tree the completion scripts are made from, and the one that
/// answers their `coclick ---completion …` calls: coclick's commands, with the
/// global options on the root too. `CommandLineShape` moves global options
/// written before the command to after it, which ArgumentParser's scripts do
/// not know; with the options on the root, the scripts read
/// `coclick --api-url URL meetings <TAB>` as `meetings` (and offer its
/// subcommands), and `coclick --profile <TAB>` offers profiles. It only
/// generates scripts and answers them: commands run under `Coclick`.
struct CompletionRoot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coclick",
        abstract: Coclick.configuration.abstract,
        version: BuildInfo.versionLine,
        subcommands: Coclick.configuration.subcommands,
        defaultSubcommand: DashboardCommand.self
    )

    @OptionGroup var global: GlobalOptions

    /// A completion script asking for values (`---completion …`), or
    /// ArgumentParser's own `--generate-completion-script`.
    static func answers(_ arguments: [String]) -> Bool {
        guard let first = arguments.first else { return false }
        return first == "---completion" || first == "--generate-completion-script"
            || first.hasPrefix("--generate-completion-script=")
    }
}

/// The values completion offers that depend on the user's files: profiles
/// from the config file, theme names, meeting ids from the cached list. They
/// run at every Tab, so they read only local files: never the network. They
/// print names and ids only, and only those a shell can take as typed (a
/// name with a space or a control character is left out).
enum ShellCompletion {
    /// The global options on the line being completed, before the word at
    /// `index` (which is being typed): `--profile work`, `--config=PATH`.
    static func globalOptions(in words: [String], before index: Int) -> GlobalOptions? {
        let words = Array(words.prefix(max(0, min(index, words.count))))
        var picked: [String] = []
        var i = 0
        while i < words.count {
            let word = words[i]
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            if CommandLineShape.valueOptions.contains(name) {
                if word.contains("=") {
                    picked.append(word)
                    i += 1
                    continue
                }
                // bash hands `--config=PATH` over as three words: `--config`, `=`, `PATH`.
                var j = i + 1
                if j < words.count, words[j] == "=" { j += 1 }
                if j < words.count { picked += [name, words[j]] }
                i = j + 1
            } else {
                if CommandLineShape.flagOptions.contains(word) { picked.append(word) }
                i += 1
            }
        }
        // A value that does not parse (`--timeout x`) leaves out the options, not the completion.
        return (try? GlobalOptions.parse(picked)) ?? (try? GlobalOptions.parse([]))
    }

    static func profiles(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let global = globalOptions(in: words, before: index) else { return [] }
        let env = ProcessInfo.processInfo.environment
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        let path = nonEmpty(global.config) ?? nonEmpty(env["COCLICK_CONFIG"]) ?? Settings.defaultConfigPath(env: env)
        guard let path, let file = try? ConfigFile.load(path: path, required: false, warn: { _ in }) else { return [] }
        return file.profiles.keys.filter(isWord).sorted()
    }

    static func themes(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        ThemeCatalog.loadLazily(userDirectory: DashboardSettings.defaultUserThemeDirectory()).names.filter(isWord)
    }

    /// The ids of the list the dashboard last saw for the account this line
    /// would use (its `--profile`, `--config`, `--api-url`, and the environment).
    static func meetingIDs(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let global = globalOptions(in: words, before: index),
              let settings = try? Settings.resolve(global, warn: { _ in }),
              let directory = ListCache.defaultDirectory() else { return [] }
        let account = AccountKey(apiURL: settings.apiURL.absoluteString, secretID: settings.credentials.secretID)
        return (ListCache(directory: directory, account: account).load()?.meetings.map(\.id) ?? []).filter(isWord)
    }

    /// Letters, digits and `-_.@+`: a word every shell takes as it is (bash
    /// would split one with `:`).
    static func isWord(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 200 && s.allSatisfy { $0.isLetter || $0.isNumber || "-_.@+".contains($0) }
    }
}
