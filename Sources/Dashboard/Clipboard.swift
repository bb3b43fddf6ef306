import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How copies reach the clipboard: `clipboard` in the config file,
/// `COCLICK_CLIPBOARD` in the environment. One type for the CLI and the dashboard.
public enum ClipboardMode: Sendable, Hashable {
    /// Pick the way that works where coclick runs (see `ClipboardRoute.choose`).
    case auto
    /// Plain OSC 52, never wrapped.
    case osc52
    /// OSC 52 in tmux passthrough (`ESC Ptmux; … ESC \`; tmux needs `allow-passthrough on`).
    case tmux
    /// OSC 52 in GNU screen's passthrough (`ESC P … ESC \`, in chunks screen accepts).
    case screen
    /// Run a program (with `/bin/sh -c`) and write the text to its stdin.
    case command(String)
    /// Nothing is copied: the URL is only shown.
    case off

    /// The values a user may write, for messages and help.
    public static let choices = "auto, osc52, tmux, screen, off, command:<program>"

    /// Parses a config or environment value: a keyword (any case) or
    /// `command:<program>` (the program as written). nil when it is neither.
    public init?(parsing text: String) {
        let t = text.trimmed
        if t.lowercased().hasPrefix("command:") {
            let program = t.dropFirst("command:".count).trimmed
            guard !program.isEmpty else { return nil }
            self = .command(program)
            return
        }
        switch t.lowercased() {
        case "auto": self = .auto
        case "osc52": self = .osc52
        case "tmux": self = .tmux
        case "screen": self = .screen
        case "off": self = .off
        default: return nil
        }
    }
}

/// A program that takes the text to copy on its stdin.
public struct ClipboardProgram: Sendable, Hashable {
    /// argv; `arguments[0]` is looked up in PATH.
    public var arguments: [String]
    /// What the message names: "Copied … (xclip)".
    public var name: String

    public init(arguments: [String], name: String) {
        self.arguments = arguments
        self.name = name
    }

    /// `command:<program>`: run by the shell, named by its first word.
    public static func shell(_ program: String) -> ClipboardProgram {
        let first = program.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? program
        let name = first.split(separator: "/").last.map(String.init) ?? first
        return ClipboardProgram(arguments: ["/bin/sh", "-c", program], name: name)
    }
}

/// The way one copy goes out, chosen from the mode and where coclick runs.
public enum ClipboardRoute: Sendable, Hashable {
    /// An escape sequence to the terminal: nothing can confirm it arrived.
    case terminal(OSC52.Envelope)
    /// `tmux load-buffer -w -` when tmux is 3.2 or later (it fills tmux's
    /// buffer and forwards it with tmux's own OSC 52, which tmux's default
    /// `set-clipboard external` allows); OSC 52 in passthrough before 3.2.
    case tmuxBuffer
    /// A program with the text on stdin; its exit status confirms the copy.
    case program(ClipboardProgram)
    /// Nothing goes out.
    case none

    /// The route for `mode`. For `auto`, in this order: inside tmux (`$TMUX`),
    /// inside GNU screen (`$STY`), a local graphical session (`WAYLAND_DISPLAY`
    /// or `DISPLAY` and no `SSH_CONNECTION`) with `wl-copy`, `xclip` or `xsel`
    /// on PATH, else plain OSC 52. `isExecutable` answers
    /// whether a program of that name is on PATH.
    public static func choose(
        mode: ClipboardMode, environment env: [String: String],
        isExecutable: (String) -> Bool
    ) -> ClipboardRoute {
        switch mode {
        case .off: return .none
        case .osc52: return .terminal(.plain)
        case .tmux: return .terminal(.tmux)
        case .screen: return .terminal(.screen)
        case .command(let program): return .program(.shell(program))
        case .auto: break
        }
        func set(_ name: String) -> Bool { !(env[name] ?? "").isEmpty }
        // tmux first: load-buffer reaches tmux through its socket, so it works
        // whichever of tmux and screen is inside the other.
        if set("TMUX") { return .tmuxBuffer }
        if set("STY") { return .terminal(.screen) }
        if !set("SSH_CONNECTION") {
            if set("WAYLAND_DISPLAY"), isExecutable("wl-copy") {
                return .program(ClipboardProgram(arguments: ["wl-copy"], name: "wl-copy"))
            }
            if set("DISPLAY") {
                if isExecutable("xclip") {
                    return .program(ClipboardProgram(arguments: ["xclip", "-selection", "clipboard"], name: "xclip"))
                }
                if isExecutable("xsel") {
                    return .program(ClipboardProgram(arguments: ["xsel", "--clipboard", "--input"], name: "xsel"))
                }
            }
        }
        return .terminal(.plain)
    }

