import Dashboard

/// Writes the list cache off the main thread: the write ends in an fsync
/// (8 ms and more on a busy disk), which must not hold back the frame that
/// shows the list (first paint).
///
/// One write at a time, on a short-lived thread of its own, never on
/// libdispatch's workers: one worker, once started, brings back the pool
/// monitor's wake-up every second for the rest of the process.
/// A list queued while a write runs replaces any other still waiting: the
/// cache keeps the last list, so only the newest needs writing.
final class CacheWriter: @unchecked Sendable {
    private let cache: ListCache
    private let condition = OSCondition()
    // Guarded by `condition`.
    private var waiting: CachedList?
    private var running = false

    init(cache: ListCache) {
        self.cache = cache
    }

    /// Queues `list`; `failed` runs (on the writing thread) for a list that could not be written.
    func write(_ list: CachedList, failed: @escaping @Sendable (CachedList) -> Void) {
        condition.lock()
        waiting = list
        let start = !running
        running = true
        condition.unlock()
        guard start else { return }
        if !OSThread.start(name: "coclick cache", { self.drain(failed: failed) }) {
            // No thread to be had: write here rather than lose the list.
            drain(failed: failed)
        }
    }

    private func drain(failed: @escaping @Sendable (CachedList) -> Void) {
        while true {
            condition.lock()
            guard let list = waiting else {
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
            waiting = nil
            condition.unlock()
            if (try? cache.save(list)) == nil { failed(list) }
        }
    }

    /// Returns once nothing is being written or waiting (before the process ends).
    func finish() {
        condition.lock()
        while running { condition.wait() }
        condition.unlock()
    }
}
