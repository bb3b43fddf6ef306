import CoClickAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TerminalText

/// The detail screen's content as lines of spans, independent of the
/// terminal: the reducer scrolls over it, the screen draws it. Every server
/// string is escaped here.
public enum DetailView {
    public static let labelWidth = 20

    /// The rows as `geometry` lays them out: text in its detail width, a
    /// URL's continuation across the whole screen.
    public static func rows(for m: Meeting, loading: Bool, error: String?, now: Date, zone: TimeZone, geometry: ScreenGeometry) -> [DetailRow] {
        var out: [DetailRow] = []
        let width = geometry.detailTextWidth
        let valueWidth = max(10, width - labelWidth - 1)
        func esc(_ s: String?) -> String { s.map(SafeText.escape) ?? "—" }
        /// A URL: an OSC 8 link; when it does not fit beside its label it
        /// goes under it, from column 0 across the whole width, so a mouse
        /// selection over its lines copies it whole (no indent in between).
        func url(_ label: String, _ raw: String?) {
            let text = esc(raw)
            let link = raw.flatMap(Hyperlink.target)
            if TextWidth.width(text) <= valueWidth {
                out.append(DetailRow(spans: [Span(pad(label, labelWidth), .label), Span(text)], link: link))
                return
            }
            out.append(DetailRow(spans: [Span(label, .label)]))
            for piece in TextWidth.chunks(text, max(10, geometry.width)) {
                out.append(DetailRow(spans: [Span(piece)], flush: true, link: link))
            }
        }
        // Long values (URLs, tokens) wrap under their label so all of them can be read.
        func row(_ label: String, _ value: [Span]) {
            if value.count == 1, TextWidth.width(value[0].text) > valueWidth {
                for (i, piece) in TextWidth.chunks(value[0].text, valueWidth).enumerated() {
                    out.append(DetailRow([Span(pad(i == 0 ? label : "", labelWidth), .label), Span(piece, value[0].role)]))
                }
            } else {
                out.append(DetailRow([Span(pad(label, labelWidth), .label)] + value))
            }
        }
        if let error { out.append(DetailRow([Span("Could not load the detail: " + SafeText.escape(error), .error)])) }
        if loading && !m.isDetail { out.append(DetailRow([Span("loading detail…", .dim)])) }
        row("token", [Span(SafeText.escape(m.id))])
        row("status", [Span(StatusWord.text(m.status), .status(m.status)),
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
        url("cobrowsing URL", m.cobrowsingURL)
        url("prospect room", m.prospectRoomURL)
        url("presenter room", m.presenterRoomURL)
        row("prospect iframe", [Span(esc(m.prospectWaitingRoomIframeURL))])
        row("presenter iframe", [Span(esc(m.presenterWaitingRoomIframeURL))])
        out.append(DetailRow([]))
        let cookies = m.cookies ?? []
        out.append(DetailRow([Span("cookies (\(cookies.count))", .title)]))
        if !cookies.isEmpty {
            let dw = min(30, max(6, cookies.map { TextWidth.width(SafeText.escape($0.domain)) }.max() ?? 0))
            let nw = min(24, max(4, cookies.map { TextWidth.width(SafeText.escape($0.name)) }.max() ?? 0))
            out.append(DetailRow([Span("  " + pad("domain", dw) + "  " + pad("name", nw) + "  value", .label)]))
            for c in cookies {
                out.append(DetailRow([Span("  " + pad(SafeText.escape(c.domain), dw) + "  " + pad(SafeText.escape(c.name), nw) + "  " + SafeText.escape(c.value))]))
            }
        }
        out.append(DetailRow([]))
        out.append(DetailRow([Span("custom data", .title)]))
        // As the server wrote it when it is known: exact numbers, even past a double's range.
        if let text = m.customDataRaw.map({ $0.text(indent: 2) }) ?? m.customData?.prettyText() {
            for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
                out.append(DetailRow([Span("  " + SafeText.escape(String(l)))]))
            }
        } else {
            out.append(DetailRow([Span("  —", .dim)]))
        }
        return out
    }

    /// Pads with spaces to `n` characters (for ASCII labels and table columns).
    static func pad(_ s: String, _ n: Int) -> String { TextWidth.fit(s, n) }
}

/// One line of the detail screen.
public struct DetailRow: Sendable, Hashable {
    public var spans: [Span]
    /// Drawn from column 0 across the whole screen: a URL's continuation.
    public var flush: Bool
    /// The OSC 8 target of the row's last span (a URL), nil for none.
    public var link: String?

    public init(_ spans: [Span]) { self.init(spans: spans) }
    public init(spans: [Span], flush: Bool = false, link: String? = nil) {
        self.spans = spans
        self.flush = flush
        self.link = link
    }
}
