import CoClickAPI
import Foundation
import TerminalText

/// The detail screen's content as lines of spans, independent of the
/// terminal: the reducer scrolls over it, the screen draws it. Every server
/// string is escaped here.
public enum DetailView {
    public static let labelWidth = 20

    public static func lines(for m: Meeting, loading: Bool, error: String?, now: Date, zone: TimeZone, width: Int) -> [[Span]] {
        var out: [[Span]] = []
        let valueWidth = max(10, width - labelWidth - 1)
        func esc(_ s: String?) -> String { s.map(SafeText.escape) ?? "—" }
        // Long values (URLs, tokens) wrap under their label so all of them can be read.
        func row(_ label: String, _ value: [Span]) {
            if value.count == 1, TextWidth.width(value[0].text) > valueWidth {
                for (i, piece) in TextWidth.chunks(value[0].text, valueWidth).enumerated() {
                    out.append([Span(pad(i == 0 ? label : "", labelWidth), .label), Span(piece, value[0].role)])
                }
            } else {
                out.append([Span(pad(label, labelWidth), .label)] + value)
            }
        }
        if let error { out.append([Span("Could not load the detail: " + SafeText.escape(error), .error)]) }
        if loading && !m.isDetail { out.append([Span("loading detail…", .dim)]) }
        row("token", [Span(SafeText.escape(m.id))])
        row("status", [Span(StatusWord.text(m.status.rawValue), .status(m.status)),
                       Span("  " + Countdown.text(status: m.status, startsAt: m.startsAt?.date, now: now), .dim)])
        if let s = m.startsAt {
            row("starts at (local)", [Span(APIDate.inZone(s.date, zone).text)])
            row("starts at (API)", [Span(s.text)])
        } else {
            row("starts at", [Span("—")])
        }
        row("owner", [Span(esc(m.user))])
        row("duration", [Span(m.duration.map { MeetingDuration.text(seconds: $0) } ?? "—")])
        guard m.isDetail else { return out }
        row("cobrowsing URL", [Span(esc(m.cobrowsingURL))])
        row("prospect room", [Span(esc(m.prospectRoomURL))])
        row("presenter room", [Span(esc(m.presenterRoomURL))])
        row("prospect iframe", [Span(esc(m.prospectWaitingRoomIframeURL))])
        row("presenter iframe", [Span(esc(m.presenterWaitingRoomIframeURL))])
        out.append([])
        let cookies = m.cookies ?? []
        out.append([Span("cookies (\(cookies.count))", .title)])
        if !cookies.isEmpty {
            let dw = min(30, max(6, cookies.map { TextWidth.width(SafeText.escape($0.domain)) }.max() ?? 0))
            let nw = min(24, max(4, cookies.map { TextWidth.width(SafeText.escape($0.name)) }.max() ?? 0))
            out.append([Span("  " + pad("domain", dw) + "  " + pad("name", nw) + "  value", .label)])
            for c in cookies {
                out.append([Span("  " + pad(SafeText.escape(c.domain), dw) + "  " + pad(SafeText.escape(c.name), nw) + "  " + SafeText.escape(c.value))])
            }
        }
        out.append([])
        out.append([Span("custom data", .title)])
        if let data = m.customData {
            for l in data.prettyText().split(separator: "\n", omittingEmptySubsequences: false) {
                out.append([Span("  " + SafeText.escape(String(l)))])
            }
        } else {
            out.append([Span("  —", .dim)])
        }
        return out
    }

    /// Pads with spaces to `n` characters (for ASCII labels and table columns).
    static func pad(_ s: String, _ n: Int) -> String { TextWidth.fit(s, n) }
}

/// The help overlay's lines, made from the keymap.
public enum HelpView {
    public static func lines(_ keymap: Keymap, problems: [String] = []) -> [[Span]] {
        var out: [[Span]] = []
        if !problems.isEmpty {
            out.append([Span("Configuration problems (defaults used)", .warning)])
            for p in problems {
                // Wrapped by words: the overlay is at most 64 columns wide.
                var line = ""
                for word in SafeText.escape(p).split(separator: " ") {
                    if !line.isEmpty, TextWidth.width(line) + 1 + TextWidth.width(String(word)) > 56 {
                        out.append([Span("  " + line, .warning)])
                        line = "  "
                    }
                    line += (line.isEmpty || line == "  " ? "" : " ") + word
                }
                if !line.isEmpty { out.append([Span("  " + line, .warning)]) }
            }
        }
        for section in keymap.helpSections() {
            if !out.isEmpty { out.append([]) }
            out.append([Span(section.title, .title)])
            for l in section.lines {
                out.append([Span("  " + DetailView.pad(l.keys, 22), .key), Span(l.summary)])
            }
        }
        return out
    }
}
