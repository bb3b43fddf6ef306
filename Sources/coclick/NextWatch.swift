import CoClickAPI
import Dashboard
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TerminalText
import TerminalUI

/// What `coclick next` shows, from the last answer of the API and the clock:
/// one line in the chosen format.
struct NextView {
    var template: String
    var format: StatusBar.Format
    var leadMinutes: Int
    /// The last good answer's meetings (already `--mine`-filtered).
    var meetings: [Meeting] = []
    /// Details read for a template that shows room URLs, by id.
    var details: [String: Meeting] = [:]
    var state: ConnectionState = .connecting
    /// When the last good answer came; nil before the first.
    var lastGood: Date?

    /// The line at `now`, without its newline, fit for the locale's charset.
    func output(now: Date) -> String {
        let fit = Output.charset.fit
        let picked = NextLine.pick(meetings, now: now)
        let meeting = picked.map { details[$0.id] ?? $0 }
        var text = meeting.map { NextLine.render(template, $0, now: now) } ?? "no upcoming meetings"
        let stale = StatusBar.isStale(state)
        if stale {
            // The last line stays, its countdown still running, after what is wrong and how old it is.
            if let lastGood {
                text = StatusBar.staleText(state, age: now.timeIntervalSince(lastGood)) + " · " + text
            } else {
                text = state.words
            }
        } else if lastGood == nil {
            text = state.words
        }
        text = fit(text)
        switch format {
        case .plain:
            return text
        case .tmux:
            let soon = meeting.map { Countdown.isWithinReminder(status: $0.status, startsAt: $0.startsAt?.date, now: now, minutes: leadMinutes) } ?? false
            return StatusBar.tmux(text, status: lastGood == nil ? nil : meeting?.status, soon: soon, stale: stale || lastGood == nil)
        case .waybar:
            let tooltip = meeting.map { m in
                [Output.safe(m.user), StatusWord.text(m.status), LocalTime.full(m.startsAt), SafeText.escape(m.shortID)].joined(separator: " · ")
            } ?? text
            let cssClass = stale || lastGood == nil ? "offline" : meeting?.status.rawValue ?? "none"
            let percentage = meeting.map { StatusBar.percentage($0, now: now, leadMinutes: leadMinutes) } ?? 0
            return StatusBar.waybar(text: text, tooltip: fit(tooltip), cssClass: cssClass, percentage: percentage)
        }
    }
}

/// `coclick next --watch`: asks the API every `refresh` seconds (backing off
/// as the dashboard does while it fails), and between asks sleeps until the
/// line can read otherwise, writing a line only when it does. Ends with
/// status 0 and no word when stdout's reader goes away or on SIGTERM/SIGINT/SIGHUP.
@MainLoopActor
enum NextWatch {
    static func run(_ start: NextView, client: CoClickClient, me: String?, refresh: TimeInterval, user: String?) async -> Int32 {
        endQuietlyOnSignals()
        endWhenTheReaderGoes()
        var view = start
        var failures = 0
        var nextPoll = Date()
        var printed: String?
        while true {
            if Date() >= nextPoll {
                do {
                    let now = Date()
                    let pages = try await client.allPages(NextLine.query(me: me, user: user, now: now), maxPages: 10)
                    view.meetings = NextLine.keep(pages.flatMap(\.meetings), me: me)
                    if NextLine.needsDetail(view.template), let m = NextLine.pick(view.meetings, now: now) {
                        view.details = [m.id: try await client.meeting(id: m.id)]
                    }
                    view.state = .ok
                    view.lastGood = Date()
                    failures = 0
                    nextPoll = Date().addingTimeInterval(refresh)
                } catch {
                    failures += 1
                    let apiError = error as? APIError
                    view.state = apiError.map { ConnectionState.after($0, failures: failures) } ?? .retrying
                    nextPoll = Date().addingTimeInterval(Backoff.delay(afterFailures: failures, error: apiError))
                }
            }
            let line = view.output(now: Date())
            if line != printed {
                emit(line)
                printed = line
            }
            let wake = StatusBar.nextChange(after: Date(), until: nextPoll) { view.output(now: $0) } ?? nextPoll
            await sleep(until: wake)
        }
    }

    /// On the main thread's own loop: a timer there wakes this thread alone.
    static func sleep(until date: Date) async {
        let seconds = date.timeIntervalSinceNow
        guard seconds > 0 else { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            _ = MainLoop.shared.after(seconds: seconds) { c.resume() }
        }
    }

    /// One line on stdout; a reader that went away ends the process quietly.
    static func emit(_ line: String) {
        var bytes = Array((line + "\n").utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { systemWrite(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n > 0 { bytes = bytes.dropFirst(n); continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EPIPE { exit(0) }
            Output.warn("cannot write the output: \(n < 0 ? String(cString: strerror(errno)) : "nothing was written")")
            exit(1)
        }
    }

    /// A status bar stops its command with a signal: that is the end asked for, not a failure.
    static func endQuietlyOnSignals() {
        // EPIPE from write instead of death by SIGPIPE: `emit` ends with status 0.
        signal(SIGPIPE, SIG_IGN)
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            signal(sig) { _ in _exit(0) }
        }
    }

    /// `coclick next --watch | head -1`: the reader may go while the line has
    /// not changed for an hour. A pipe whose reader is gone polls as an error,
    /// so the main loop watches stdout when it is a pipe (a terminal would poll
    /// readable on every key, and a file has no reader).
    static func endWhenTheReaderGoes() {
        var st = stat()
        guard fstat(STDOUT_FILENO, &st) == 0, (st.st_mode & S_IFMT) == S_IFIFO else { return }
        readerWatch = MainLoop.shared.watch(fd: STDOUT_FILENO) {
            var p = pollfd(fd: STDOUT_FILENO, events: 0, revents: 0)
            _ = poll(&p, 1, 0)
            if p.revents & Int16(POLLERR | POLLHUP) != 0 { exit(0) }
            // Anything else would come back at once: stop watching rather than spin.
            MainLoop.shared.cancel(readerWatch)
        }
    }

    private static var readerWatch: MainLoop.Handle?
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif
