// LumenBinary.swift — finding the built `lumen` executable and running it from tests.
//
// This test target depends on the LumenCLI target, so `swift build --build-tests` and
// `swift test` build `lumen` into the same folder as the test bundle
// (.build/<triple>/debug/lumen beside LumenPackageTests.xctest). We find that folder from
// the running test process itself (/proc/self/exe, else Bundle.main), and fall back to the
// package's .build folders found from #filePath. Read next: InteractiveTests.swift.

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

enum LumenBinary {
    /// The `lumen` executable next to the test bundle, or nil with the places searched.
    static let path: Result<String, SearchFailure> = {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/lumen")
        }
        if let url = Bundle.main.executableURL {
            candidates.append(url.deletingLastPathComponent().appendingPathComponent("lumen").path)
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("lumen").path)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/lumen").path)
        for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
            return .success(path)
        }
        return .failure(SearchFailure(searched: candidates))
    }()

    struct SearchFailure: Error, CustomStringConvertible {
        let searched: [String]
        var description: String { "no built `lumen` found; looked at \(searched.joined(separator: ", ")). Run `swift build` first." }
    }

    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `lumen` with `arguments`, stdin not a terminal, environment `extra` added, and a
    /// 120-second limit; in `directory` when given.
    static func run(_ arguments: [String], environment extra: [String: String] = [:], in directory: String? = nil) throws -> Outcome {
        let process = Process()
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.executableURL = URL(fileURLWithPath: try path.get())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs any tool by name with a time limit, returning status and output. It uses posix_spawn
    /// and waitpid rather than Foundation's Process, and files rather than pipes: `tmux
    /// new-session` leaves a daemon behind, which would hold a pipe open forever, and its
    /// client's exit was not always noticed by Process.
    static func tool(_ name: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> Outcome {
        let dir = makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, dir + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, dir + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([name] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, name, &actions, nil, argv, environ)
        guard spawned == 0 else { throw SpawnFailure(tool: name, code: spawned) }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exitCode,
                       stdout: (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")
    }

    struct SpawnFailure: Error { let tool: String; let code: Int32 }

    /// Whether a tool is on the PATH.
    static func has(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }
}

func makeTempDirectory() -> String {
    let path = NSTemporaryDirectory() + "learn-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
