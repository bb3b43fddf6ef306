import TerminalText

/// The help overlay's lines, made from the keymap.
public enum HelpView {
    /// `charset`: the keys are padded as they will be drawn (under `LANG=C`
    /// "↑" is drawn "Up", and the summaries must still line up).
    public static func lines(_ keymap: Keymap, problems: [String] = [], charset: TerminalCharset = .utf8) -> [[Span]] {
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
                out.append([Span("  " + DetailView.pad(charset.fit(l.keys), 22), .key), Span(l.summary)])
            }
        }
        return out
    }
}