    /// The program for `tmuxBuffer` on a tmux that can forward its buffer.
    public static let tmuxLoadBuffer = ClipboardProgram(arguments: ["tmux", "load-buffer", "-w", "-"], name: "tmux buffer")

    /// True when `tmux -V` output names a tmux with `load-buffer -w` (3.2 or
    /// later). Development builds (`tmux master`, `tmux next-3.4`) count as new.
    public static func tmuxCanForwardBuffer(versionOutput: String) -> Bool {
        let words = versionOutput.split(whereSeparator: \.isWhitespace)
        guard words.count >= 2, words[0] == "tmux" else { return false }
        var v = Substring(words[1])
        if v.hasPrefix("next-") { v = v.dropFirst("next-".count) }
        let digits = v.split(separator: ".", maxSplits: 1)
        guard let major = Int(digits[0].prefix(while: \.isNumber)), !digits[0].isEmpty else {
            return v == "master"
        }
        let minor = digits.count > 1 ? Int(digits[1].prefix(while: \.isNumber)) ?? 0 : 0
        return major > 3 || (major == 3 && minor >= 2)
    }
}

/// Clipboard copies through the terminal: `ESC ] 52 ; c ; <base64> BEL`.
/// Only base64 goes between the delimiters, so the copied text can never
/// act on the terminal.
public enum OSC52 {
    /// How the sequence is wrapped for a multiplexer between coclick and the terminal.
    public enum Envelope: Sendable, Hashable {
        /// As is: the terminal, or tmux with `set-clipboard on`.
        case plain
        /// tmux passthrough: `ESC Ptmux;` + the sequence with each ESC doubled + `ESC \`.
        case tmux
        /// GNU screen passthrough: the sequence cut into `ESC P … ESC \` strings
        /// of at most `screenChunkLimit` bytes each; screen writes their
        /// contents to the terminal, one after the other.
        case screen
    }

    /// screen keeps at most 768 bytes of a DCS string (its MAXSTR) and drops the rest.
    public static let screenChunkLimit = 768

    /// The bytes to write to the terminal.
    public static func sequence(for text: String, envelope: Envelope) -> String {
        envelope.wrap("\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}")
    }
}

extension OSC52.Envelope {
    /// `sequence` (an escape sequence, all ASCII but for what it carries) as the
    /// multiplexer passes it on to the terminal: copies and reminders alike.
    public func wrap(_ sequence: String) -> String {
        switch self {
        case .plain:
            return sequence
        case .tmux:
            return "\u{1B}Ptmux;" + sequence.replacing("\u{1B}", with: "\u{1B}\u{1B}") + "\u{1B}\\"
        case .screen:
            // Cut between UTF-8 sequences; 4 bytes of each chunk are `ESC P` and `ESC \`.
            let bytes = Array(sequence.utf8)
            let room = OSC52.screenChunkLimit - 4
            var out = ""
            var i = 0
            while i < bytes.count {
                var end = min(i + room, bytes.count)
                while end < bytes.count, end > i + 1, bytes[end] & 0xC0 == 0x80 { end -= 1 }
                out += "\u{1B}P" + String(decoding: bytes[i..<end], as: UTF8.self) + "\u{1B}\\"
                i = end
            }
            return out
        }
    }
}
