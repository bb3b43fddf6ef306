import CSignals
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The main thread's event loop, run by `main()` in place of `dispatchMain()`
/// (quiet when idle). The main thread blocks in `poll()` on the fds
/// watched here (the terminal, the signal self-pipe) and on libdispatch's
/// main-queue wake-up fd, with the timeout set to the nearest timer (the
/// countdown tick, the next poll). A tick then wakes this one thread, and
/// nothing else: with Dispatch sources it woke the manager thread and a
/// worker draining the main queue. Work queued on the main queue (the main
/// actor's jobs: network results, `Task { @MainActor in }`) is drained here,
/// on the main thread, as Foundation's RunLoop does on Linux.
@MainActor
public final class MainLoop {
    public static let shared = MainLoop()

    /// A watched fd or a timer, for `cancel`.
    public struct Handle: Hashable, Sendable {
        fileprivate let id: Int
    }

    private struct Watch {
        let fd: Int32
        let handler: @MainActor () -> Void
    }

    private struct Timer {
        let deadline: UInt64
        let handler: @MainActor () -> Void
    }

    private var watches: [Int: Watch] = [:]
    private var timers: [Int: Timer] = [:]
    private var nextID = 0
    /// Whether `run()` owns the main thread (the dashboard needs it to).
    public private(set) var isRunning = false

    private init() {}

    /// Runs the loop on the main thread; never returns (the process ends by `exit`).
    /// Where libdispatch offers no main-queue fd (not Linux), `dispatchMain()`.
    public nonisolated static func run() -> Never {
        MainActor.assumeIsolated { shared.loop() }
    }

    /// Calls `handler` each time `fd` is readable (or hung up), until cancelled.
    public func watch(fd: Int32, _ handler: @escaping @MainActor () -> Void) -> Handle {
        nextID += 1
        watches[nextID] = Watch(fd: fd, handler: handler)
        return Handle(id: nextID)
    }

    /// Calls `handler` once, `seconds` from now (monotonic clock).
    public func after(seconds: Double, _ handler: @escaping @MainActor () -> Void) -> Handle {
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
        let queueFD = coclick_main_queue_fd()
        guard queueFD >= 0 else { dispatchMain() }
        isRunning = true
        // Anything queued before the loop started (the command's Task) runs first.
        coclick_drain_main_queue()
        var fds: [pollfd] = []
        var ids: [Int] = []
        while true {
            fireDueTimers()
            fds.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: queueFD, events: Int16(POLLIN), revents: 0))
            for (id, w) in watches {
                ids.append(id)
                fds.append(pollfd(fd: w.fd, events: Int16(POLLIN), revents: 0))
            }
            let n = poll(&fds, nfds_t(fds.count), timeoutMilliseconds())
            if n < 0 { continue }  // EINTR: a signal's handler ran; its byte is on the self-pipe.
            if fds[0].revents != 0 { coclick_drain_main_queue() }
            for (i, id) in ids.enumerated() where fds[i + 1].revents != 0 {
                // A handler run before (or the main queue) may have cancelled this one.
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
