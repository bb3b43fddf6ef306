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

/// The create form's draft on disk, so it survives a restart:
/// `$XDG_STATE_HOME/coclick/draft-<account>.json` (default `~/.local/state/coclick/`),
/// one per API URL and secret id (see `AccountKey`).
/// The folder is 0700, the file 0600, written atomically (temporary file,
/// fsync, rename), so a crash mid-write leaves the old draft or the new one,
/// never half of one. A file that cannot be read as a draft is ignored.
public struct DraftStore: Sendable {
    public let directory: URL
    /// Whose draft: nil names `draft.json`, for a dashboard without an account key (`DashboardSettings.account`).
    public let account: AccountKey?
    /// Which of the account's drafts: 0 is `draft-<account>.json`, n is
    /// `draft-<account>.n.json` (one per dashboard running at once; see `DraftSlots`).
    public let slot: Int
    public var fileURL: URL { directory.appendingPathComponent(Self.baseName(account) + slotSuffix + ".json") }
    /// Held with flock(2) by the dashboard that writes this draft.
    var lockURL: URL { directory.appendingPathComponent("." + Self.baseName(account) + slotSuffix + ".lock") }
    private var slotSuffix: String { slot == 0 ? "" : ".\(slot)" }
    /// Larger files are not drafts we wrote.
    static let maxBytes = 1 << 20

    public init(directory: URL, account: AccountKey? = nil, slot: Int = 0) {
        self.directory = directory
        self.account = account
        self.slot = slot
    }

    static func baseName(_ account: AccountKey?) -> String { account.map { "draft-\($0.name)" } ?? "draft" }

