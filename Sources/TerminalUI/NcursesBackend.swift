import CNcurses
import CSignals
import Dashboard
#if canImport(Glibc)
import Glibc
import TerminalText
#endif

/// The only code that talks to ncurses: terminal setup and restore, colour
/// pairs, drawing a `CellBuffer` (only cells that changed), and key decoding.
@MainLoopActor
final class NcursesBackend {
    private var previous: CellBuffer?
    private var looks: [StyleRole: (attrs: attr_t, pair: Int16)] = [:]
    /// The same looks as SGR sequences, for text drawn around ncurses (hyperlinks).
    private var sgr: [StyleRole: String] = [:]
    private(set) var colorCount = 0
    private var active = false

    static var currentTerm: String { getenv("TERM").map { String(cString: $0) } ?? "" }

    /// A TERM refused before looking it up (`start` also refuses one without cursor addressing).
    static func refusedByName(_ term: String) -> Bool { term.isEmpty || term == "dumb" }

    /// Sets up the terminal; nil (with a reason) when it cannot be used.
    static func start() -> Result<NcursesBackend, TerminalFailure> {
        setlocale(LC_ALL, "")
        // Our handlers go in before newterm: ncurses only installs its own where
        // the action is SIG_DFL. They are async-signal-safe C (CSignals):
        // INT/TERM/HUP/QUIT and crash signals restore the terminal and die of
        // the signal (crashes and QUIT write a crash report first, see
        // CrashReporting); TSTP/CONT/WINCH are queued on a pipe for the main thread's loop.
        coclick_save_shell_mode()
        let fd = coclick_install_signal_handlers()
        let term = currentTerm
        let cannotAddress = "this terminal (TERM='\(SafeText.escape(term))') cannot move the cursor, and the dashboard needs that. For plain text use `coclick meetings list` (or `coclick next`); in a full terminal, set TERM to its type (e.g. xterm-256color)"
        if refusedByName(term) {
            return .failure(TerminalFailure(message: cannotAddress))
        }
        guard coclick_newterm() != nil else {
            return .failure(TerminalFailure(message: "cannot use the terminal (TERM='\(SafeText.escape(term))'): set TERM to a known type such as xterm-256color, or use `coclick meetings list`"))
        }
        guard coclick_can_address_cursor() != 0 else {
            endwin()
            return .failure(TerminalFailure(message: cannotAddress))
        }
        let b = NcursesBackend()
        b.signalFD = fd
        b.active = true
        cbreak()
        noecho()
        nonl()
        keypad(coclick_stdscr(), true)
        // Mouse reports come as plain characters to InputDecoder, not as KEY_MOUSE.
        _ = define_key("\u{1b}[<", 0)
        _ = define_key("\u{1b}[M", 0)
        // Bracketed paste's markers, as keys of their own (InputDecoder also reads them as characters).
        _ = define_key(InputDecoder.pasteStartText, pasteStartCode)
        _ = define_key(InputDecoder.pasteEndText, pasteEndCode)
        // Outside a UTF-8 locale get_wch drops what is not ASCII ("renée" reads
        // "ren"): bytes are read instead, and InputDecoder decodes their UTF-8.
        b.readsBytes = !Self.localeIsUTF8
        if b.readsBytes { meta(coclick_stdscr(), true) }
        nodelay(coclick_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        coclick_disable_flow_control()
        def_prog_mode()
        if has_colors() {
            start_color()
            use_default_colors()
            b.colorCount = Int(coclick_colors())
        }
        setRestoreSequence()
        // Pastes come marked, so their text is never taken for keys.
        b.writeRaw(bracketedPasteOn)
        coclick_set_active(1)
        atexit { restoreTerminalAtExit() }
        return .success(b)
    }

    /// The bytes that give the screen back, looked up now because terminfo
    /// must not be read inside a signal handler.
    /// `then`: bytes written after the screen is back (the saved window title's pop).
    private static func setRestoreSequence(then trailer: String = "") {
        // Mouse reports and bracketed paste off first (harmless when they were never on).
        var bytes: [CChar] = (mouseOff + bracketedPasteOff).utf8.map { CChar(bitPattern: $0) }
        for cap in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            guard let v = coclick_terminfo_string(cap) else { continue }
            var p = v
            while p.pointee != 0 { bytes.append(p.pointee); p += 1 }
        }
        bytes += trailer.utf8.map { CChar(bitPattern: $0) }
        coclick_set_restore_sequence(bytes, bytes.count)
    }

