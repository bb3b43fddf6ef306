import CoClickAPI
import Dashboard
import Dispatch
import TerminalText
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The dashboard's entry points for the CLI.
public enum DashboardApp {
    /// Takes over the terminal until the user quits, restores it, and returns
    /// the process exit code: 0 after `q`, 2 when stdin/stdout is not a
    /// terminal, 1 when the terminal cannot be used. Needs the main
    /// thread in `MainLoop.run()` (main() puts it there): the terminal, the
    /// signals, the timers and `MainLoopActor`'s jobs are all served by that loop.
    /// SIGINT/SIGTERM/SIGHUP/SIGQUIT restore the terminal and end the process
    /// by that signal (the shell sees 128+signal), without running exit
    /// handlers while URLSession threads are busy.
    @MainLoopActor
    public static func run(client: CoClickClient, settings: DashboardSettings) async -> Int32 {
        await withCheckedContinuation { (done: CheckedContinuation<Int32, Never>) in
            start(client: client, settings: settings) { code in done.resume(returning: code) }
        }
    }

    @MainLoopActor private static var current: DashboardRuntime?

    /// One line on stderr (FileHandle is not in FoundationEssentials).
    nonisolated static func warn(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    @MainLoopActor
    private static func start(client: CoClickClient, settings: DashboardSettings, finish: @escaping @MainLoopActor (Int32) -> Void) {
        guard isatty(0) == 1, isatty(1) == 1 else {
            Self.warn("coclick: the dashboard needs a terminal on stdin and stdout; for scripts use `coclick meetings list` or `coclick next`")
            finish(2)
            return
        }
        guard MainLoop.shared.isRunning else {
            // main() runs MainLoop instead of dispatchMain(): without it nothing would read the keys.
            Self.warn("coclick: internal error: the dashboard needs the main thread's loop (MainLoop.run)")
            finish(1)
            return
        }
        var settings = settings
        let (cache, cached) = openCache(&settings)
        // Nothing cached: page 1 of the start view is asked for now, on the
        // client's threads, while this thread reads the themes, sets up the
        // terminal and draws the first frame; the rows arrive that much
        // sooner (first paint). The first poll takes this answer.
        // With a cached list the first frame has rows already, and the poll
        // starts after it: its threads would only compete with that frame.
        // A terminal refused by its name (TERM=dumb) sends no request.
        let early = cached == nil && !NcursesBackend.refusedByName(NcursesBackend.currentTerm) ? EarlyPage(client: client, query: AppState.startQuery(settings: settings, now: Date())) : nil
        // Only the theme in use is parsed now; another when the user switches to it.
        let catalog = ThemeCatalog.loadLazily(userDirectory: settings.userThemeDirectory)
        switch NcursesBackend.start() {
        case .failure(let f):
            early?.task.cancel()
            Self.warn("coclick: \(f.message)")
            finish(1)
        case .success(let backend):
            let runtime = DashboardRuntime(client: client, settings: settings, catalog: catalog, backend: backend,
                                           cache: cache, cached: cached, early: early) { code in
                current = nil
                finish(code)
            }
            current = runtime
            runtime.start()
        }
    }

    /// The list cache and what the last run left in it. One that is not this
    /// user's alone is neither read nor written this run, and said at start.
    private static func openCache(_ settings: inout DashboardSettings) -> (ListCache?, CachedList?) {
        guard let dir = settings.cacheDirectory, let account = settings.account else { return (nil, nil) }
        let cache = ListCache(directory: dir, account: account)
        switch cache.read() {
        case .list(let list): return (cache, list)
        case .refused(let why):
            settings.startupProblems.append("list cache not used: \(SafeText.escape(why))")
            return (nil, nil)
        case .none: return (cache, nil)
        }
    }
}

/// The first page, asked for before the dashboard's terminal is set up.
struct EarlyPage: Sendable {
    let query: MeetingQuery
    let task: Task<(page: MeetingPage, company: String?), Error>

