import Dashboard
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
@testable import TerminalUI
import Testing

/// File writes off the main thread: done elsewhere, in order, and all done by `finish`.
@Suite("BackgroundWriter and DraftWriter: writes off the caller's thread, in order")
struct BackgroundWriterTests {
    /// What a job saw, shared with the test.
    final class Seen: Sendable {
        let gateOpen = Atomic(false)
        let firstJobThread = Atomic<UInt>(0)
        let firstJobWaited = Atomic(false)

        /// Until the first job has started (or 30 s pass).
        func waitForFirstJob() {
            for _ in 0..<30_000 where firstJobThread.load(ordering: .sequentiallyConsistent) == 0 { usleep(1000) }
        }

        /// Holds the first job until the test opens the gate (or 30 s pass).
        func holdFirst() {
            firstJobThread.store(UInt(pthread_self()), ordering: .sequentiallyConsistent)
            for _ in 0..<30_000 where !gateOpen.load(ordering: .sequentiallyConsistent) { usleep(1000) }
            firstJobWaited.store(gateOpen.load(ordering: .sequentiallyConsistent), ordering: .sequentiallyConsistent)
        }
    }

    @Test func submitReturnsAtOnceAndJobsAreDoneInOrderOnAnotherThread() {
        let seen = Seen()
        let writer = BackgroundWriter<[Int], Int>([], threadName: "test writer", merges: { _, _ in false }) { done, job, _ in
            if job == 0 { seen.holdFirst() }
            done.append(job)
        }
        // The first job waits for the gate: submit would never return if it ran the job itself.
        writer.submit(0)
        for i in 1..<500 { writer.submit(i) }
        seen.waitForFirstJob()
        seen.gateOpen.store(true, ordering: .sequentiallyConsistent)
        writer.finish()
        let waited = seen.firstJobWaited.load(ordering: .sequentiallyConsistent)
        let thread = seen.firstJobThread.load(ordering: .sequentiallyConsistent)
        #expect(waited, "the first job ran before submit returned")
        #expect(thread != UInt(pthread_self()), "the first job ran on the caller's thread")
        #expect(writer.withTarget { $0 } == Array(0..<500))
    }

    @Test func aJobQueuedBehindOneItMergesWithReplacesIt() {
        let seen = Seen()
        let writer = BackgroundWriter<[Int], Int>([], threadName: "test writer", merges: { waiting, new in waiting > 0 && new > 0 }) { done, job, isNewest in
            if job == 0 { seen.holdFirst() }
            done.append(isNewest() ? job : -job)
        }
        writer.submit(0)
        for i in 1...100 { writer.submit(i) }
        writer.submit(-1)
        writer.submit(200)
        seen.waitForFirstJob()
        seen.gateOpen.store(true, ordering: .sequentiallyConsistent)
        writer.finish()
        // 1...100 waited behind the first: only the newest of them is written, then -1 and 200 in turn.
        #expect(writer.withTarget { $0 } == [-0, -100, 1, 200])
    }

    func draft(_ url: String) -> FormDraft {
        var d = FormDraft()
        d.user = "grace@example.com"
        d.cobrowsingURL = url
        return d
    }

    func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Many drafts saved as fast as keys come, with a delete among them: the
    /// file ends with the last one, and no answer says an earlier draft is the
    /// one on disk after a later one was saved.
    @Test func draftsLandInTheOrderTheyWereSaved() throws {
        let dir = try tempDirectory().appendingPathComponent("state/coclick")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent().deletingLastPathComponent()) }
        let account = AccountKey(apiURL: "http://127.0.0.1:1/api", secretID: "id")
        let writer = DraftWriter(directory: dir, account: account)
        let answers = Mutex<[Action]>([])
        let answer: DraftWriter.Answer = { a in answers.withLock { $0.append(a) } }
        for i in 1...300 {
            writer.save(draft("https://example.com/\(i)"), answer: answer)
            if i == 150 { writer.delete(answer: answer) }
        }
        writer.finish()
        let store = DraftStore(directory: dir, account: account)
        #expect(store.load() == .draft(draft("https://example.com/300")))
        var info = stat()
        #expect(stat(store.fileURL.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(stat(dir.path, &info) == 0 && info.st_mode & 0o777 == 0o700)
        let saved = answers.withLock { $0 }.compactMap { a -> Int? in
            guard case .draftSaved(let d) = a else { return nil }
            return Int(d.cobrowsingURL.split(separator: "/").last ?? "")
        }
        #expect(saved == saved.sorted() && saved.last == 300, "\(saved)")
        #expect(writer.lastFailure == nil)

        // A delete after the saves: no file, and open() sees none.
        writer.delete(answer: answer)
        #expect(writer.open()?.loaded == DraftStore.Loaded.none)
        #expect(!FileManager.default.fileExists(atPath: store.fileURL.path))
    }

    @Test func aSaveThatFailsIsAnsweredAndRemembered() throws {
        let home = try tempDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        // Where the folder should be, a file: every save fails.
        let blocked = home.appendingPathComponent("state")
        try Data("x".utf8).write(to: blocked)
        let writer = DraftWriter(directory: blocked.appendingPathComponent("coclick"), account: nil)
        let answers = Mutex<[Action]>([])
        writer.save(draft("https://example.com/1")) { a in answers.withLock { $0.append(a) } }
        writer.finish()
        let got = answers.withLock { $0 }
        #expect(got.count == 1)
        guard case .draftStoreFailed? = got.first else { Issue.record("\(got)"); return }
        #expect(writer.lastFailure != nil)
    }
}
