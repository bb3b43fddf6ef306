import ArgumentParser
import Foundation

/// `coclick completion bash|zsh|fish`: the completion script, to install as README shows.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
        bash: coclick completion bash > ~/.local/share/bash-completion/completions/coclick
        zsh:  coclick completion zsh > ~/.zfunc/_coclick   (with fpath+=(~/.zfunc) before compinit)
        fish: coclick completion fish > ~/.config/fish/completions/coclick.fish
        """
    )

    enum Shell: String, ExpressibleByArgument, CaseIterable {
        case bash, zsh, fish
    }

    @Argument(help: "bash, zsh or fish.")
    var shell: Shell

    func run() throws {
        let kind: CompletionShell
        switch shell {
        case .bash: kind = .bash
        case .zsh: kind = .zsh
        case .fish: kind = .fish
        }
        Output.write(Coclick.completionScript(for: kind), to: STDOUT_FILENO)
    }
}

/// `coclick man`: the manual page (roff), to install as README shows.
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "man",
        abstract: "Print the manual page coclick.1 (roff).",
        discussion: "Install: mkdir -p ~/.local/share/man/man1 && coclick man > ~/.local/share/man/man1/coclick.1; then: man coclick"
    )

    func run() throws {
        Output.write(ManualPage.text(), to: STDOUT_FILENO)
    }
}

/// coclick.1, made from the commands' own help so it never drifts from them.
enum ManualPage {
    static let sections: [(String, ParsableCommand.Type)] = [
        ("coclick", DashboardCommand.self),
        ("coclick demo", DemoCommand.self),
        ("coclick meetings list", ListMeetings.self),
        ("coclick meetings show", ShowMeeting.self),
        ("coclick meetings create", CreateMeeting.self),
        ("coclick next", NextCommand.self),
        ("coclick auth check", AuthCheck.self),
        ("coclick simulator", SimulatorCommand.self),
        ("coclick completion", CompletionCommand.self),
        ("coclick man", ManualCommand.self),
    ]

    static func text() -> String {
        var out = """
        .TH COCLICK 1 "" "coclick \(BuildInfo.version)" "User Commands"
        .SH NAME
        coclick \\- terminal dashboard and command-line client for the CoClick co-browsing meeting API
        .SH SYNOPSIS
        .B coclick
        [\\fIGLOBAL OPTIONS\\fR] [\\fICOMMAND\\fR] [\\fIOPTIONS\\fR]
        .SH DESCRIPTION
        Without a command, coclick opens the dashboard: the schedule from today on, with live countdowns,
        meeting details, room links to copy and a form to create meetings.
        The commands print tables for people and, with \\fB\\-\\-json\\fR, the server's JSON unchanged for scripts.
        Global options (\\fB\\-\\-api\\-url\\fR, \\fB\\-\\-config\\fR, \\fB\\-\\-timeout\\fR, \\fB\\-\\-log\\-file\\fR, \\fB\\-\\-theme\\fR)
        go before or after the command.
        .SH COMMANDS

        """
        for (name, type) in sections {
            out += ".SS \(roff(name))\n"
            out += roff(type.configuration.abstract) + "\n"
            out += ".PP\n.nf\n"
            let help = type.helpMessage(columns: 78)
            for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
                out += roff(String(line)) + "\n"
            }
            out += ".fi\n"
        }
        out += """
        .SH ENVIRONMENT
        .TP
        .B COCLICK_API_URL
        API base URL (default https://www.coclick.io/api/v1).
        .TP
        .B COCLICK_SECRET_ID, COCLICK_SECRET_KEY
        The API key. The secret key is never accepted on the command line.
        .TP
        .B COCLICK_CONFIG
        Config file (default $XDG_CONFIG_HOME/coclick/config.toml).
        .TP
        .B COCLICK_THEME, COCLICK_CLIPBOARD
        Theme and clipboard mode: auto (tmux's buffer inside tmux, screen passthrough inside GNU screen, wl-copy, xclip, xsel or pbcopy on a local desktop, else OSC 52), osc52, tmux, screen, off, or command:PROGRAM (run by /bin/sh with the URL on its stdin).
        .TP
        .B TZ
        The zone times are shown in, as the C library reads it: a zone name (Europe/Paris or :Europe/Paris), a path to a zone file, or a POSIX rule (JST\\-9, CET\\-1CEST,M3.5.0,M10.5.0/3). One that cannot be read is named as unknown, and times are UTC.
        .TP
        .B NO_COLOR
        Any non-empty value turns colour off.
        .TP
        .B LANG, LC_ALL, LC_CTYPE
        A locale that is not UTF-8 (e.g. LANG=C) gets ASCII only: stand-ins for every symbol, other characters escaped.
        .SH FILES
        .TP
        .I $XDG_CONFIG_HOME/coclick/config.toml
        Settings; refused when it holds secret_key and group or others can read it.
        .TP
        .I $XDG_CONFIG_HOME/coclick/themes/*.toml
        User themes.
        .TP
        .I $XDG_STATE_HOME/coclick/
        Drafts of the create form (0600).
        .SH EXIT STATUS
        0 success, 1 network or server error, 2 usage error, 3 authentication failed (401),
        4 not found (404), 5 validation failed.
        .SH SEE ALSO
        coclick completion \\-\\-help, https://www.coclick.io

        """
        return out
    }

    /// Text safe inside roff: backslashes doubled, hyphens as \-, no line starting with a control character.
    static func roff(_ s: String) -> String {
        var t = s.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        if t.hasPrefix(".") || t.hasPrefix("'") { t = "\\&" + t }
        return t
    }
}
