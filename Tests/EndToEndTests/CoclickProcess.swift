import Foundation

/// Runs the real `coclick` binary that `swift build` put next to the test bundle.
enum CoclickBinary {
    static let url: URL = {
        let fm = FileManager.default
        var candidates: [URL] = []
        // The binary under test when CI runs the suites against the installed package:
        // that one or none, never a fallback to the build's.
        if let env = ProcessInfo.processInfo.environment["COCLICK_BINARY"] {
            precondition(fm.isExecutableFile(atPath: env), "COCLICK_BINARY=\(env) is not an executable file")
            return URL(fileURLWithPath: env)
        }
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
/// Spawned with posix_spawn and awaited without blocking a thread of the
/// cooperative pool (see `spawn` and `reap`); killed after `timeout`.
func runCoclick(_ args: [String], env: [String: String] = [:], timeout: TimeInterval = 60) async throws -> ProcessResult {
    var environment = isolatedEnvironment(home: scratchHome)
    environment.merge(env) { $1 }
    guard let r = try await runTool(CoclickBinary.url.path, args, env: environment, timeout: timeout) else {
        throw ProcessTimeout(args: args)
    }
    return ProcessResult(status: r.status, stdout: r.out, stderr: r.err)
}

struct ProcessTimeout: Error, CustomStringConvertible {
    let args: [String]
    var description: String { "coclick \(args.joined(separator: " ")) did not finish in time" }
}

/// PATH, and HOME plus the XDG folders inside `home`, so the developer's own
/// config, themes and drafts never leak into a test (or out of one).
func isolatedEnvironment(home: URL) -> [String: String] {
    [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "HOME": home.path,
        "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
        "XDG_STATE_HOME": home.appendingPathComponent("state").path,
        "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
        "LANG": "C.UTF-8",
    ]
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

/// The threads of a process: id and name (/proc/PID/task/TID/comm), by id.
func threadNames(_ pid: Int32) -> [(tid: Int32, name: String)] {
    let dir = "/proc/\(pid)/task"
    let tids = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return tids.compactMap { tid in
        guard let id = Int32(tid), let name = try? String(contentsOfFile: "\(dir)/\(tid)/comm", encoding: .utf8) else { return nil }
        return (id, name.trimmingCharacters(in: .whitespacesAndNewlines))
    }.sorted { $0.tid < $1.tid }
}

/// The path of a tool a test needs (bash, zsh, fish, groff, man); a clear
/// failure, never a skip, when it is missing.
func requireTool(_ name: String) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let found = (path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"])
        .map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let found else { throw PaneError(message: "\(name) is not installed: apt-get install \(name), as .ci/run does") }
    return found
}

/// Voluntary context switches (a thread that blocks, then wakes: a wake-up)
/// of every thread of `pid` over `seconds`, keyed "tid name". Sampled every
/// 0.1 s, as scripts/bench does, so a thread that starts or ends inside the
/// window counts too.
func voluntarySwitches(_ pid: Int32, over seconds: Double) async throws -> [String: Int] {
    func sample() -> [Int32: (name: String, count: Int)] {
        var out: [Int32: (name: String, count: Int)] = [:]
        for (tid, name) in threadNames(pid) {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("voluntary_ctxt_switches:") }),
                  let count = Int(line.dropFirst("voluntary_ctxt_switches:".count).trimmingCharacters(in: .whitespaces))
            else { continue }
            out[tid] = (name, count)
        }
        return out
    }
    let first = sample()
    var last = first
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        try await Task.sleep(for: .milliseconds(100))
        last.merge(sample()) { $1 }
    }
    var result: [String: Int] = [:]
    for (tid, now) in last {
        result["\(tid) \(now.name)"] = now.count - (first[tid]?.count ?? 0)
    }
    return result
}

/// `text` parsed as JSON (an array or object of Foundation values), for checking a command's `--json`.
func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}
