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
/// `$XDG_STATE_HOME/coclick/draft.json` (default `~/.local/state/coclick/`).
/// The folder is 0700, the file 0600, written atomically (temporary file,
/// fsync, rename), so a crash mid-write leaves the old draft or the new one,
/// never half of one. A file that cannot be read as a draft is ignored.
public struct DraftStore: Sendable {
    public let directory: URL
    public var fileURL: URL { directory.appendingPathComponent("draft.json") }
    /// Larger files are not drafts we wrote.
    static let maxBytes = 1 << 20

    public init(directory: URL) { self.directory = directory }

    /// `$XDG_STATE_HOME/coclick`, or `~/.local/state/coclick`; nil without a HOME.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("coclick")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/coclick")
    }

    public enum Loaded: Sendable, Hashable {
        case none
        case draft(FormDraft)
        /// The file exists but is not a draft: why, in words. It is left alone.
        case unreadable(String)
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public func load() -> Loaded {
        let path = fileURL.path
        guard FileManager.default.fileExists(atPath: path) else { return .none }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .unreadable("\(path) cannot be read")
        }
        guard data.count <= Self.maxBytes else { return .unreadable("\(path) is too large to be a draft") }
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
        try makeDirectory()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(draft)
        let temp = directory.appendingPathComponent(".draft.json.\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create \(temp.path): \(Self.errnoText())") }
        var ok = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        // The umask may have narrowed it further; never wider than 0600.
        ok = ok && fchmod(fd, 0o600) == 0 && fsync(fd) == 0
        let writeError = Self.errnoText()
        close(fd)
        guard ok else {
            unlink(temp.path)
            throw Failure(description: "cannot write \(temp.path): \(writeError)")
        }
        guard rename(temp.path, fileURL.path) == 0 else {
            let e = Self.errnoText()
            unlink(temp.path)
            throw Failure(description: "cannot replace \(fileURL.path): \(e)")
        }
    }

    /// Removes the draft; no error when there is none.
    public func delete() throws {
        guard unlink(fileURL.path) == 0 || errno == ENOENT else {
            throw Failure(description: "cannot delete \(fileURL.path): \(Self.errnoText())")
        }
    }

    /// Creates the folder (and parents) 0700, and narrows an existing one to 0700.
    func makeDirectory() throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(description: "cannot create \(directory.path): \(error)")
        }
        guard chmod(directory.path, 0o700) == 0 else {
            throw Failure(description: "cannot set 0700 on \(directory.path): \(Self.errnoText())")
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
