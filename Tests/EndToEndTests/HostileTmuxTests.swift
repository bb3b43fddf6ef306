import Foundation
import Testing

@_silgen_name("wcwidth")
private func c_wcwidth(_ c: Int32) -> Int32

/// Columns a line takes on the terminal (glibc's widths, as tmux uses them).
func displayWidth(_ s: Substring) -> Int {
    _ = setlocale(LC_CTYPE, "C.UTF-8")
    return s.unicodeScalars.reduce(0) { $0 + max(0, Int(c_wcwidth(Int32(bitPattern: $1.value)))) }
}

/// What data must never do to the terminal: raw control bytes on screen, a
/// title set by OSC 0, or the clipboard set by the fixture's OSC 52.
func expectNoRawControls(_ pane: Pane, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let text = try await pane.capture()
    let raw = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
    #expect(raw.isEmpty, "\(context): raw control characters in the pane", sourceLocation: sourceLocation)
    let title = try await pane.format("#{pane_title}")
    #expect(!title.contains("pwned") && !title.contains("title"), "\(context): the title was set to \(title)", sourceLocation: sourceLocation)
    let clip = try await pane.clipboard() ?? ""
    #expect(!clip.contains("hacked"), "\(context): the clipboard was set by data", sourceLocation: sourceLocation)
}

@Suite("Hostile data in a real terminal", .serialized)
struct HostileTmuxTests {
    @Test func listAndEveryDetailShowEscapesAlignedAndNeverTouchTheClipboard() async throws {
        // `set-clipboard on`: tmux then takes an OSC 52 from the pane into its
        // buffer, so one hidden in the data would show in `show-buffer`.
        try await Pane.with(width: 120, height: 45, command: SignalTests.script("demo --fixture hostile --per 100"),
                            tmuxOptions: ["set -g set-clipboard on"]) { pane in
            try await pane.waitFor("evil\\x1b[2J")
            try await expectNoRawControls(pane, "list")
            let screen = try await pane.capture()
            #expect(screen.contains("\\u202emoc.elpmaxe"))
            #expect(screen.contains("日本語ユーザー@example.com"))
            // The ID column: every meeting row ends with its 8-hex short id at the same column.
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            let header = try #require(lines.first { $0.contains("OWNER") && $0.hasSuffix("ID") })
            let idColumn = displayWidth(header) - 2
            let rows = lines.filter { $0.count > 10 && $0.suffix(8).allSatisfy(\.isHexDigit) && $0.dropLast(8).hasSuffix("  ") }
            #expect(rows.count >= 20)
            for row in rows {
                #expect(displayWidth(row) - 8 == idColumn, "misaligned: \(row)")
            }
            // Open every meeting's detail, scroll it to the end, come back.
            let count = rows.count
            for i in 0..<count {
                try await pane.keys("Enter")
                try await pane.waitFor("token")
                try await pane.keys("G")
                try await pane.waitUntil("the end of detail \(i)") {
                    let t = try await pane.capture()
                    return t.contains("custom data") || t.contains("(j/k scroll)")
                }
                try await expectNoRawControls(pane, "detail \(i)")
                try await pane.keys("Escape")
                try await pane.waitFor("OWNER")
                try await pane.keys("j")
            }
            #expect(try await pane.clipboard()?.contains("hacked") != true)
            try await pane.type("q")
            try await pane.waitFor("EXITED=0", timeout: 30)
            expectSaneStty(pane.file("stty.txt"))
        }
    }
}

/// SplitMix64: a fixed seed gives the same key sequence on every run.
struct SeededKeys {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
}

@Suite("Soak: thousands of random keys against a failing, slow, hostile API", .serialized)
struct SoakTests {
    /// Every key of the keymap in every screen, editing keys, and text; never
    /// q (that quits), Ctrl-C, Ctrl-Z or Ctrl-\ (signals are tested apart).
    static let keyNames = [
        "j", "k", "g", "G", "Enter", "Escape", "Tab", "BTab", "C-s", "C-a", "C-d", "C-u", "C-e", "C-k", "C-w", "C-l", "C-r", "M-b", "M-f", "M-d", "F2", "F3", "F8", "n", "r", "s", "/",
        "y", "Y", "t", "?", "F1", "Up", "Down", "Left", "Right", "PageUp", "PageDown", "Home", "End", "BSpace", "DC",
        "Space", "[", "]", "<", ">",
    ]
    static let text = Array("abcdefxyz0123456789@.:/-_{}[]\",é日本🙂 ")

