import NIOCore
import NIOPosix

#if compiler(>=6.3) && os(Linux)
@_spi(ExperimentalCustomExecutors) @_spi(ExperimentalScheduling) import _Concurrency

/// Swift concurrency's default executor on the transport's one NIO event-loop
/// thread (quiet when idle).
///
/// Without it, tasks that are not on the main actor (the client actor, the
/// simulator's handlers, delayed jobs such as `Task.sleep`) run on
/// libdispatch's worker pool; once one worker has existed, libdispatch's
/// pool monitor wakes its manager thread every second for the rest of the
/// process, idle or not. On the event loop they run on a thread that sleeps
/// in epoll until there is work, and a delayed job is an event-loop timer.
///
/// Nothing run by a task may block this thread: it also carries every HTTP
/// exchange. (Child processes wait on a thread of their own; file writes are
/// short.) The main actor stays on the main thread (libdispatch's main queue,
/// drained by TerminalUI's MainLoop).
///
/// This uses Swift 6.3's `ExecutorFactory` (SPI, experimental). The older
/// hook (`swift_task_enqueueGlobal_hook`, which NIO's
/// `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`
/// sets) does not suffice on 6.3: `Task.sleep` asks
/// `Task.currentSchedulingExecutor`, which bypasses the hooks and would still
/// schedule on libdispatch; and NIO finds the hook with dlsym, which fails in
/// the static release build.
final class EventLoopTaskExecutor: TaskExecutor, SchedulingExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func enqueue<C: Clock>(_ job: consuming ExecutorJob, after delay: C.Duration, tolerance: C.Duration?, clock: C) {
        let job = UnownedJob(job)
        // The runtime only schedules on the continuous and suspending clocks,
        // whose durations are `Duration`; NIO's deadlines are monotonic.
        guard let duration = delay as? Duration else {
            fatalError("coclick's executor cannot schedule on the clock \(C.self)")
        }
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue &+ attoseconds / 1_000_000_000)
        loop.scheduleTask(in: .nanoseconds(nanoseconds)) {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    func enqueue<C: Clock>(_ job: consuming ExecutorJob, at instant: C.Instant, tolerance: C.Duration?, clock: C) {
        enqueue(job, after: clock.now.duration(to: instant), tolerance: tolerance, clock: clock)
    }
}

/// The main executor stays the platform's (libdispatch's main queue).
struct EventLoopExecutorFactory: ExecutorFactory {
    static var mainExecutor: any MainExecutor { PlatformExecutorFactory.mainExecutor }
    static var defaultExecutor: any TaskExecutor { EventLoopTaskExecutor(loop: Transport.eventLoopGroup.next()) }
}
#endif

public enum ConcurrencyExecutor {
    /// Makes the transport's event-loop thread Swift concurrency's default
    /// executor (see `EventLoopTaskExecutor`). Call first thing in `main()`,
    /// before any task exists. Returns false where this is not available
    /// (the default executor stays libdispatch's pool).
    @discardableResult
    public static func installTransportEventLoop() -> Bool {
        #if compiler(>=6.3) && os(Linux)
        _createExecutors(factory: EventLoopExecutorFactory.self)
        return true
        #else
        return false
        #endif
    }
}
