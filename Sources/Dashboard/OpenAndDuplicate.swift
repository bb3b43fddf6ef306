import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// How `o` / `O` open a room URL, decided once from the environment at start.
public enum Opener: Sendable, Hashable {
    /// Run this command (argv; `%s` is replaced by the URL, else the URL is appended).
    case command([String])
    /// Nothing here can show a browser: the URL is shown and copied instead.
    case unavailable(NoBrowser)

    /// `$BROWSER` (its first `:`-separated entry), else `xdg-open` when it is
    /// on PATH (`isExecutable`); none over ssh without `DISPLAY`/`WAYLAND_DISPLAY`.
    public static func detect(environment env: [String: String] = ProcessInfo.processInfo.environment,
                              isExecutable: (String) -> Bool) -> Opener {
        func set(_ k: String) -> Bool { !(env[k] ?? "").isEmpty }
        if let browser = env["BROWSER"], let first = browser.split(separator: ":").first {
            let argv = first.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if !argv.isEmpty { return .command(argv) }
        }
        let overSSH = set("SSH_CONNECTION") || set("SSH_CLIENT") || set("SSH_TTY")
        if overSSH, !set("DISPLAY"), !set("WAYLAND_DISPLAY") { return .unavailable(.overSSHWithoutDisplay) }
        return isExecutable("xdg-open") ? .command(["xdg-open"]) : .unavailable(.noProgram)
    }

    /// The argv that opens `url`.
    public func argv(for url: String) -> [String]? {
        guard case .command(let template) = self else { return nil }
        if template.contains(where: { $0.contains("%s") }) {
            return template.map { $0.replacing("%s", with: url) }
        }
        return template + [url]
    }
}

/// Why no browser can be run here.
public enum NoBrowser: Sendable, Hashable {
    /// Over ssh, no display and no `$BROWSER`: a browser could not be seen.
    case overSSHWithoutDisplay
    /// No `$BROWSER` and no `xdg-open` on PATH.
    case noProgram

    public var text: String {
        switch self {
        case .overSSHWithoutDisplay: return "No display over ssh to open a browser"
        case .noProgram: return "No browser (no $BROWSER, no xdg-open)"
        }
    }
}

extension Reducer {
    /// What `o`, `y`, `i` and `c` share: `act` on the selected meeting's
    /// detail, fetched first (saying `fetching`) when it is not loaded yet;
    /// the detail comes back with `purpose`, which does the same act.
    static func withDetail(_ state: inout AppState, id: String?, fetching: String, purpose: DetailPurpose,
                           _ act: (inout AppState, Meeting) -> [Effect]) -> [Effect] {
        guard let id else { say(&state, "No meeting selected", error: true); return [] }
        if let m = state.details[id] { return act(&state, m) }
        say(&state, fetching)
        return [.fetchDetail(id: id, purpose: purpose)]
    }

    static func openRequest(_ state: inout AppState, _ link: RoomLink, id: String?) -> [Effect] {
        withDetail(&state, id: id, fetching: "Fetching the \(link.label)…", purpose: .open(link)) { state, m in open(&state, link, from: m) }
    }

    static func open(_ state: inout AppState, _ link: RoomLink, from m: Meeting) -> [Effect] {
        guard let raw = link.url(in: m) else {
            say(&state, "Meeting \(SafeText.escape(m.shortID)) has no \(link.label)", error: true)
            return []
        }
        // Only web addresses go to a browser: a server string is never a file, a flag or a command.
        let lower = raw.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"),
              !raw.unicodeScalars.contains(where: { SafeText.needsEscape($0) || $0 == " " }) else {
            say(&state, "Not opened: the \(link.label) is not a web address: \(SafeText.escape(raw))", error: true)
            return []
        }
        switch state.opener {
        case .unavailable(let why):
            return copyInstead(&state, link, raw, because: why.text)
        case .command:
            guard let argv = state.opener.argv(for: raw) else { return [] }
            say(&state, "Opening the \(link.label) with \(SafeText.escape(argv[0]))…")
            return [.openURL(argv: argv, url: raw, link: link)]
        }
    }

    /// No browser opened the URL: it is shown and copied, so it can be opened
    /// by hand (over ssh, on the presenter's own machine); `because` says why.
    static func copyInstead(_ state: inout AppState, _ link: RoomLink, _ raw: String, because: String) -> [Effect] {
        if state.clipboardMode == .off {
            say(&state, "\(because): \(link.label): \(SafeText.escape(raw))", seconds: uncopiedURLSeconds)
            return []
        }
        say(&state, "\(because): copying the \(link.label)…", seconds: uncopiedURLSeconds)
        return [.copy(text: raw, label: link.label, because: because)]
    }

    /// `c`: the form, filled from a meeting, the start time empty and focused.
    static func duplicateRequest(_ state: inout AppState, id: String?) -> [Effect] {
        withDetail(&state, id: id, fetching: "Fetching the meeting to duplicate…", purpose: .duplicate, duplicate)
    }

    static func duplicate(_ state: inout AppState, _ m: Meeting) -> [Effect] {
        if state.form?.inFlight == true {
            say(&state, "A create is in flight: wait for its answer before duplicating", error: true)
            return []
        }
        state.form = MeetingForm(duplicating: m)
        state.screen = .form
        state.showHelp = false
        say(&state, "Duplicating meeting \(SafeText.escape(m.shortID)): type when it starts")
        return []
    }
}

extension MeetingForm {
    /// Every field of `m` but its start, which is empty and focused.
    public init(duplicating m: Meeting) {
        self.init()
        user = TextField(m.user ?? "")
        cobrowsingURL = TextField(m.cobrowsingURL ?? "")
        cookies = (m.cookies ?? []).map { c in
            var row = CookieRow()
            row.domain = TextField(c.domain)
            row.name = TextField(c.name)
            row.value = TextField(c.value)
            return row
        }
        // As the server wrote it (key order, big integers, 0.1000), so an
        // untouched field sends back exactly what the meeting holds.
        if let raw = m.customDataRaw ?? m.customData.map(RawJSON.init) {
            customData = TextField(raw.text(indent: 0))
        }
        presenterIframe = TextField(m.presenterWaitingRoomIframeURL ?? "")
        prospectIframe = TextField(m.prospectWaitingRoomIframeURL ?? "")
        focus = .startsAt
    }
}
