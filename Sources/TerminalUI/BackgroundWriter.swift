import Synchronization

/// File writes that end in an fsync (8 ms and more on a busy disk), done off
/// the main thread so that no frame or key waits for them, in the order they
/// were asked for.
///
/// Jobs run one at a time on a short-lived thread of its own (`OSThread`),
/// not in a task: a blocking fsync would hold one of the cooperative pool's
/// few threads (one a core) and hold back the network work queued behind it.
/// A job is taken from the queue and done with the target's mutex held, so
/// jobs are done in order whichever thread does them, and `finish` or
/// `withTarget` (which take that mutex) wait for the job under way, then do
/// on the calling thread what is still queued.
/// A job queued behind one that `merges` says it replaces takes its place:
/// only the newest list or draft needs writing.
final class BackgroundWriter<Target, Job: Sendable>: Sendable {
    /// Does `job` to the target; `isNewest()` says whether no later job waits
    /// (read after the write: a job queued meanwhile counts).
    typealias Perform = @Sendable (_ target: inout Target, _ job: Job, _ isNewest: () -> Bool) -> Void

    private struct Queue {
        var jobs: [Job] = []
        /// A thread is draining the queue.
        var running = false
    }

    private let target: Mutex<Target>
    private let queue = Mutex(Queue())
    private let threadName: String
    private let merges: @Sendable (_ waiting: Job, _ new: Job) -> Bool
    private let perform: Perform

    init(_ target: sending Target, threadName: String,
         merges: @escaping @Sendable (_ waiting: Job, _ new: Job) -> Bool,
         perform: @escaping Perform) {
        self.target = Mutex(target)
        self.threadName = threadName
        self.merges = merges
        self.perform = perform
    }

    /// Queues `job` and returns at once.
    func submit(_ job: Job) {
        let start = queue.withLock { q in
            if let last = q.jobs.last, merges(last, job) {
                q.jobs[q.jobs.count - 1] = job
            } else {
                q.jobs.append(job)
            }
            defer { q.running = true }
            return !q.running
        }
        guard start else { return }
        if !OSThread.start(name: threadName, { self.drain() }) {
            // No thread to be had: do it here rather than lose it.
            drain()
        }
    }

    /// Waits for the job under way and does what is queued, on this thread
    /// (before the process ends or stops).
    func finish() {
        target.withLock { t in while runNext(&t, lastOne: false) {} }
    }

    /// `body` with the target, once every job queued before has been done.
    func withTarget<R: Sendable>(_ body: (inout Target) -> R) -> R {
        target.withLock { t in
            while runNext(&t, lastOne: false) {}
            return body(&t)
        }
    }

    private func drain() {
        while target.withLock({ t in runNext(&t, lastOne: true) }) {}
    }

    /// Does the next job; false when none was queued (and, on the draining
    /// thread, `lastOne`, the queue is left for the next `submit` to start).
    private func runNext(_ t: inout Target, lastOne: Bool) -> Bool {
        let job: Job? = queue.withLock { q in
            guard !q.jobs.isEmpty else {
                if lastOne { q.running = false }
                return nil
            }
            return q.jobs.removeFirst()
        }
        guard let job else { return false }
        perform(&t, job) { self.queue.withLock { $0.jobs.isEmpty } }
        return true
    }
}
