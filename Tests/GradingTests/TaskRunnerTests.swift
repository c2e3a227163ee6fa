// TaskRunnerTests.swift — one bad task costs only that task: a child that traps or hangs is
// reported as crashed or stopped, its process tree is killed, and the other tasks are graded.
//
// These children are small shell scripts standing in for `swift test`, so no exercise build is
// needed: one prints a grade line, one dies by SIGILL (what a Swift trap raises), one prints
// what `swift test` prints when its test binary trapped, one never ends.
//
// Read next: ScoreboardTests.swift.

import ExerciseGraders
import Foundation
import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

func task(_ id: String) -> ExerciseTask { ExerciseTask.named(id)! }

/// A fresh temporary folder for one test.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-grading-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct TaskRunnerTests {
    @Test("a grade line in the child's output is read back exactly")
    func gradeLineIsParsed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = GradeReport(task: task("2.3"), outcome: .failed("wrong at \"1\"\nsecond line \\ with a backslash"), seed: 42)
        let line = GradeLine.text(for: report)
        #expect(!line.contains("\n"))
        let script = "echo 'noise before'; printf '%s\\n' \"$1\"; exit 1"
        let child = try ChildProcess.run(["/bin/sh", "-c", script, "sh", line], in: folder, timeout: 30)
        #expect(child.ending == .exited(1))
        let result = TaskRunner.interpret(child, task: task("2.3"), timeout: 30)
        #expect(result == TaskResult(task: task("2.3"), status: .failed("wrong at \"1\"\nsecond line \\ with a backslash"), seed: 42))
        // A grade line for another task does not count.
        #expect(GradeLine.parse(line, taskID: "2.4") == nil)
    }

    @Test("a child killed by a trap signal is reported as crashed")
    func trapIsACrash() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let child = try ChildProcess.run(["/bin/sh", "-c", "kill -ILL $$"], in: folder, timeout: 30)
        #expect(child.ending == .signaled(SIGILL))
        let result = TaskRunner.interpret(child, task: task("1.1"), timeout: 30)
        guard case .crashed(let why) = result.status else { Issue.record("got \(result.status)"); return }
        #expect(why.contains("SIGILL"))
    }

    @Test("swift test's report of a trapped test binary is a crash, quoting the runtime's message")
    func swiftTestTrapReportIsACrash() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = """
            echo 'Scalars.swift:24: Fatal error: Index out of range'
            echo "error: Process 'LumenExercisesPackageTests.xctest' exited with unexpected signal code 4"
            exit 1
            """
        let child = try ChildProcess.run(["/bin/sh", "-c", script], in: folder, timeout: 30)
        let result = TaskRunner.interpret(child, task: task("1.1"), timeout: 30)
        guard case .crashed(let why) = result.status else { Issue.record("got \(result.status)"); return }
        #expect(why.contains("Scalars.swift:24: Fatal error: Index out of range"))
        #expect(why.contains("SIGILL"))
    }

    @Test("a child past its time limit is stopped, and so is a grandchild in its own process group")
    func hangIsStopped() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidFile = folder.appendingPathComponent("grandchild.pid").path
        // Like `swift test`, start the real work in a new session (so a new process group) and wait.
        let script = "setsid sleep 300 & echo $! > '\(pidFile)'; wait"
        let child = try ChildProcess.run(["/bin/sh", "-c", script], in: folder, timeout: 1)
        #expect(child.ending == .timedOut)
        #expect(child.seconds < 30)
        let grandchild = try #require(pid_t(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Killed and reaped by init shortly after; give it a moment.
        var alive = true
        for _ in 0..<100 where alive {
            alive = kill(grandchild, 0) == 0 && !isZombie(grandchild)
            if alive { usleep(20_000) }
        }
        #expect(!alive, "the grandchild \(grandchild) is still running")
        let result = TaskRunner.interpret(child, task: task("1.2"), timeout: 1)
        #expect(result.status == .timedOut(1))
    }

    @Test("crash, hang and wrong answer each cost only their own task; the rest are graded")
    func isolation() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let passLine = GradeLine.text(for: GradeReport(task: task("1.4"), outcome: .passed, seed: 9))
        let failLine = GradeLine.text(for: GradeReport(task: task("1.3"), outcome: .failed("off by one"), seed: 8))
        let runner = TaskRunner(folder: folder, timeout: 2, parallelism: 2) { task in
            switch task.id {
            case "1.1": ["/bin/sh", "-c", "kill -ILL $$"]
            case "1.2": ["/bin/sh", "-c", "while :; do :; done"]
            case "1.3": ["/bin/sh", "-c", "echo '\(failLine)'; exit 1"]
            default: ["/bin/sh", "-c", "echo '\(passLine)'"]
            }
        }
        let results = runner.grade(["1.1", "1.2", "1.3", "1.4"].map(task))
        #expect(results.map(\.task.id) == ["1.1", "1.2", "1.3", "1.4"])
        guard case .crashed = results[0].status else { Issue.record("1.1: \(results[0].status)"); return }
        #expect(results[1].status == .timedOut(2))
        #expect(results[2].status == .failed("off by one"))
        #expect(results[3].status == .passed)
        #expect(results.map(\.points) == [0, 0, 0, task("1.4").points])
    }

    @Test("a command that cannot start is that task's failure, not the run's")
    func missingCommand() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let runner = TaskRunner(folder: folder, timeout: 5) { _ in ["lumen-no-such-command-\(UInt32.random(in: 0...UInt32.max))"] }
        let result = runner.grade(task("2.1"))
        guard case .crashed(let why) = result.status else { Issue.record("got \(result.status)"); return }
        #expect(why.contains("Task 2.1"))
    }
}

/// True when /proc says `pid` is a zombie (dead, not yet reaped).
func isZombie(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
}
