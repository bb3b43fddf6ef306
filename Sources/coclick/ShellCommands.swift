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
        var script = CompletionRoot.completionScript(for: kind)
        if shell == .bash { script += Self.bashWordJoin }
        Output.write(script, to: STDOUT_FILENO)
    }

    /// bash splits the words it hands a completion at `:` and `=`
    /// (COMP_WORDBREAKS), so `--api-url https://host:8443/api/v1` arrives as
    /// seven words, and ArgumentParser's script took the pieces for a command.
    /// This joins the pieces that touch on the line back into the word the
    /// shell passes to coclick, and runs ArgumentParser's function with those
    /// words (COMP_LINE stays as it is: the same text).
    static let bashWordJoin = #"""

    _coclick_joined_words() {
        local -a words=()
        local -i cword=0 i
        local line="${COMP_LINE}" rest word
        for (( i = 0; i < ${#COMP_WORDS[@]}; i++ )); do
            word="${COMP_WORDS[i]}"
            rest="${line#"${line%%[![:space:]]*}"}"
            if (( i > 0 && ${#words[@]} > 0 )) && [[ "${rest}" == "${line}" ]] \
                && [[ "${word}" == [:=]* || "${words[${#words[@]}-1]}" == *[:=] ]]; then
                words[${#words[@]}-1]+="${word}"
            else
                words+=("${word}")
            fi
            (( i == COMP_CWORD )) && cword=$(( ${#words[@]} - 1 ))
            line="${rest#"${word}"}"
        done
        COMP_WORDS=("${words[@]}")
        COMP_CWORD=${cword}
    }

    _coclick_whole_words() {
        local -a COMP_WORDS=("${COMP_WORDS[@]}")
        local COMP_CWORD="${COMP_CWORD}"
        _coclick_joined_words
        _coclick "${1}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    }

    complete -o filenames -F _coclick_whole_words coclick

    """#
}

/// `coclick man`: a manual page (roff), to install as README shows. The pages
/// are docs/man/coclick.1 and docs/man/coclick-config.5, carried in the binary
/// (`scripts/embed-man` writes ManualPages.swift from them; a test compares).
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "man",
        abstract: "Print a manual page (roff): coclick(1), or with --section 5 coclick-config(5).",
        discussion: """
        Install: mkdir -p ~/.local/share/man/man1 ~/.local/share/man/man5 && \
        coclick man > ~/.local/share/man/man1/coclick.1 && \
        coclick man --section 5 > ~/.local/share/man/man5/coclick-config.5; then: man coclick
        """
    )

    enum Section: String, ExpressibleByArgument, CaseIterable {
        case commands = "1", configFile = "5"
    }

    @Option(help: "1: coclick(1), the commands, keys, environment and files; 5: coclick-config(5), the config file.")
    var section: Section = .commands

    func run() throws {
        Output.write(ManualPages.text(section), to: STDOUT_FILENO)
    }
}

extension ManualPages {
    /// The page, its header naming this build's version.
    static func text(_ section: ManualCommand.Section) -> String {
        let page = (section == .commands ? coclick1 : coclickConfig5) + "\n"
        // The file's header says "coclick"; the printed page says which version.
        guard let end = page.firstIndex(of: "\n") else { return page }
        let header = page[..<end].replacingOccurrences(of: " \"coclick\" ", with: " \"coclick \(BuildInfo.version)\" ")
        return header + page[end...]
    }
}