    init(client: CoClickClient, query: MeetingQuery) {
        self.query = query
        task = Task.detached {
            let page = try await client.meetings(query)
            return (page, await client.company)
        }
    }
}

/// Runs effects, owns its fds and timers on the main thread's loop, and draws after each batch of actions.
@MainLoopActor
final class DashboardRuntime {
    private(set) var state: AppState
    private let client: CoClickClient
    private let catalog: ThemeCatalog
    private let backend: NcursesBackend
    private let depth: ColorDepth
    private let finish: @MainLoopActor (Int32) -> Void
    /// The main thread's loop (see MainLoop): stdin, the signal self-pipe, the tick and the poll.
    private let loop = MainLoop.shared
    private var watches: [MainLoop.Handle] = []
    private var tickTimer: MainLoop.Handle?
    private var pollTimer: MainLoop.Handle?
    private var appliedTheme = -1
    private var pendingRaw: [String] = []
    /// The terminal's title was saved (CSI 22;0t) and is popped on exit.
    private var titlePushed = false
    private var emptyReads = 0
    private var finished = false
    /// Actions effects answer with at once (the drafts read), reduced in the same batch.
    private var followUps: [Action] = []
    /// This window's draft file among the account's (see DraftSlots), written off the main thread.
    private let drafts: DraftWriter
    private let cache: ListCache?
    /// The list last written to the cache, and when: rewritten when it changes, or after a while.
    private var cachedList: CachedList?
    /// Cache writes, off the main thread (see CacheWriter).
    private let cacheWriter: CacheWriter?
    /// What the screen last drew, for mouse hit-testing.
    private var lastFrame: CellBuffer?
    private let wantsMouse: Bool
    private let clipboard: ClipboardWriter
    /// The first page, asked for at start; taken by the first `.fetchList` (if its query is the same).
    private var early: EarlyPage?

    init(client: CoClickClient, settings: DashboardSettings, catalog: ThemeCatalog, backend: NcursesBackend,
         cache: ListCache?, cached: CachedList?, early: EarlyPage?, finish: @escaping @MainLoopActor (Int32) -> Void) {
        self.client = client
        self.early = early
        self.catalog = catalog
        self.backend = backend
        self.finish = finish
        drafts = DraftWriter(directory: settings.draftDirectory, account: settings.account)
        self.cache = cache
        cacheWriter = cache.map { CacheWriter(cache: $0) }
        startCached = cached
        wantsMouse = settings.mouse
        clipboard = ClipboardWriter(mode: settings.clipboardMode)
        depth = ColorDepth.detect(colors: backend.colorCount, noColor: settings.noColor)
        let size = backend.size
        state = AppState(settings: settings, themeNames: catalog.names, now: Date(), width: size.width, height: size.height)
        // The theme asked for first, with its own error (said once, not again as a file warning).
        var warnings = catalog.warnings(besides: settings.themeName)
        if let problem = catalog.problem(with: settings.themeName) {
            warnings.insert("\(problem); using \(state.themeName)", at: 0)
        }
        warnings += settings.startupProblems
        // Several: say how many first, the footer may cut the end off.
        let count = warnings.count > 1 ? "[1 of \(warnings.count), \(state.keymap.keysText(.help, in: .list)) lists them] " : ""
        startWarning = warnings.first.map { count + $0 }
    }

    /// Said in the footer once the dashboard runs (through `reduce`, like everything else).
    private let startWarning: String?
    /// The list cached by the last run, for the first frame.
    private let startCached: CachedList?

    func start() {
        watches.append(loop.watch(fd: 0) { self.readInput() })

        // TSTP, CONT and WINCH arrive through the backend's self-pipe (see
        // CSignals); INT, TERM, HUP, QUIT and crashes never come here: their
        // handlers restore the terminal and end the process on their own.
        if backend.signalFD >= 0 {
            watches.append(loop.watch(fd: backend.signalFD) { self.handleSignals() })
        }

        scheduleTick()
        if state.notifyMode == .all {
            // The title we set is given back on exit: save the user's on the terminal's stack.
            pendingRaw.append(TerminalAlert.pushTitle)
            titlePushed = true
            backend.alsoOnSignalExit(write: TerminalAlert.popTitle)
        }
        // The last list seen is on screen in the first frame; the poll replaces it.
        var first: [Action] = [.tick(Date())]
        if let cached = startCached {
            cachedList = cached
            first.append(.cacheLoaded(cached))
        }
        send(first + [.pollDue] + (startWarning.map { [.warning($0)] } ?? []))
    }

    /// Countdowns: a tick each second, on the second (10 ms after it, by the
    /// wall clock), so all of them change together; rescheduled from the clock
    /// each time, so it never drifts.
    private func scheduleTick() {
        let frac = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 1)
        tickTimer = loop.after(seconds: (1 - frac) + 0.01) {
            self.scheduleTick()
            self.send([.tick(Date())])
        }
    }