    /// `$XDG_STATE_HOME/coclick`, or `~/.local/state/coclick` (see `XDGFolder`).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        XDGFolder.state.url(environment: environment)
    }

    /// Why nothing of coclick's may be kept in this folder (another user's,
    /// or writable by others), or nil when it may (or does not exist yet).
    public static func folderRefusal(_ directory: URL) -> String? {
        PrivateFile.refusal(ofDirectory: directory)
    }

    public enum Loaded: Sendable, Hashable {
        case none
        case draft(FormDraft)
        /// The file exists but is not a draft: why, in words. It is left alone.
        case unreadable(String)
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The draft, if there is one that this user alone could have written
    /// (see `PrivateFile.read`): another's is `.unreadable`, never loaded.
    public func load() -> Loaded {
        let path = fileURL.path
        let data: Data
        switch PrivateFile.read(fileURL, limit: Self.maxBytes) {
        case nil: return .none
        case .failure(let f)?: return .unreadable(f.description)
        case .success(let d)?: data = d
        }
        do {
            let d = try JSONDecoder().decode(FormDraft.self, from: data)
            guard d.version <= FormDraft.currentVersion else {
                return .unreadable("\(path) was written by a newer coclick (version \(d.version))")
            }
            return .draft(d)
        } catch {
            return .unreadable("\(path) is not a valid draft")
        }
    }

    public func save(_ draft: FormDraft) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(draft)
        do { try PrivateFile.save(data, to: fileURL) } catch let e as PrivateFile.Failure {
            throw Failure(description: e.description)
        }
    }

    /// Removes the draft; no error when there is none.
    public func delete() throws {
        guard unlink(fileURL.path) == 0 || errno == ENOENT else {
            throw Failure(description: "cannot delete \(fileURL.path): \(Self.errnoText())")
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// The drafts of one account when several dashboards may run at once: each
/// running dashboard writes a draft file of its own (a slot), which it holds
/// with flock(2) on a lock file beside it for as long as it runs; the lock
/// goes with the process, however it ends. `open` restores the newest draft
/// nobody holds and counts the others, so a draft typed in a second window is
/// never written over the first one's, and every kept draft is offered in turn.
public final class DraftSlots {
    public let directory: URL
    public let account: AccountKey?
    /// The slot this process writes, and its lock's descriptor.
    private var held: (slot: Int, fd: Int32)?
    /// Slots above this are not looked for (no one runs that many windows).
    static let maxSlot = 99

    public init(directory: URL, account: AccountKey?) {
        self.directory = directory
        self.account = account
    }

    deinit { release() }

    public struct Opened: Sendable, Hashable {
        /// The newest draft no other dashboard holds, now this one's.
        public var loaded: DraftStore.Loaded
        /// Further drafts on disk that no dashboard holds.
        public var kept: Int
        /// Drafts held by dashboards running now.
        public var editedElsewhere: Int
    }

    /// The slot this process writes, if it has one yet.
    public var store: DraftStore? { held.map { DraftStore(directory: directory, account: account, slot: $0.slot) } }

    /// For a form nobody has typed in: takes the newest draft on disk that no
    /// running dashboard holds, and counts the rest.
    public func open() -> Opened {
        if let why = PrivateFile.refusal(ofDirectory: directory) {
            return Opened(loaded: .unreadable(why), kept: 0, editedElsewhere: 0)
        }
        var taken: DraftStore.Loaded = .none
        var kept = 0
        var elsewhere = 0
        for slot in slotsOnDisk() {
            if case .none = taken {
                if held?.slot == slot || take(slot) {
                    taken = DraftStore(directory: directory, account: account, slot: slot).load()
                    continue
                }
            }
            if held?.slot == slot { continue }
            if isHeldElsewhere(slot) { elsewhere += 1 } else { kept += 1 }
        }
        return Opened(loaded: taken, kept: kept, editedElsewhere: elsewhere)
    }

    /// Writes the draft to this process's slot, taking a free one first.
    public func save(_ draft: FormDraft) throws {
        if held == nil { try takeFreeSlot() }
        guard let store else { throw DraftStore.Failure(description: "no draft file is free in \(directory.path)") }
        try store.save(draft)
    }

    /// Removes this process's draft file (the slot stays held).
    public func delete() throws {
        try store?.delete()
    }

    /// Slots with a draft file, newest first.
    func slotsOnDisk() -> [Int] {
        let base = DraftStore.baseName(account)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        var found: [(slot: Int, modified: Int)] = []
        for name in names where name.hasPrefix(base) && name.hasSuffix(".json") {
            let middle = name.dropFirst(base.count).dropLast(".json".count)
            let slot: Int
            if middle.isEmpty { slot = 0 } else if middle.hasPrefix("."), let n = Int(middle.dropFirst()), (1...Self.maxSlot).contains(n) { slot = n } else { continue }
            var info = stat()
            guard lstat(directory.appendingPathComponent(name).path, &info) == 0 else { continue }
            found.append((slot, Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)))
        }
        return found.sorted { $0.modified != $1.modified ? $0.modified > $1.modified : $0.slot < $1.slot }.map(\.slot)
    }

    private func takeFreeSlot() throws {
        do { try PrivateFile.makeDirectory(directory) } catch let e as PrivateFile.Failure {
            throw DraftStore.Failure(description: e.description)
        }
        for slot in 0...Self.maxSlot {
            let file = DraftStore(directory: directory, account: account, slot: slot).fileURL.path
            // A file there is another window's draft, or one kept for later: never written over.
            if access(file, F_OK) == 0 { continue }
            guard let fd = lock(slot) else { continue }
            // Again under the lock: its holder may have written it just before letting go.
            if access(file, F_OK) == 0 { close(fd); continue }
            release()
            held = (slot, fd)
            return
        }
        throw DraftStore.Failure(description: "no draft file is free in \(directory.path)")
    }

    /// Locks `slot` for this process (letting go of the one it held).
    private func take(_ slot: Int) -> Bool {
        guard let fd = lock(slot) else { return false }
        release()
        held = (slot, fd)
        return true
    }

    /// True when another process holds `slot`'s lock now.
    private func isHeldElsewhere(_ slot: Int) -> Bool {
        guard let fd = lock(slot) else { return true }
        close(fd)
        return false
    }

    /// The slot's lock file opened and locked, or nil when another process holds it.
    private func lock(_ slot: Int) -> Int32? {
        let path = DraftStore(directory: directory, account: account, slot: slot).lockURL.path
        let fd = openLockFile(path)
        guard fd >= 0 else { return nil }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        return fd
    }

    private func release() {
        if let h = held { close(h.fd) }
        held = nil
    }
}

/// open(2) for a lock file, out of `DraftSlots`' scope, where `open` is its own method.
private func openLockFile(_ path: String) -> Int32 {
    open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
}
