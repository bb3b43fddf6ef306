import Dashboard

/// Writes the list cache off the main thread (see `BackgroundWriter`): the
/// write ends in an fsync, which must not hold back the frame that shows the
/// list (first paint). A list queued while a write runs replaces any other
/// still waiting: the cache keeps the last list, so only the newest needs writing.
final class CacheWriter: Sendable {
    private struct Job: Sendable {
        let list: CachedList
        let failed: @Sendable (CachedList) -> Void
    }

    private let writer: BackgroundWriter<ListCache, Job>

    init(cache: ListCache) {
        writer = BackgroundWriter(cache, threadName: "coclick cache", merges: { _, _ in true }) { cache, job, _ in
            if (try? cache.save(job.list)) == nil { job.failed(job.list) }
        }
    }

    /// Queues `list`; `failed` runs (on the writing thread) for a list that could not be written.
    func write(_ list: CachedList, failed: @escaping @Sendable (CachedList) -> Void) {
        writer.submit(Job(list: list, failed: failed))
    }

    /// Returns once nothing is being written or waiting (before the process ends).
    func finish() {
        writer.finish()
    }
}