    /// Reduces each action, runs the effects, then draws once.
    func send(_ actions: [Action]) {
        guard !finished else { return }
        // `.settled` last: the reducer writes the draft once per batch, not per key.
        var queue = actions + [.settled]
        while !queue.isEmpty {
            let effects = reduce(&state, queue.removeFirst())
            for e in effects { run(e) }
            if finished { return }
            queue += followUps
            followUps.removeAll()
        }
        render()
    }

    private func render() {
        if appliedTheme != state.themeIndex {
            appliedTheme = state.themeIndex
            backend.apply(theme: catalog.theme(named: state.themeName) ?? .fallback, depth: depth)
        }
        let frame = Screens.render(state)
        backend.draw(frame)
        lastFrame = frame
        // After the first frame, so the switch is not written into ncurses' own output.
        if wantsMouse, !backend.mouseOn { backend.setMouse(true) }
        for raw in pendingRaw { backend.writeRaw(raw) }
        pendingRaw.removeAll()
    }

    private func handleSignals() {
        var resized = false
        for sig in backend.pendingSignals() {
            switch sig {
            case SIGTSTP:
                // A draft being written is on disk before the process stops (it may be killed while stopped).
                drafts.finish()
                backend.suspend()
                resized = true
            case SIGCONT, SIGWINCH:
                if sig == SIGCONT { backend.resume() } else { _ = backend.updateSize() }
                resized = true
            default: break
            }
        }
        if resized {
            let s = backend.size
            send([.resize(width: s.width, height: s.height), .tick(Date())])
        }
    }

    private func readInput() {
        let events = backend.readEvents()
        if events.isEmpty {
            // Readable but nothing to read: the terminal hung up (EIO/EOF), so
            // stop instead of spinning on a source that stays readable.
            emptyReads += 1
            if backend.inputGone || emptyReads > 100 { stop(code: 1) }
            return
        }
        emptyReads = 0
        // Keys are reduced at the current time, so a message they set lives its full span.
        send([.tick(Date())] + events.map(action))
    }

    /// A terminal event as the reducer takes it: a resize with the new size,
    /// a mouse report with what the last frame drew under it.
    private func action(_ event: TerminalEvent) -> Action {
        switch event {
        case .key(let k): return .key(k)
        case .paste(let text): return .paste(text)
        case .mouse(let e): return .mouse(e, target: lastFrame?.target(atRow: e.y))
        case .resize:
            let s = backend.size
            return .resize(width: s.width, height: s.height)
        }
    }

    private func run(_ effect: Effect) {
        let client = self.client
        switch effect {
        case .fetchList(let q): fetchList(q)
        case .fetchDetail(let id, let purpose):
            answer({ .detailLoaded(try await client.meeting(id: id), purpose: purpose) },
                   failed: { .detailFailed(id: id, error: $0, purpose: purpose) })
        case .create(let new):
            answer({ .created(try await client.createMeeting(new)) }, failed: { .createFailed($0) })
        case .lookFor(let lookup):
            answer({ .lookupFinished(lookup, found: lookup.match(in: try await client.allMeetings(lookup.query(), maxPages: 10))) },
                   failed: { .lookupFailed(lookup, $0) })
        case .remind(let r):
            pendingRaw.append(TerminalAlert.bytes(for: r, mode: state.notifyMode, envelope: state.clipboardMode == .tmux ? .tmux : .plain))
        case .setTitle(let title):
            pendingRaw.append(TerminalAlert.title(title))
        case .openURL(let argv, let url, let link): openBrowser(argv, url: url, link: link)
        case .copy(let text, let label, let because): copy(text, label: label, because: because)
        case .schedulePoll(let after):
            loop.cancel(pollTimer)
            pollTimer = loop.after(seconds: after) { self.send([.pollDue]) }
        case .saveDraft(let draft):
            // Off the main thread (the write ends in an fsync); the answer comes back as an action.
            drafts.save(draft) { answer in self.sendFromAnyThread(answer) }
        case .deleteDraft:
            drafts.delete { answer in self.sendFromAnyThread(answer) }
        case .loadDraft: loadDraft()
        case .cacheList(let list): cacheList(list)
        case .repaint:
            backend.repaintAll()
        case .quit:
            stop(code: 0)
        }
    }

