import CoClickAPI
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TerminalText

/// Where text goes: human text on stdout, diagnostics on stderr. Both are fit
/// for the terminal's charset (ASCII stand-ins and escapes under `LANG=C`).
#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

enum Output {
    static let charset = TerminalCharset.current

    static func line(_ s: String = "") {
        write(charset.fit(s) + "\n", to: STDOUT_FILENO)
    }

    static func warn(_ s: String) {
        write("coclick: " + charset.fit(s) + "\n", to: STDERR_FILENO)
    }

    /// Writes all of `text`. A reader that went away (`coclick ... | head`)
    /// ends the process as it ends `cat`: by SIGPIPE, quietly. (SwiftNIO
    /// ignores SIGPIPE, so the write fails with EPIPE instead; FileHandle's
    /// write would trap on that.) Other write errors (a full disk) end it
    /// with status 1, said on stderr.
    static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if n > 0 { bytes = bytes.dropFirst(n); continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EPIPE {
                signal(SIGPIPE, SIG_DFL)
                raise(SIGPIPE)
            }
            let reason = n < 0 ? String(cString: strerror(errno)) : "nothing was written"
            if fd != STDERR_FILENO { write("coclick: cannot write the output: \(reason)\n", to: STDERR_FILENO) }
            exit(1)
        }
    }

    /// One JSON document on stdout (our own small documents: auth check, `next --json`).
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        write(String(decoding: data, as: UTF8.self) + "\n", to: STDOUT_FILENO)
    }

    /// The server's JSON on stdout: its keys in its order, its numbers and
    /// dates as sent; pretty-printed, and `\u`-escaped under an ASCII locale.
    static func serverJSON(_ value: RawJSON) {
        write(value.text(indent: 2, asciiOnly: charset.isASCII) + "\n", to: STDOUT_FILENO)
    }

    /// A server string made safe for a terminal: `—` for a missing value,
    /// `""` for an empty one (so it does not read as missing).
    static func safe(_ s: String?) -> String {
        guard let s else { return Glyph.dash.rawValue }
        if s.isEmpty { return "\"\"" }
        return SafeText.escape(s)
    }

    /// Colour on stdout only when it is a terminal, `NO_COLOR` is unset or
    /// empty, and the terminal is not `dumb`.
    static let colour: Bool = {
        let env = ProcessInfo.processInfo.environment
        guard isatty(STDOUT_FILENO) == 1 else { return false }
        if let n = env["NO_COLOR"], !n.isEmpty { return false }
        return env["TERM"] != "dumb"
    }()

    /// `text` in an SGR style (e.g. "32" green, "1;33" bold yellow), when colour is on.
    static func styled(_ text: String, _ sgr: String?) -> String {
        guard colour, let sgr, !text.isEmpty else { return text }
        return "\u{1B}[\(sgr)m\(text)\u{1B}[0m"
    }
}

/// Reading a body the client already accepted, keeping it exact.
enum ServerJSON {
    static func parse(_ body: Data) throws -> RawJSON {
        do {
            return try RawJSON.parse(body)
        } catch {
            throw APIError.invalidResponse("the JSON cannot be printed unchanged: \(error.description)")
        }
    }
}
