// MeasuredRun.swift — running the built `lumen` in a child process and measuring its peak
// memory: posix_spawn, then wait4, whose rusage is that one child's (getrusage over all
// children would mix in every other child this test process has run).
//
// Read next: HostileFileTests.swift.

import Foundation
import Glibc

struct MeasuredRun {
    /// The exit status (or 128 + the signal, as a shell reports a killed process).
    let status: Int32
    /// The child's peak resident memory (ru_maxrss), in MiB.
    let peakMiB: Double
    let stdout: String
    let stderr: String

    /// Runs `lumen arguments...` (paths in them should be absolute) with `environment` added.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let binary = try LumenRun.binary()
        let folder = try temporaryFolder()
        let outPath = folder.appendingPathComponent("stdout").path
        let errPath = folder.appendingPathComponent("stderr").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let environmentList = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            .map { "\($0.key)=\($0.value)" }
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environmentList.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }

        var waitStatus: Int32 = 0
        var usage = rusage()
        while wait4(pid, &waitStatus, 0, &usage) < 0 && errno == EINTR {}
        // The W* macros, by hand: the low 7 bits are the signal (0: exited), the next 8 the code.
        let signal = waitStatus & 0x7F
        status = signal == 0 ? (waitStatus >> 8) & 0xFF : 128 + signal
        peakMiB = Double(usage.ru_maxrss) / 1024   // Linux reports KiB
        stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: folder)
    }
}
