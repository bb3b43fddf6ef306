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
    /// Whose draft: nil only for the file of coclick before drafts were per account.
    public let account: AccountKey?
    public var fileURL: URL { directory.appendingPathComponent(account.map { "draft-\($0.name).json" } ?? "draft.json") }
    /// Larger files are not drafts we wrote.
    static let maxBytes = 1 << 20

    public init(directory: URL, account: AccountKey? = nil) {
        self.directory = directory
        self.account = account
    }

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

    /// Creates the folder (and parents) 0700, and narrows an existing one to 0700.
    func makeDirectory() throws {
        do { try PrivateFile.makeDirectory(directory) } catch let e as PrivateFile.Failure {
            throw Failure(description: e.description)
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
