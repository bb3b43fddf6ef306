import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The actor of everything that runs on the main thread's loop: the
/// dashboard's runtime and ncurses, and each command's `execute`. Its
/// executor is `MainLoop` itself (a public `SerialExecutor`): its jobs run on
/// the main thread, between the loop's `poll()`s, so an idle process sleeps
/// in one `poll()` until a key, a signal, a job or the nearest timer.
@globalActor
public actor MainLoopActor {
    public static let shared = MainLoopActor()

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        MainLoopExecutor.shared.asUnownedSerialExecutor()
    }

    /// Runs `operation` as the actor's code, now; the caller must be on the
    /// loop's thread (checked, as `MainActor.assumeIsolated` checks the main
    /// thread). For code the loop calls directly, not as a job.
    public static func assumeIsolated<T: Sendable>(
        _ operation: @MainLoopActor () throws -> T,
        file: StaticString = #fileID, line: UInt = #line
    ) rethrows -> T {
        typealias Isolated = @MainLoopActor () throws -> T
        typealias Plain = () throws -> T
        shared.preconditionIsolated("not on the main thread's loop", file: file, line: line)
        // The actor's isolation does not change how a synchronous closure is
        // called; it was checked just above.
        return try withoutActuallyEscaping(operation) { (fn: @escaping Isolated) throws -> T in
            try unsafeBitCast(fn, to: Plain.self)()
        }
    }
}

/// The executor of `MainLoopActor`: jobs are queued under a mutex from any
/// thread, and a byte on a pipe wakes the loop's `poll()` (only when the
/// queue was empty: one byte per batch).
final class MainLoopExecutor: SerialExecutor {
    static let shared = MainLoopExecutor()

    private struct Queue {
        var jobs: [UnownedJob] = []
        var wakePending = false
    }

    private let queue = Mutex(Queue())
    /// The pipe the loop polls (read end) and `enqueue` writes (both non-blocking).
    let wakeRead: Int32
    private let wakeWrite: Int32
    /// The loop's thread (pthread_t as an integer), set once `run()` starts.
    private let loopThread = Atomic<UInt>(0)

    private init() {
        var fds: [Int32] = [-1, -1]
        // Without it no job of the actor would ever run: better to stop at once.
        guard pipe(&fds) == 0 else { fatalError("coclick: cannot create the main loop's wake-up pipe (\(errno))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let wake = queue.withLock { queue in
            queue.jobs.append(job)
            defer { queue.wakePending = true }
            return !queue.wakePending
        }
        if wake {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    /// Called by the runtime when code asks whether it runs on this actor
    /// outside any of its jobs (`assumeIsolated`): only the loop's thread does.
    func checkIsolated() {
        precondition(isLoopThread, "not on the main thread's loop")
    }

    var isLoopThread: Bool {
        let owner = loopThread.load(ordering: .acquiring)
        return owner != 0 && owner == UInt(bitPattern: Int(bitPattern: pthread_self()))
    }

    func becomeLoopThread() {
        loopThread.store(UInt(bitPattern: Int(bitPattern: pthread_self())), ordering: .releasing)
    }

    /// Runs every job queued so far; call on the loop's thread only. The
    /// pipe is emptied first, so a job queued meanwhile wakes the loop again.
    func runQueuedJobs() {
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &bytes, { read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
        let jobs = queue.withLock { queue in
            var taken: [UnownedJob] = []
            swap(&taken, &queue.jobs)
            queue.wakePending = false
            return taken
        }
        for job in jobs {
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}

/// The main thread's event loop, run by `main()` in place of `dispatchMain()`
/// (quiet when idle). The main thread blocks in `poll()` on the fds watched
/// here (the terminal, the signal self-pipe) and on `MainLoopActor`'s wake-up
/// pipe, with the timeout set to the nearest timer (the countdown tick, the
/// next poll). A tick then wakes this one thread, and nothing else. The
/// actor's jobs (network results, `Task { @MainLoopActor in }`) run here, on
/// the main thread.
@MainLoopActor
public final class MainLoop {
    public static let shared = MainLoop()

    /// A watched fd or a timer, for `cancel`.
    public struct Handle: Hashable, Sendable {
        fileprivate let id: Int
    }

    private struct Watch {
        let fd: Int32
        let handler: @MainLoopActor () -> Void
    }

    private struct Timer {
        let deadline: UInt64
        let handler: @MainLoopActor () -> Void
    }

    private var watches: [Int: Watch] = [:]
    private var timers: [Int: Timer] = [:]
    private var nextID = 0
    /// Whether `run()` owns the main thread (the dashboard needs it to).
    public private(set) var isRunning = false

    private init() {}

    /// Runs the loop on the calling thread (the main thread); never returns
    /// (the process ends by `exit`).
    public nonisolated static func run() -> Never {
        MainLoopExecutor.shared.becomeLoopThread()
        return MainLoopActor.assumeIsolated { shared.loop() }
    }

    /// Calls `handler` each time `fd` is readable (or hung up), until cancelled.
    public func watch(fd: Int32, _ handler: @escaping @MainLoopActor () -> Void) -> Handle {
        nextID += 1
        watches[nextID] = Watch(fd: fd, handler: handler)
        return Handle(id: nextID)
    }

    /// Calls `handler` once, `seconds` from now (monotonic clock).
    public func after(seconds: Double, _ handler: @escaping @MainLoopActor () -> Void) -> Handle {
        nextID += 1
        let delay = UInt64(max(0, seconds) * 1_000_000_000)
        timers[nextID] = Timer(deadline: Self.monotonicNow() &+ delay, handler: handler)
        return Handle(id: nextID)
    }

    public func cancel(_ handle: Handle?) {
        guard let handle else { return }
        watches[handle.id] = nil
        timers[handle.id] = nil
    }

    static func monotonicNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    private func loop() -> Never {
        let executor = MainLoopExecutor.shared
        isRunning = true
        // Anything queued before the loop started (the command's Task) runs first.
        executor.runQueuedJobs()
        var fds: [pollfd] = []
        var ids: [Int] = []
        while true {
            fireDueTimers()
            fds.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: executor.wakeRead, events: Int16(POLLIN), revents: 0))
            for (id, w) in watches {
                ids.append(id)
                fds.append(pollfd(fd: w.fd, events: Int16(POLLIN), revents: 0))
            }
            let n = poll(&fds, nfds_t(fds.count), timeoutMilliseconds())
            if n < 0 { continue }  // EINTR: a signal's handler ran; its byte is on the self-pipe.
            if fds[0].revents != 0 { executor.runQueuedJobs() }
            for (i, id) in ids.enumerated() where fds[i + 1].revents != 0 {
                // A handler run before (or a job) may have cancelled this one.
                watches[id]?.handler()
            }
        }
    }

    private func fireDueTimers() {
        let now = Self.monotonicNow()
        let due = timers.filter { $0.value.deadline <= now }.sorted { $0.value.deadline < $1.value.deadline }
        for (id, timer) in due {
            timers[id] = nil
            timer.handler()
        }
    }

    /// Until the nearest timer, rounded up so the loop never wakes before it; -1: none.
    private func timeoutMilliseconds() -> Int32 {
        guard let next = timers.values.map(\.deadline).min() else { return -1 }
        let now = Self.monotonicNow()
        guard next > now else { return 0 }
        let ms = (next - now + 999_999) / 1_000_000
        return Int32(min(ms, UInt64(Int32.max)))
    }
}
