import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files only their owner may read (drafts, the cached list): the folder
/// 0700, the file 0600, written atomically (temporary file, fsync, rename),
/// so a crash mid-write leaves the old file or the new one, never half.
enum PrivateFile {
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    static func save(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try makeDirectory(directory)
        let temp = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create \(temp.path): \(errnoText())") }
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
        let writeError = errnoText()
        close(fd)
        guard ok else {
            unlink(temp.path)
            throw Failure(description: "cannot write \(temp.path): \(writeError)")
        }
        guard rename(temp.path, url.path) == 0 else {
            let e = errnoText()
            unlink(temp.path)
            throw Failure(description: "cannot replace \(url.path): \(e)")
        }
    }

    /// Creates the folder (and parents) 0700, and narrows an existing one to 0700.
    static func makeDirectory(_ directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(description: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        guard chmod(directory.path, 0o700) == 0 else {
            throw Failure(description: "cannot set 0700 on \(directory.path): \(errnoText())")
        }
    }

    /// The file's bytes, at most `limit`; nil when there is no file.
    static func read(_ url: URL, limit: Int) -> Result<Data, Failure>? {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Failure(description: "\(path) cannot be read"))
        }
        guard data.count <= limit else { return .failure(Failure(description: "\(path) is too large")) }
        return .success(data)
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