    @Test func randomKeysNeverCrashLeakOrHang() async throws {
        try await Pane.with(width: 100, height: 30,
                            command: SignalTests.script("demo --fixture hostile --fail-rate 0.2 --latency-ms 50 --refresh 1")) { pane in
            try await pane.waitFor("OWNER")
            let pid = try await pane.coclickPID()
            var rng = SeededKeys(state: 0xC0C1_1C4_5EED)
            let sizes = [(100, 30), (40, 10), (20, 5), (80, 24), (132, 43), (41, 11)]
            var sent = 0
            var batch = 0
            while sent < 8000 {
                var keys: [String] = []
                for _ in 0..<25 {
                    if rng.next() % 4 == 0 {
                        // A run of printable text, sent literally.
                        if !keys.isEmpty { try await pane.keys(keys); keys = [] }
                        let n = Int(rng.next() % 12) + 1
                        let s = String((0..<n).map { _ in rng.pick(Self.text) })
                        try await pane.type(s)
                        sent += n
                    } else {
                        keys.append(rng.pick(Self.keyNames))
                        sent += 1
                    }
                }
                if !keys.isEmpty { try await pane.keys(keys) }
                // A breath between batches, so poll results (50 ms late, one in
                // five failing) land between keys rather than all after them.
                try await Task.sleep(for: .milliseconds(20))
                batch += 1
                if batch % 8 == 0 {
                    let (w, h) = rng.pick(sizes)
                    try await pane.resize(width: w, height: h)
                }
                if batch % 5 == 0 {
                    #expect(processAlive(pid), "coclick died after \(sent) keys")
                    try await expectNoRawControls(pane, "after \(sent) keys")
                    if !processAlive(pid) { break }
                }
            }
            try await pane.resize(width: 100, height: 30)
            #expect(processAlive(pid))
            try await expectNoRawControls(pane, "at the end")
            // Leave whatever screen it is on, then quit.
            let deadline = Date().addingTimeInterval(90)
            while try await !pane.capture().contains("EXITED="), Date() < deadline {
                try await pane.keys("Escape")
                try await Task.sleep(for: .milliseconds(200))
                try await pane.keys("Escape")
                try await Task.sleep(for: .milliseconds(200))
                try await pane.type("q")
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(try await pane.capture().contains("EXITED=0"))
            expectSaneStty(pane.file("stty.txt"))
        }
    }
}

@Suite("Bad input typed into the real form", .serialized)
struct FormInputTmuxTests {
    @Test func badFieldsAreMarkedKeptAndA10KBPasteStaysResponsive() async throws {
        try await Pane.with(width: 100, height: 30, command: SignalTests.script()) { pane in
            try await pane.waitFor("hugh@example.com")
            try await pane.type("n")
            try await pane.waitFor("New meeting")
            try await pane.type("not-an-email")
            try await pane.keys("Tab")
            try await pane.type("next blursday")
            try await pane.keys("Tab")
            try await pane.type("example.com/x")
            try await pane.keys("Tab")
            try await pane.type("[1,2]")
            try await pane.keys("C-s")
            try await pane.waitFor("Fix the marked fields first")
            let text = try await pane.capture()
            #expect(text.contains("not-an-email"))
            #expect(text.contains("next blursday"))
            #expect(text.contains("example.com/x"))
            #expect(text.contains("[1,2]"))
            #expect(text.contains("✗ is not an email address"))
            #expect(text.contains("✗ must be an http(s) URL"))
            #expect(text.contains("must be a JSON object"))
            // 10 KB typed into the first marked field (the cursor is there now), then one more key: it shows up.
            try await pane.keys("C-u")
            try await pane.type(String(repeating: "x", count: 10 * 1024))
            try await pane.type("Z")
            try await pane.waitFor("xxZ", timeout: 60)
            try await expectNoRawControls(pane, "form")
            try await pane.keys("Escape")
            try await pane.waitFor("Draft kept")
            try await pane.type("q")
            try await pane.waitFor("EXITED=0", timeout: 30)
            expectSaneStty(pane.file("stty.txt"))
        }
    }
}
