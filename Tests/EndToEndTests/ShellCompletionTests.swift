import CoClickAPI
import Dashboard
import Foundation
import Testing

/// A shell that knows coclick: each completion script is valid in its shell,
/// and bash, driven as it is at a Tab, offers the values that belong there,
/// read from local files only.
@Suite("shell completion", .serialized)
struct ShellCompletionTests {
    /// The scripts `coclick completion SHELL` prints parse in their shells.
    @Test func everyScriptIsValidInItsShell() async throws {
        let dir = try makeTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (shell, check) in [("bash", ["-n"]), ("zsh", ["-n"]), ("fish", ["--no-execute"])] {
            let tool = try requireTool(shell)
            let r = try await runCoclick(["completion", shell])
            #expect(r.status == 0, "\(shell): \(r.stderr)")
            let script = dir.appendingPathComponent("coclick.\(shell)")
            try r.stdout.write(to: script, atomically: true, encoding: .utf8)
            let syntax = try #require(try await runTool(tool, check + [script.path], env: isolatedEnvironment(home: dir), timeout: 60))
            #expect(syntax.status == 0, "\(shell) \(check.joined()) \(script.path): \(syntax.err)")
            #expect(syntax.err.isEmpty, "\(shell): \(syntax.err)")
            // The global options are on the root of every script, so a value after them is read as theirs.
            #expect(r.stdout.contains("api-url") && r.stdout.contains("profile"), "\(shell)")
        }
    }

    /// A HOME with coclick on PATH, a config with two profiles (and a secret
    /// key, so 0600), and the cached lists of two accounts; the API URL is a
    /// server that never answers, to count connections.
    struct Scene {
        let home: URL
        let silent: SilentServer
        var env: [String: String]
        let ids = ["7f3a9c21-5b", "81bb04e6-aa"]
        let secretKey = "s3cret-key-never-printed"

        init() throws {
            home = try makeTempDirectory()
            silent = try SilentServer()
            env = isolatedEnvironment(home: home)
            env["COCLICK_API_URL"] = silent.baseURL
            env["COCLICK_SECRET_ID"] = "completion-id"
            env["COCLICK_SECRET_KEY"] = secretKey

            // coclick on PATH under its own name, as the scripts call it.
            let bin = home.appendingPathComponent("bin")
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("coclick"), withDestinationURL: CoclickBinary.url)
            env["PATH"] = bin.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")

            let configDir = home.appendingPathComponent("config/coclick")
            try FileManager.default.createDirectory(at: configDir, withIntermediateDirectories: true)
            let config = configDir.appendingPathComponent("config.toml")
            try """
                secret_key = "\(secretKey)"
                [profiles.work]
                theme = "light"
                [profiles.staging]
                api_url = "https://staging.example.com/api/v1"
                secret_key = "\(secretKey)-staging"
                """.write(to: config, atomically: true, encoding: .utf8)
            chmod(config.path, 0o600)

            // The list the dashboard last saw for this account, with one id a
            // shell cannot take as typed; and another account's list.
            let cacheDir = home.appendingPathComponent("cache/coclick")
            let account = AccountKey(apiURL: try APIEndpoint.baseURL(silent.baseURL).absoluteString, secretID: "completion-id")
            let meetings = (ids + ["evil\u{1b}]0;x\u{7}"]).map { Meeting(id: $0, user: "ada@example.com", status: .scheduled, startsAt: nil) }
            try ListCache(directory: cacheDir, account: account).save(CachedList(savedAt: Date(), meetings: meetings, hasMore: false))
            let other = AccountKey(apiURL: "https://other.example.com/api/v1", secretID: "someone-else")
            try ListCache(directory: cacheDir, account: other).save(CachedList(
                savedAt: Date(), meetings: [Meeting(id: "0ther-account", user: nil, status: .closed, startsAt: nil)], hasMore: false))
        }

