import TerminalText

/// The shape of coclick's command line before ArgumentParser sees it: global
/// options may come before the subcommand (`coclick --api-url U meetings
/// list`, as with git, gh and kubectl), and a mistyped command gets a
/// suggestion instead of the dashboard's usage.
enum CommandLineShape {
    /// Commands and their subcommands (an empty list: a leaf).
    static let commands: [(name: String, children: [String])] = [
        ("dashboard", []), ("demo", []), ("simulator", []), ("next", []),
        ("meetings", ["list", "show", "create"]), ("auth", ["check"]),
        ("completion", []), ("man", []), ("help", []),
    ]

    /// Global options that take a value, and global flags (see `GlobalOptionName`).
    static let valueOptions = Set(GlobalOptionName.valued.map { "--" + $0 })
    static let flagOptions = Set(GlobalOptionName.flags.map { "--" + $0 })

    struct Unknown: Error, Equatable {
        let message: String
    }

    /// `args` (without the program name) with leading global options moved
    /// after the subcommand path; or why the command is unknown.
    static func normalize(_ args: [String]) -> Result<[String], Unknown> {
        var globals: [String] = []
        var i = 0
        // Leading global options, with their values.
        while i < args.count {
            let a = args[i]
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            if valueOptions.contains(name) {
                if a.contains("=") {
                    globals.append(a); i += 1
                } else {
                    globals.append(a)
                    if i + 1 < args.count { globals.append(args[i + 1]) }
                    i += 2
                }
            } else if flagOptions.contains(a) {
                globals.append(a); i += 1
            } else {
                break
            }
        }
        let rest = Array(args[min(i, args.count)...])
        guard let first = rest.first else {
            // Only global options: the default command, the dashboard.
            return .success(globals.isEmpty ? [] : ["dashboard"] + globals)
        }
        if first.hasPrefix("-") {
            // --help, --version and the like belong to the root command; a
            // dashboard option (--refresh) goes to the default command.
            return .success(globals.isEmpty ? args : ["dashboard"] + globals + rest)
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            return .failure(Unknown(message: unknownMessage("command", first, among: commands.map(\.name))))
        }
        var path = [first]
        var j = 1
        if !command.children.isEmpty, j < rest.count, !rest[j].hasPrefix("-") {
            let sub = rest[j]
            guard command.children.contains(sub) else {
                return .failure(Unknown(message: unknownMessage("'\(first)' command", sub, among: command.children, prefix: "\(first) ")))
            }
            path.append(sub)
            j += 1
        }
        return .success(path + globals + Array(rest[j...]))
    }

    static func unknownMessage(_ what: String, _ typed: String, among names: [String], prefix: String = "") -> String {
        let shown = SafeText.escape(String(typed.prefix(80)))
        var message = "unknown \(what) '\(shown)'"
        if let near = suggestion(for: typed, among: names) {
            message += ". Did you mean '\(prefix)\(near)'?"
        } else {
            message += "; commands: \(names.filter { $0 != "help" }.joined(separator: ", "))"
        }
        return message + " (see 'coclick --help')"
    }

    /// The closest name within a small edit distance, or one `typed` is a prefix of.
    static func suggestion(for typed: String, among names: [String]) -> String? {
        let t = typed.lowercased()
        if let prefixed = names.first(where: { $0.hasPrefix(t) && t.count >= 2 }) { return prefixed }
        let scored = names.map { ($0, editDistance(t, $0)) }.min { $0.1 < $1.1 }
        guard let best = scored, best.1 <= max(1, min(3, best.0.count / 3)) else { return nil }
        return best.0
    }

    /// Damerau-Levenshtein (optimal string alignment) distance.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
