import Foundation

/// A value behind a lock, so the simulator's state can be read and changed
/// synchronously from any thread (the demo dashboard's main loop, test tasks
/// and the server's event loops alike).
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
