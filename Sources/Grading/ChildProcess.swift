// ChildProcess.swift — run a command with a time limit, and kill all of it when time is up.
//
// This is what makes one bad task cost only that task: each task's tests run in their own
// process, so a trap ends that process alone, and an endless loop is killed at the limit.
// The child starts in a new process group, so the kill reaches the test binary that
// `swift test` starts too, not only `swift test` itself.
//
// Read next: TaskRunner.swift.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended, and everything it printed (stdout and stderr together).
public struct ChildResult: Sendable, Equatable {
    public enum Ending: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it: a trap (SIGILL, SIGTRAP), a crash (SIGSEGV), ...
        case signaled(Int32)
        /// It ran past the time limit and was killed.
        case timedOut
    }

    public let ending: Ending
    public let output: String
    public let seconds: Double
}

public enum ChildProcess {
    /// Runs `arguments[0]` (looked up on PATH) with the rest as its arguments in `directory`,
    /// killing its whole process group after `timeout` seconds.
    public static func run(_ arguments: [String], in directory: URL, timeout: Double,
                           environment extra: [String: String] = [:]) throws(GradingError) -> ChildResult {
        let logURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("lumen-child-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: logURL) }

        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 1, logURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // A new process group (its id = the child's pid), so that one kill reaches every descendant.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        // posix_spawnp has no working-directory argument, so go through `cd` in /bin/sh.
        let script = "cd \"$0\" && exec \"$@\""
        let argv = ["/bin/sh", "-c", script, directory.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        let envp = environment.map { "\($0)=\($1)" }

        let started = Date()
        var pid: pid_t = 0
        let status = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArgv, cEnvp)
            }
        }
        guard status == 0 else {
            throw .cannotRun(command: arguments.joined(separator: " "), reason: String(cString: strerror(status)))
        }
        ProcessGroups.add(pid)
        defer { ProcessGroups.forget(pid) }

        var ending: ChildResult.Ending?
        while ending == nil {
            var waitStatus: Int32 = 0
            let done = waitpid(pid, &waitStatus, WNOHANG)
            if done == pid {
                let signal = waitStatus & 0x7f
                ending = signal == 0 ? .exited((waitStatus >> 8) & 0xff) : .signaled(signal)
            } else if done < 0 {
                ending = .exited(-1)
            } else if Date().timeIntervalSince(started) > timeout {
                killTree(pid)
                _ = waitpid(pid, &waitStatus, 0)
                ending = .timedOut
            } else {
                usleep(20_000)
            }
        }
        // Anything still left in the group goes too.
        kill(-pid, SIGKILL)
        let data = (try? Data(contentsOf: logURL)) ?? Data()
        return ChildResult(ending: ending!, output: String(decoding: data, as: UTF8.self),
                           seconds: Date().timeIntervalSince(started))
    }

    /// Kills `pid`, its process group and every descendant. `swift test` starts the test
    /// binary in a process group of its own, so the group kill alone would leave it running;
    /// the descendants are found through /proc (Linux) before anything is killed.
    static func killTree(_ pid: pid_t) {
        var tree = [pid]
        var frontier = [pid]
        let parents = parentTable()
        while let parent = frontier.popLast() {
            let children = parents.filter { $0.value == parent }.map(\.key)
            tree += children
            frontier += children
        }
        kill(-pid, SIGKILL)
        for member in tree { kill(member, SIGKILL) }
    }

    /// Every process's parent, from /proc/<pid>/stat (empty where there is no /proc).
    static func parentTable() -> [pid_t: pid_t] {
        var parents: [pid_t: pid_t] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After "pid (name)" come the state and then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parents[pid] = parent }
        }
        return parents
    }

    /// Calls `body` with a NULL-terminated C array of copies of `strings`.
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