    /// A signal that ends the process (TERM, HUP, a crash) also writes `bytes`
    /// after giving the screen back, e.g. the pop of the title we pushed.
    func alsoOnSignalExit(write bytes: String) {
        Self.setRestoreSequence(then: bytes)
    }

    /// The read end of the signal self-pipe (-1 when it could not be made).
    private(set) var signalFD: Int32 = -1

    /// Signals the handlers queued since the last call, oldest first.
    func pendingSignals() -> [Int32] {
        var out: [Int32] = []
        while true {
            let s = coclick_next_signal()
            if s < 0 { break }
            out.append(s)
        }
        return out
    }

    /// True when stdin hung up (the terminal is gone): reading would spin.
    var inputGone: Bool { coclick_stdin_gone() != 0 }

    var size: (width: Int, height: Int) { (Int(coclick_cols()), Int(coclick_lines())) }

    /// After SIGWINCH: ask the kernel for the size and tell ncurses.
    func updateSize() -> (width: Int, height: Int) {
        var rows: Int32 = 0, cols: Int32 = 0
        if coclick_window_size(&rows, &cols) == 0 { resizeterm(rows, cols) }
        previous = nil
        clearok(coclick_stdscr(), true)
        return size
    }

    /// Ctrl-L: the next draw clears the terminal and sends every cell, as
    /// curses programs do (what ncurses believes is on screen may not be).
    func repaintAll() {
        guard active else { return }
        previous = nil
        clearok(coclick_stdscr(), true)
    }

    func apply(theme: Theme, depth: ColorDepth) {
        let resolved = theme.resolved(for: depth)
        looks = [:]
        for (i, role) in StyleRole.allCases.enumerated() {
            let s = resolved[role] ?? ResolvedStyle(fg: -1, bg: -1, bold: false, underline: false, reverse: false)
            var attrs = coclick_a_normal()
            if s.bold { attrs |= coclick_a_bold() }
            if s.underline { attrs |= coclick_a_underline() }
            if s.reverse { attrs |= coclick_a_reverse() }
            var pair: Int16 = 0
            if depth != .none, i + 1 < Int(coclick_color_pairs()) {
                pair = Int16(i + 1)
                init_pair(pair, Int16(clamping: s.fg), Int16(clamping: s.bg))
            }
            looks[role] = (attrs, pair)
            sgr[role] = Self.sgr(s, colours: depth != .none)
        }
        previous = nil
    }

    /// Draws what changed since the last frame; nothing at all when nothing did.
    func draw(_ buf: CellBuffer) {
        guard active else { return }
        let diff = CellDiff(from: previous, to: buf)
        if diff.isEmpty { return }
        if diff.clearFirst { werase(coclick_stdscr()) }
        for change in diff.changes { put(change.cell, x: change.x, y: change.y) }
        previous = buf
        wnoutrefresh(coclick_stdscr())
        doupdate()
        // ncurses knows no OSC 8: the diff's links go over the cells it just drew.
        if !diff.links.isEmpty { writeRaw(Self.hyperlinkBytes(diff.links, in: buf, sgr: sgr)) }
    }

