import Foundation

/// Runs the real `coclick` binary that `swift build` put next to the test bundle.
enum CoclickBinary {
    static let url: URL = {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["COCLICK_BINARY"] { candidates.append(URL(fileURLWithPath: env)) }
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // .build/<triple>/debug/coclickPackageTests.xctest -> .build/<triple>/debug/coclick
        candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("coclick"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("coclick"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/coclick"))
        return candidates.first { fm.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()
}

struct ProcessResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs coclick with exactly the given environment (plus PATH/HOME pointing
/// at a scratch folder, so the developer's own config never leaks in).
func runCoclick(_ args: [String], env: [String: String] = [:], timeout: TimeInterval = 60) throws -> ProcessResult {
    let p = Process()
    p.executableURL = CoclickBinary.url
    p.arguments = args
    var environment = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "HOME": scratchHome.path,
        "XDG_CONFIG_HOME": scratchHome.appendingPathComponent("config").path,
        "XDG_STATE_HOME": scratchHome.appendingPathComponent("state").path,
        "XDG_CACHE_HOME": scratchHome.appendingPathComponent("cache").path,
        "LANG": "C.UTF-8",
    ]
    environment.merge(env) { $1 }
    p.environment = environment
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    // Read both pipes while the process runs so a full pipe never blocks it.
    let outData = LockedData(), errData = LockedData()
    let group = DispatchGroup()
    for (pipe, sink) in [(out, outData), (err, errData)] {
        group.enter()
        DispatchQueue.global().async {
            sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
    }
    if group.wait(timeout: .now() + timeout) == .timedOut {
        p.terminate()
        throw ProcessTimeout(args: args)
    }
    p.waitUntilExit()
    return ProcessResult(
        status: p.terminationStatus,
        stdout: String(decoding: outData.get(), as: UTF8.self),
        stderr: String(decoding: errData.get(), as: UTF8.self)
    )
}

struct ProcessTimeout: Error, CustomStringConvertible {
    let args: [String]
    var description: String { "coclick \(args.joined(separator: " ")) did not finish in time" }
}

final class LockedData: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// A private HOME for the processes the tests start.
let scratchHome: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-e2e-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

/// A fresh folder for one test's files.
func makeTempDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