    /// A request to the API off the loop's turn: its answer, or what went wrong, comes back as an action.
    private func answer(_ request: @escaping @Sendable () async throws -> Action, failed: @escaping @Sendable (APIError) -> Action) {
        Task { @MainLoopActor in
            do {
                self.send([try await request()])
            } catch {
                self.send([failed(Self.apiError(error))])
            }
        }
    }

    private func fetchList(_ q: MeetingQuery) {
        let client = self.client
        // The answer to the request made at start, if it asked for this; else a request now.
        var early: EarlyPage?
        if let e = self.early, e.query == q {
            early = e
            self.early = nil
        } else if q.startsTo == nil {
            // The list asked for another page than the one asked for at start.
            self.early?.task.cancel()
            self.early = nil
        }
        Task { @MainLoopActor in
            do {
                let page: MeetingPage
                let company: String?
                if let early {
                    (page, company) = try await early.task.value
                } else {
                    page = try await client.meetings(q)
                    company = await client.company
                }
                self.send([.listLoaded(query: q, page: page, company: company, at: Date())])
            } catch {
                self.send([.listFailed(query: q, error: Self.apiError(error), at: Date())])
            }
        }
    }

    /// On a thread of its own, detached from the terminal; a browser that
    /// stays in the foreground is left alone for a day.
    private func openBrowser(_ argv: [String], url: String, link: RoomLink) {
        Task { @MainLoopActor in
            let r = await ChildProcess(argv, timeout: 86_400).run()
            guard let failure = r.failure else { return }
            if case .couldNotStart = r.termination {
                self.send([.openFailed(failure, url: url, link: link)])
            } else {
                self.send([.openFailed("\(argv[0]) \(failure)", url: url, link: link)])
            }
        }
    }

    /// Off the loop: a clipboard program may take its time, never the UI's.
    private func copy(_ text: String, label: String, because: String?) {
        let clipboard = self.clipboard
        Task { @MainLoopActor in
            let (sequence, outcome) = await clipboard.copy(text)
            if let sequence { self.pendingRaw.append(sequence) }
            self.send([.copyFinished(label: label, text: text, outcome, because: because)])
        }
    }

    private func loadDraft() {
        guard let opened = drafts.open() else { return }
        switch opened.loaded {
        case .none: break
        case .draft(let d): followUps.append(.draftLoaded(d))
        case .unreadable(let why): followUps.append(.draftUnreadable(why))
        }
        if opened.kept > 0 || opened.editedElsewhere > 0 {
            followUps.append(.otherDrafts(kept: opened.kept, editedElsewhere: opened.editedElsewhere))
        }
    }

    private func cacheList(_ list: CachedList) {
        // Rewritten when the rows change, and now and then so its age stays true.
        if let last = cachedList, last.meetings == list.meetings, last.hasMore == list.hasMore,
           list.savedAt.timeIntervalSince(last.savedAt) < 60 { return }
        // Off the main thread (the write ends in an fsync); `stop` waits for it.
        guard let cacheWriter else { return }
        cachedList = list
        cacheWriter.write(list) { failed in
            // Not written: try again with the next list.
            Task { @MainLoopActor in if self.cachedList == failed { self.cachedList = nil } }
        }
    }

    /// `action` reduced on the main thread's loop, from a thread that is not.
    nonisolated private func sendFromAnyThread(_ action: Action) {
        Task { @MainLoopActor in self.send([action]) }
    }

    static func apiError(_ error: Error) -> APIError {
        (error as? APIError) ?? .offline(String(describing: error))
    }

    /// Restores the terminal first, whatever happens next.
    private func stop(code: Int32) {
        guard !finished else { return }
        finished = true
        backend.end()
        if titlePushed { backend.writeRaw(TerminalAlert.popTitle) }
        // The reducer asked for the draft before `.quit`: it is written before the process ends.
        drafts.finish()
        // If that failed, the footer is gone: say it here.
        if let draftFailure = drafts.lastFailure, state.form.map({ !$0.isBlank }) == true {
            DashboardApp.warn("coclick: the form's draft was not saved: \(draftFailure)")
        }
        for w in watches { loop.cancel(w) }
        watches.removeAll()
        loop.cancel(tickTimer)
        loop.cancel(pollTimer)
        tickTimer = nil
        pollTimer = nil
        // A list cache write still under way ends before the process does.
        cacheWriter?.finish()
        finish(code)
    }
}
