import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TerminalUI
import Testing

@Suite("ChildProcess: helper programs that never touch the terminal")
struct ChildProcessTests {
    @Test func inputGoesToStdinAndOutputComesBack() async {
        let r = await ChildProcess(["cat"], input: Data("https://example.com/room/1".utf8)).run()
        #expect(r.termination == .exited(0))
        #expect(r.succeeded)
        #expect(r.failure == nil)
        #expect(r.output == "https://example.com/room/1")
    }

    @Test func aLargeInputIsWrittenWhole() async {
        let big = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        let r = await ChildProcess(["wc", "-c"], input: big, timeout: 60).run()
        #expect(r.termination == .exited(0))
        #expect(r.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1048576")
    }

    @Test func aProgramThatReadsNothingCannotKillUsWithSIGPIPE() async {
        let big = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        let r = await ChildProcess(["/bin/sh", "-c", "exit 0"], input: big, timeout: 60).run()
        #expect(r.termination == .exited(0))
    }

    @Test func failureSaysTheExitCodeAndTheFirstLineItPrinted() async {
        let r = await ChildProcess(["/bin/sh", "-c", "echo; echo '  Error: Can'\"'\"'t open display: :0' >&2; echo more >&2; exit 3"]).run()
        #expect(r.termination == .exited(3))
        #expect(!r.succeeded)
        #expect(r.failure == "exited 3: Error: Can't open display: :0")
    }

    @Test func aMissingProgramIsSaid() async {
        let r = await ChildProcess(["coclick-no-such-program"], input: Data("x".utf8)).run()
        guard case .couldNotStart(let why) = r.termination else {
            Issue.record("started: \(r)")
            return
        }
        #expect(why.hasPrefix("cannot run coclick-no-such-program: "))
        #expect(r.failure == why)
    }

    @Test func aProgramThatHangsIsKilledAtTheTimeout() async throws {
        let dir = try tempDirectory()
        let pidFile = dir.appendingPathComponent("pid").path
        let r = await ChildProcess(["/bin/sh", "-c", "echo $$ > '\(pidFile)'; exec sleep 600"], timeout: 0.5).run()
        #expect(r.termination == .timedOut)
        #expect(r.failure?.hasPrefix("no answer in ") == true)
        let pid = pid_t((try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(pid > 0)
        #expect(kill(pid, 0) != 0, "the hung program was killed and reaped")
    }

    /// A shell that ignores SIGTERM and never reads its input, with a child
    /// of its own: at the timeout SIGTERM goes to the whole group, and SIGKILL
    /// a grace period later; neither the shell nor its child is left.
    @Test func aProgramThatIgnoresSIGTERMAndItsChildrenAreKilledAfterTheGrace() async throws {
        let dir = try tempDirectory()
        let pids = dir.appendingPathComponent("pids").path
        // Timed around the blocking run itself: `await run()` would add the wait
        // for a free thread of the test pool, which CPU-bound suites beside it
        // can hold for a minute on two cores.
        let started = Date()
        let r = ChildProcess(
            ["/bin/sh", "-c", "trap '' TERM; sleep 600 & echo $$ $! > '\(pids)'; while :; do sleep 1; done"],
            input: Data(repeating: 65, count: 1 << 20), timeout: 0.5
        ).runBlocking()
        let took = Date().timeIntervalSince(started)
        #expect(r.termination == .timedOut)
        #expect(took >= 0.5 + ChildProcess.grace * 0.9, "SIGKILL came before the grace period: \(took) s")
        // Not ten minutes (the sleep): a bound, not a timing (a loaded machine is slow).
        #expect(took < 60, "\(took) s")
        let both = ((try? String(contentsOfFile: pids, encoding: .utf8)) ?? "").split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(both.count == 2)
        // The group leader was reaped; its child is reparented and reaped by init, so give it a moment.
        for pid in both {
            var gone = false
            for _ in 0..<100 where !gone {
                gone = kill(pid, 0) != 0 || Self.isZombie(pid)
                if !gone { usleep(20_000) }
            }
            #expect(gone, "\(pid) outlived its time")
        }
    }

    static func isZombie(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }

    @Test func aProgramKilledBySignalIsSaid() async {
        let r = await ChildProcess(["/bin/sh", "-c", "kill -TERM $$"]).run()
        #expect(r.termination == .signaled(SIGTERM))
        #expect(r.failure == "killed by signal \(SIGTERM)")
    }

    /// No terminal: stdin and stdout are pipes, a session of its own (so no
    /// controlling terminal), and no descriptor of ours beyond 0, 1 and 2.
    @Test func theChildHasNoTerminalAndNoneOfOurDescriptors() async throws {
        // A descriptor without close-on-exec, as a careless library might leave.
        let leaky = open("/dev/null", O_RDONLY)
        defer { close(leaky) }
        #expect(leaky > 2)
        let script = """
        [ -t 0 ] && echo stdin-is-a-tty
        [ -t 1 ] && echo stdout-is-a-tty
        sid=$(cut -d' ' -f6 /proc/$$/stat)
        [ "$sid" = "$$" ] && echo own-session
        (exec 3</dev/tty) 2>/dev/null && echo has-a-tty || echo no-tty
        echo fds
        ls /proc/$$/fd
        """
        let r = await ChildProcess(["/bin/sh", "-c", script]).run()
        #expect(r.termination == .exited(0))
        #expect(!r.output.contains("is-a-tty"), "\(r.output)")
        #expect(r.output.contains("own-session"), "\(r.output)")
        #expect(r.output.contains("no-tty"), "\(r.output)")
        #expect(r.output.hasSuffix("fds\n0\n1\n2\n"), "\(r.output)")
    }

    @Test func theChildGetsTheUsersEnvironmentWithoutTheKey() {
        let env = ["PATH=/usr/bin", "HOME=/h", "COCLICK_SECRET_KEY=s3cret", "COCLICK_SECRET_ID=id", "COCLICK_SECRET_KEYRING=x",
                   "COCLICK_THEME=dark", "EMPTY=", "BROWSER=firefox"]
        #expect(ChildProcess.inheritedEnvironment(env) == ["PATH=/usr/bin", "HOME=/h", "COCLICK_SECRET_KEYRING=x", "COCLICK_THEME=dark", "EMPTY=", "BROWSER=firefox"])
        // A SWIFT_BACKTRACE the user set is theirs to pass on.
        #expect(ChildProcess.inheritedEnvironment(["SWIFT_BACKTRACE=enable=no"]) == ["SWIFT_BACKTRACE=enable=no"])
    }

    @Test func programsAreFoundOnPath() throws {
        let dir = try tempDirectory()
        let tool = dir.appendingPathComponent("my-copy")
        try "#!/bin/sh\ncat\n".write(to: tool, atomically: true, encoding: .utf8)
        #expect(!ChildProcess.isOnPath("my-copy", environment: ["PATH": "/usr/bin:/bin"]))
        #expect(!ChildProcess.isOnPath("my-copy", environment: ["PATH": dir.path]), "not executable yet")
        chmod(tool.path, 0o755)
        #expect(ChildProcess.isOnPath("my-copy", environment: ["PATH": "/nowhere:\(dir.path)"]))
        #expect(ChildProcess.isOnPath("sh", environment: ["PATH": "/usr/bin:/bin"]))
        #expect(!ChildProcess.isOnPath(dir.lastPathComponent, environment: ["PATH": dir.deletingLastPathComponent().path]), "a folder is no program")
    }

    func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("coclick-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