    /// OSC 8 around the linked cells' own text, drawn where ncurses put it.
    /// ncurses keeps its own idea of the cursor and the current attributes
    /// and moves relative to it, so both are saved (DECSC) and given back
    /// (DECRC). A link continued on the next rows is written in one go and
    /// wrapped by the terminal, so a mouse selection over it copies one
    /// unbroken URL.
    nonisolated static func hyperlinkBytes(_ runs: [CellDiff.LinkRun], in buf: CellBuffer, sgr: [StyleRole: String]) -> String {
        var out = "\u{1B}7"
        for run in runs {
            guard let first = run.parts.first else { continue }
            out += "\u{1B}[\(first.y + 1);\(first.x + 1)H" + (sgr[buf[first.x, first.y].role] ?? "\u{1B}[0m")
            out += "\u{1B}]8;id=coclick-\(run.number);\(run.target)\u{1B}\\"
            for l in run.parts {
                for x in max(0, l.x)..<min(buf.width, l.x + l.width) where !buf[x, l.y].isContinuation {
                    out.unicodeScalars.append(contentsOf: drawable(buf[x, l.y].text))
                }
            }
            out += "\u{1B}]8;;\u{1B}\\"
        }
        return out + "\u{1B}[0m\u{1B}8"
    }

    /// SGR for a resolved style: attributes, then 8/16/256 colours.
    nonisolated static func sgr(_ s: ResolvedStyle, colours: Bool) -> String {
        var p = ["0"]
        if s.bold { p.append("1") }
        if s.underline { p.append("4") }
        if s.reverse { p.append("7") }
        if colours {
            func colour(_ c: Int, base: Int, bright: Int) -> String? {
                switch c {
                case ..<0: return nil
                case 0..<8: return "\(base + c)"
                case 8..<16: return "\(bright + c - 8)"
                default: return "\(base + 8);5;\(c)"
                }
            }
            if let f = colour(s.fg, base: 30, bright: 90) { p.append(f) }
            if let b = colour(s.bg, base: 40, bright: 100) { p.append(b) }
        }
        return "\u{1B}[" + p.joined(separator: ";") + "m"
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        let look = looks[cell.role] ?? (coclick_a_normal(), 0)
        var scalars = Self.drawable(cell.text)
        var shown = Int(TextWidth.scalarWidth(scalars[0]))
        if shown < 1 { scalars = [" "]; shown = 1 }
        var w = scalars.map { wchar_t(bitPattern: $0.value) }
        w.append(0)
        _ = coclick_put_cell(Int32(y), Int32(x), w, look.attrs, look.pair)
        // The cell is wider than what the terminal will draw (VS16 on a narrow base): pad it.
        if Int(cell.width) > shown {
            var pad: [wchar_t] = [32, 0]
            _ = coclick_put_cell(Int32(y), Int32(x + 1), &pad, look.attrs, look.pair)
        }
    }

    /// What to send for a cluster so the terminal's columns match ours: the
    /// base plus its combining marks; emoji sequences (ZWJ, VS16, flags) are
    /// cut to their first picture, since terminals disagree on their width.
    nonisolated static func drawable(_ text: String) -> [Unicode.Scalar] {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first else { return [" "] }
        if scalars.contains(where: { $0.value == 0x200D || $0.value == 0xFE0F }) || (0x1F1E6...0x1F1FF).contains(first.value) {
            return [first]
        }
        var out = [first]
        for s in scalars.dropFirst() where TextWidth.scalarWidth(s) == 0 && out.count < 5 { out.append(s) }
        return out
    }

    /// Every key waiting on stdin, mouse reports, pastes and resizes included.
    func readEvents() -> [TerminalEvent] {
        var raw: [InputDecoder.Raw] = []
        var ch: wint_t = 0
        while true {
            if readsBytes {
                let r = wgetch(coclick_stdscr())
                if r == ERR { break }
                if r >= KEY_MIN {
                    if let k = Self.rawKey(r) { raw.append(k) }
                } else {
                    raw.append(.byte(UInt8(truncatingIfNeeded: r)))
                }
            } else {
                let r = get_wch(&ch)
                if r == ERR { break }
                if r == coclick_key_code_yes() {
                    if let k = Self.rawKey(Int32(bitPattern: ch)) { raw.append(k) }
                } else {
                    raw.append(.char(UInt32(ch)))
                }
            }
            if raw.count > 4096 { break }
        }
        return decoder.decode(raw)
    }

