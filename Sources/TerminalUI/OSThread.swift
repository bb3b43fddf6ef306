import CSignals
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain POSIX thread: what the file writers (`BackgroundWriter`) and the
/// child-process waits need, for blocking calls that must not hold a thread
/// of the cooperative pool; without Foundation's `Thread` (which runs
/// CoreFoundation's thread set-up in a dashboard that otherwise needs only
/// FoundationEssentials).
/// Their locks are the standard library's `Mutex`.
enum OSThread {
    /// Starts `body` on a new detached thread named `name` (cut to the 15
    /// bytes Linux keeps). Returns false when no thread could be started.
    @discardableResult
    static func start(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        final class Box: Sendable {
            let name: String
            let body: @Sendable () -> Void
            init(name: String, body: @escaping @Sendable () -> Void) { self.name = name; self.body = body }
        }
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let started = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            coclick_name_this_thread(box.name)
            box.body()
            return nil
        }, box)
        guard started == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return false
        }
        #if canImport(Glibc)
        pthread_detach(thread)
        #else
        if let thread { pthread_detach(thread) }
        #endif
        return true
    }
}
