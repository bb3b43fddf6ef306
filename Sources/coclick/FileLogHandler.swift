import Foundation
import Logging
import Synchronization

/// Appends log lines to a file (for `--log-file`). The client never passes
/// headers or bodies to the logger, so no secret reaches this file.
struct FileLogHandler: LogHandler {
    final class Sink: Sendable {
        // One handle shared by every logger, writes serialized by its mutex.
        private let handle: Mutex<FileHandle>
        init(path: String) throws {
            let fm = FileManager.default
            if !fm.fileExists(atPath: path) {
                guard fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw UsageError("cannot create log file \(path)")
                }
            }
            guard let h = FileHandle(forWritingAtPath: path) else { throw UsageError("cannot open log file \(path) for writing") }
            h.seekToEndOfFile()
            handle = Mutex(h)
        }
        func write(_ line: String) {
            handle.withLock { $0.write(Data(line.utf8)) }
        }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = APITimestamp.now()
        sink.write("\(stamp) \(event.level) \(label): \(event.message)\(meta)\n")
    }
}

enum APITimestamp {
    static func now() -> String {
        let d = Date()
        return ISO8601DateFormatter.string(from: d, timeZone: .current, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
    }
}