    /// A key code ncurses decoded, as the decoder takes it.
    nonisolated static func rawKey(_ code: Int32) -> InputDecoder.Raw? {
        switch code {
        case KEY_MOUSE: return .mouseIntro
        case pasteStartCode: return .pasteStart
        case pasteEndCode: return .pasteEnd
        case coclick_key_resize(): return .resize
        default: return functionKey(code).map { .key($0) }
        }
    }

    /// Key codes of our own for the paste markers, far above ncurses' (and
    /// the ones it gives terminfo's extended keys).
    nonisolated static let pasteStartCode: Int32 = 0x6F00
    nonisolated static let pasteEndCode: Int32 = 0x6F01

    /// Read input as bytes (the locale is not UTF-8).
    private var readsBytes = false

    /// Whether the locale set at start reads UTF-8 (asked of the C library, which may have fallen back to C).
    static var localeIsUTF8: Bool {
        guard let p = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: p).lowercased()
        return name == "utf-8" || name == "utf8"
    }

    static let bracketedPasteOn = "\u{1b}[?2004h"
    static let bracketedPasteOff = "\u{1b}[?2004l"

    private var decoder = InputDecoder()
    private(set) var mouseOn = false

    /// xterm mouse reports in SGR form (1000: presses, releases and the
    /// wheel; 1006: decimal coordinates, so no column is out of range).
    /// ncurses is asked for no mouse: its own decoding of the terminal's
    /// `kmous` would take the reports away from our decoder.
    func setMouse(_ on: Bool) {
        guard active, on != mouseOn else { return }
        mouseOn = on
        writeRaw(on ? Self.mouseOn : Self.mouseOff)
    }

    static let mouseOn = "\u{1b}[?1000h\u{1b}[?1006h"
    static let mouseOff = "\u{1b}[?1006l\u{1b}[?1000l"

    nonisolated static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        default:
            let f = code - coclick_key_f0()
            if (1...24).contains(f) { return .function(Int(f)) }
            return nil
        }
    }

    /// Writes bytes straight to the terminal (OSC 52), after ncurses has flushed.
    func writeRaw(_ s: String) {
        var bytes = Array(s.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + off, $0.count - off) }
            if n <= 0 { break }
            off += n
        }
    }

    /// Ctrl-Z: give the terminal back and stop; returns once continued.
    func suspend() {
        guard active else { return }
        // The shell gets no mouse reports while we are stopped.
        let mouse = mouseOn
        setMouse(false)
        wantMouseOnResume = mouse
        writeRaw(Self.bracketedPasteOff)
        endwin()
        coclick_set_active(0)
        coclick_stop_self()
        resume()
    }

    /// After SIGCONT (our own Ctrl-Z, or a SIGSTOP from outside): the shell
    /// may have changed the tty modes meanwhile, so set ours again and
    /// redraw everything.
    func resume() {
        guard active else { return }
        reset_prog_mode()
        coclick_disable_flow_control()
        curs_set(0)
        coclick_set_active(1)
        previous = nil
        clearok(coclick_stdscr(), true)
        _ = updateSize()
        writeRaw(Self.bracketedPasteOn)
        if wantMouseOnResume { setMouse(true) }
    }

    private var wantMouseOnResume = false

    func end() {
        guard active else { return }
        setMouse(false)
        writeRaw(Self.bracketedPasteOff)
        active = false
        coclick_set_active(0)
        endwin()
    }
}

/// Safe to call more than once and from a signal or atexit handler.
private func restoreTerminalAtExit() {
    if !isendwin() { endwin() }
}

struct TerminalFailure: Error {
    var message: String
}