        func end() {
            silent.close()
            try? FileManager.default.removeItem(at: home)
        }
    }

    /// bash, as it runs a completion at a Tab (COMP_WORDS, COMP_CWORD,
    /// COMP_LINE, COMP_POINT, then the function `complete -p coclick` names),
    /// with bash-completion loaded as in an interactive shell.
    @Test func bashCompletesStatusesSubcommandsIDsAndProfiles() async throws {
        let bash = try requireTool("bash")
        let bashCompletion = "/usr/share/bash-completion/bash_completion"
        try #require(FileManager.default.fileExists(atPath: bashCompletion),
                     "bash-completion is not installed (\(bashCompletion)): apt-get install bash-completion, as .ci/run does")
        let scene = try Scene()
        defer { scene.end() }
        let (home, env, ids, secretKey, silent) = (scene.home, scene.env, scene.ids, scene.secretKey, scene.silent)
        let script = home.appendingPathComponent("coclick.bash")
        try (try await runCoclick(["completion", "bash"])).stdout.write(to: script, atomically: true, encoding: .utf8)
        let driver = home.appendingPathComponent("driver.bash")
        try #"""
            source "$1" || exit 1
            source "$2" || exit 1
            spec=$(complete -p coclick) || { echo "no completion registered for coclick" >&2; exit 1; }
            fn=${spec##*-F }; fn=${fn%% *}
            # The line as bash splits it: at blanks, and at `:` and `=` (COMP_WORDBREAKS).
            tab() {
                COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=()
                local token; local -a tokens; read -ra tokens <<< "$COMP_LINE"
                for token in "${tokens[@]}"; do
                    while [[ "$token" =~ ^([^:=]*)([:=]+)(.*)$ ]]; do
                        [[ -n "${BASH_REMATCH[1]}" ]] && COMP_WORDS+=("${BASH_REMATCH[1]}")
                        COMP_WORDS+=("${BASH_REMATCH[2]}"); token="${BASH_REMATCH[3]}"
                    done
                    [[ -n "$token" ]] && COMP_WORDS+=("$token")
                done
                [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
                COMPREPLY=()
                "$fn" coclick "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                printf '== %s\n' "$1"
                printf '%s\n' "${COMPREPLY[@]}"
            }
            tab 'coclick meetings list --status '
            tab 'coclick --api-url x meetings '
            tab 'coclick --api-url https://api.example.com:8443/api/v1 --timeout 5 meetings '
            tab 'coclick meetings show '
            tab 'coclick --profile '
            tab 'coclick --theme '
            tab 'coclick --profile staging --api-url=http://127.0.0.1:1/api/v1 meetings show '
            """#.write(to: driver, atomically: true, encoding: .utf8)
        let r = try #require(try await runTool(bash, [driver.path, bashCompletion, script.path], env: env, timeout: 120))
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.isEmpty, "\(r.err)")
        var offered: [String: Set<String>] = [:]
        var current = ""
        for line in r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("== ") { current = String(line.dropFirst(3)); offered[current] = [] } else if !line.isEmpty { offered[current, default: []].insert(line) }
        }
        #expect(offered["coclick meetings list --status "] == Set(MeetingStatus.documented.map(\.rawValue)), "\(r.out)")
        // The subcommands of meetings (and its flags), not the top-level commands.
        func words(_ line: String) -> Set<String>? { offered[line].map { $0.filter { !$0.hasPrefix("-") } } }
        #expect(words("coclick --api-url x meetings ") == ["list", "show", "create"], "\(r.out)")
        #expect(words("coclick --api-url https://api.example.com:8443/api/v1 --timeout 5 meetings ") == ["list", "show", "create"], "\(r.out)")
        #expect(offered["coclick meetings show "] == Set(ids), "\(r.out)")
        #expect(offered["coclick --profile "] == ["work", "staging"], "\(r.out)")
        #expect(offered["coclick --theme "].map { Set(ThemeCatalog.shippedOrder).isSubset(of: $0) } == true, "\(r.out)")
        // Another account (the staging profile at another URL) has no list cached.
        #expect(offered["coclick --profile staging --api-url=http://127.0.0.1:1/api/v1 meetings show "] == [], "\(r.out)")
        #expect(!r.out.contains(secretKey))
        #expect(silent.drainConnections() == 0, "a completion connected to the API")
    }

    /// fish, as it completes a line (`complete -C`), after global options.
    /// (Values from coclick itself need an interactive fish: its script asks
    /// `commandline` for the cursor, which `fish -c` cannot answer.)
    @Test func fishCompletesAfterGlobalOptions() async throws {
        let fish = try requireTool("fish")
        let scene = try Scene()
        defer { scene.end() }
        let script = scene.home.appendingPathComponent("coclick.fish")
        try (try await runCoclick(["completion", "fish"])).stdout.write(to: script, atomically: true, encoding: .utf8)
        var offered: [String: Set<String>] = [:]
        let lines = ["coclick --api-url https://api.example.com:8443/api/v1 meetings ", "coclick --profile work --timeout 5 meetings ",
                     "coclick meetings list --status ", "coclick --theme light meetings list --status "]
        for line in lines {
            let r = try #require(try await runTool(fish, ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script.path, line],
                                                   env: scene.env, timeout: 120))
            #expect(r.status == 0 && r.err.isEmpty, "\(line): \(r.err)")
            // "value<TAB>description"
            offered[line] = Set(r.out.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) })
        }
        #expect(offered[lines[0]] == ["list", "show", "create"], "\(offered)")
        #expect(offered[lines[1]] == ["list", "show", "create"], "\(offered)")
        #expect(offered[lines[2]] == Set(MeetingStatus.documented.map(\.rawValue)), "\(offered)")
        #expect(offered[lines[3]] == Set(MeetingStatus.documented.map(\.rawValue)), "\(offered)")
    }

    /// zsh and fish, interactive in tmux, at a real Tab: after global
    /// options, and the values coclick itself answers (profiles, ids).
    @Test func zshAndFishCompleteAtATab() async throws {
        let zsh = try requireTool("zsh")
        let fish = try requireTool("fish")
        #expect(Pane.available, "tmux is not installed")
        let scene = try Scene()
        defer { scene.end() }
        let zfunc = scene.home.appendingPathComponent("zfunc")
        try FileManager.default.createDirectory(at: zfunc, withIntermediateDirectories: true)
        try (try await runCoclick(["completion", "zsh"])).stdout.write(to: zfunc.appendingPathComponent("_coclick"), atomically: true, encoding: .utf8)
        try "fpath=(\(zfunc.path) $fpath)\nautoload -Uz compinit && compinit -u\nPS1='READY$ '\n"
            .write(to: scene.home.appendingPathComponent(".zshrc"), atomically: true, encoding: .utf8)
        let fishScript = scene.home.appendingPathComponent("coclick.fish")
        try (try await runCoclick(["completion", "fish"])).stdout.write(to: fishScript, atomically: true, encoding: .utf8)
        var env = scene.env
        env["ZDOTDIR"] = scene.home.path
        let shells = [
            ("zsh", "exec \(zsh) -i"),
            ("fish", "exec \(fish) --no-config -C \(Pane.quote("function fish_prompt; echo 'READY$ '; end; source \(fishScript.path)"))"),
        ]
        // Ctrl-C, then an empty prompt before the next line is typed: typed at once,
        // the next line can land behind the old one while the shell still shows its menu.
        func clearLine(_ pane: Pane, _ shell: String) async throws {
            try await pane.keys("C-c")
            _ = try await pane.waitForScreen("\(shell): an empty prompt", timeout: 60) { screen in
                screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?
                    .trimmingCharacters(in: .whitespaces) == "READY$"
            }
        }
        for (shell, command) in shells {
            try await Pane.with(width: 160, height: 30, command: command, env: env) { pane in
                try await pane.waitFor("READY$", timeout: 60)
                try await pane.type("coclick --api-url https://api.example.com:8443/api/v1 meetings ")
                try await pane.keys("Tab")
                let after = try await pane.waitForScreen("\(shell): meetings' subcommands", timeout: 60) { $0.contains("create") && $0.contains("show") }
                #expect(!after.contains("simulator"), "\(shell): top-level commands offered after a global option:\n\(after)")
                try await clearLine(pane, shell)
                try await pane.type("coclick --profile ")
                try await pane.keys("Tab")
                try await pane.waitForScreen("\(shell): profiles", timeout: 60) { $0.contains("staging") && $0.contains("work") }
                try await clearLine(pane, shell)
                try await pane.type("coclick meetings show ")
                try await pane.keys("Tab")
                let ids = try await pane.waitForScreen("\(shell): ids", timeout: 60) { s in scene.ids.allSatisfy { s.contains($0) } }
                #expect(!ids.contains("0ther-account") && !ids.contains(scene.secretKey), "\(shell):\n\(ids)")
            }
        }
        #expect(scene.silent.drainConnections() == 0, "a completion connected to the API")
    }

    /// A completion reads local files only: it never connects to the API.
    @Test func completionNeverCallsTheAPI() async throws {
        let silent = try SilentServer()
        defer { silent.close() }
        let env = ["COCLICK_API_URL": silent.baseURL, "COCLICK_SECRET_ID": "id", "COCLICK_SECRET_KEY": "key-never-printed"]
        let r = try await runCoclick(["---completion", "meetings", "show", "--", "positional@0", "3", "0", "coclick", "meetings", "show", ""],
                                     env: env, timeout: 30)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        #expect(!r.stdout.contains("key-never-printed"))
        #expect(silent.drainConnections() == 0)
    }
}
