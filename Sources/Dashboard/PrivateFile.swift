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

/// Files only their owner may read (drafts, the cached list): the folder
/// 0700, the file 0600, written atomically (temporary file, fsync, rename),
/// so a crash mid-write leaves the old file or the new one, never half.
///
/// A folder or file that another user owns, or that group or others can
/// write, is refused: never read, chmod-ed or written. Someone else could
/// have planted a draft there (an attacker's user and phishing URL in the
/// form), or could read what coclick writes. A symlink counts as the folder
/// or file it leads to.
enum PrivateFile {
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
        /// Not this user's alone (owner, mode, a link): refused, not merely unreadable.
        var refused = false
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

    /// Creates the folder (and parents) 0700, and narrows an existing one of
    /// this user's to 0700; refuses one that is not this user's alone.
    static func makeDirectory(_ directory: URL) throws {
        if let why = refusal(ofDirectory: directory) { throw Failure(description: why) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(description: "cannot create \(directory.path): \(error)")
        }
        // Checked again: it may have appeared between the check and the mkdir.
        if let why = refusal(ofDirectory: directory) { throw Failure(description: why) }
        guard chmod(directory.path, 0o700) == 0 else {
            throw Failure(description: "cannot set 0700 on \(directory.path): \(errnoText())")
        }
    }

    /// Why coclick keeps nothing in this folder, or nil: it does not exist
    /// yet, or it is a folder of this user's that nobody else can write.
    static func refusal(ofDirectory directory: URL) -> String? {
        let path = directory.path
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let named = describe(path)
        guard info.st_mode & S_IFMT == S_IFDIR else { return "\(named) is not a folder" }
        if info.st_uid != geteuid() {
            return "\(named) belongs to another user (uid \(info.st_uid)): coclick neither reads nor writes there"
        }
        if info.st_mode & 0o022 != 0 {
            return "\(named) can be written by group or others (mode \(String(info.st_mode & 0o777, radix: 8))): coclick neither reads nor writes there; fix it with: chmod 700 \(realPath(path))"
        }
        return nil
    }

    /// Why a file the user may keep elsewhere and link here (a theme from a
    /// dotfiles repository) is not read, or nil: what it leads to must be a
    /// regular file of this user's that nobody else can write.
    static func refusal(ofLinkedFile url: URL) -> String? {
        let path = url.path
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let named = describe(path)
        guard info.st_mode & S_IFMT == S_IFREG else { return "\(named) is not a regular file" }
        if info.st_uid != geteuid() { return "\(named) belongs to another user (uid \(info.st_uid))" }
        if info.st_mode & 0o022 != 0 {
            return "\(named) can be written by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); fix it with: chmod go-w \(realPath(path))"
        }
        return nil
    }

    /// The file's bytes, at most `limit`; nil when there is no file. A file
    /// (or its folder) that is not this user's alone is a failure, unread.
    static func read(_ url: URL, limit: Int) -> Result<Data, Failure>? {
        let path = url.path
        // O_NOFOLLOW: a symlink in our own folder is not ours to follow;
        // O_NONBLOCK: a FIFO planted there must not hang the start.
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        let openError = fd < 0 ? errno : 0
        if openError == ENOENT { return nil }
        if let why = refusal(ofDirectory: url.deletingLastPathComponent()) {
            if fd >= 0 { close(fd) }
            return .failure(Failure(description: why, refused: true))
        }
        guard fd >= 0 else {
            if openError == ELOOP { return .failure(Failure(description: "\(path) is a symlink: not read", refused: true)) }
            return .failure(Failure(description: "\(path) cannot be read: \(String(cString: strerror(openError)))"))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(Failure(description: "\(path) cannot be read: \(errnoText())")) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(Failure(description: "\(path) is not a regular file: not read", refused: true)) }
        if info.st_uid != geteuid() {
            return .failure(Failure(description: "\(path) belongs to another user (uid \(info.st_uid)): not read", refused: true))
        }
        if info.st_mode & 0o022 != 0 {
            return .failure(Failure(description: "\(path) can be written by group or others (mode \(String(info.st_mode & 0o777, radix: 8))): not read", refused: true))
        }
        guard Int(info.st_size) <= limit else { return .failure(Failure(description: "\(path) is too large")) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while data.count <= limit {
            let n = readSome(fd, &chunk)
            if n < 0, errno == EINTR { continue }
            if n < 0 { return .failure(Failure(description: "\(path) cannot be read: \(errnoText())")) }
            if n == 0 { break }
            data += chunk[0..<n]
        }
        guard data.count <= limit else { return .failure(Failure(description: "\(path) is too large")) }
        return .success(Data(data))
    }

    /// "path" or "path (a link to target)".
    static func describe(_ path: String) -> String {
        let real = realPath(path)
        return real == path ? path : "\(path) (a link to \(real))"
    }

    static func realPath(_ path: String) -> String {
        guard let p = realpath(path, nil) else { return path }
        defer { free(p) }
        return String(cString: p)
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// read(2), out of `PrivateFile`'s scope, where `read` is its own method.
private func readSome(_ fd: Int32, _ buffer: inout [UInt8]) -> Int {
    buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
}
