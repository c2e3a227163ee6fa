// ProcessGroups.swift — every process group that grading started, so that Ctrl-C ends them all.
//
// Each child (a task's runner, a build) starts in a group of its own and is listed here until
// it has been reaped. `installInterruptHandler()` makes SIGINT, SIGTERM and SIGHUP kill every
// listed group before `lumen` itself ends, so no child keeps running, and none is left to hold
// a lock or a file the next `lumen grade` would wait on.
//
// Read next: RunnerBuild.swift.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum ProcessGroups {
    static let capacity = 256
    /// Group ids, 0 for a free slot. Plain memory, so that the signal handler reads it without locks.
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<Int32> = {
        let slots = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        return slots
    }()
    static let lock = NSLock()

    /// Lists the group led by `pid`.
    public static func add(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        if let free = (0..<capacity).first(where: { slots[$0] == 0 }) { slots[free] = pid }
    }

    /// Forgets the group led by `pid` (it has been reaped).
    public static func forget(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        for k in 0..<capacity where slots[k] == pid { slots[k] = 0 }
    }

    /// The groups listed now.
    public static var listed: [pid_t] {
        lock.lock()
        defer { lock.unlock() }
        return (0..<capacity).map { slots[$0] }.filter { $0 != 0 }
    }

    /// Kills every listed group.
    public static func killAll() {
        for k in 0..<capacity where slots[k] != 0 { kill(-slots[k], SIGKILL) }
    }

    /// On SIGINT, SIGTERM or SIGHUP: kill every listed group, then end as the signal would.
    public static func installInterruptHandler() {
        _ = slots
        // A parent may have started us with these signals blocked (a thread pool's mask is
        // inherited through exec); Ctrl-C must reach the handler.
        var signals = sigset_t()
        sigemptyset(&signals)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, signalNumber) }
        sigprocmask(SIG_UNBLOCK, &signals, nil)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                for k in 0..<ProcessGroups.capacity where ProcessGroups.slots[k] != 0 {
                    kill(-ProcessGroups.slots[k], SIGKILL)
                }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
