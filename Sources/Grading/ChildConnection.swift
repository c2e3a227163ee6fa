// ChildConnection.swift — one task's child process: started under limits, asked for values
// over two private pipes, stopped for good.
//
// The child is the runner built by RunnerBuild.swift: Lumen's ExerciseKit, the learner's
// module and a three-line main that serves calls (ExerciseKit/Remote.swift). It gets
//   fd 3  calls from this process          fd 4  its answers to this process
//   fd 1, fd 2  one pipe, read here only to quote a crash      fd 0  /dev/null
// and runs under `ulimit`: address space (`memoryMB`), CPU seconds (a backstop for the wall
// clock kept here), and file size 0, so it cannot write a file's contents (the progress
// file, a test, Lumen's own graders). It starts in a process group of its own; finishing,
// a timeout, or Ctrl-C (ProcessGroups.swift) kills the whole group.
//
// Read next: RemoteSolution.swift.

import ExerciseKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The limits one task runs under.
public struct TaskLimits: Sendable, Equatable {
    /// Wall-clock seconds for the whole task.
    public var seconds: Double
    /// Address space in megabytes.
    public var memoryMB: Int

    public init(seconds: Double = 60, memoryMB: Int = 2048) {
        self.seconds = seconds
        self.memoryMB = memoryMB
    }
}

/// Something went wrong with the child itself, not with a value it returned.
public enum ChildFailure: Error, Sendable, Equatable {
    /// The task ran past its time limit and its process group was killed.
    case timedOut
    /// The child ended in the middle of a call: `signal` (nil for an exit), and what it printed.
    case died(signal: Int32?, status: Int32?, output: String)
    /// An answer could not be read (something else was written to the answer channel).
    case garbled(String)
    /// The child could not be started.
    case cannotStart(String)
}

/// The learner's function threw an error other than `Unimplemented`; its text.
public struct LearnerError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

public final class ChildConnection: @unchecked Sendable {
    private var pid: pid_t = 0
    private var toChild: Int32 = -1, fromChild: Int32 = -1, output: Int32 = -1
    private let deadline: Date
    private var inbox = Data()
    private var printed = Data()
    /// Set once the child has failed; every later call throws it at once.
    public internal(set) var failure: ChildFailure?
    public let limits: TaskLimits

    /// Starts `runner` under `limits`.
    public init(runner: String, limits: TaskLimits) {
        self.limits = limits
        deadline = Date().addingTimeInterval(limits.seconds)
        do {
            try start(runner)
        } catch {
            failure = error
        }
    }

    private func start(_ runner: String) throws(ChildFailure) {
        // Three pipes, every end close-on-exec and above fd 9, so that each child receives only
        // its own ends, at exactly the numbers it expects.
        func makePipe() throws(ChildFailure) -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw .cannotStart("pipe: \(String(cString: strerror(errno)))") }
            let high = fds.map { fd -> Int32 in
                let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
                close(fd)
                return moved
            }
            return (high[0], high[1])
        }
        let calls = try makePipe(), answers = try makePipe(), printing = try makePipe()

        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, printing.write, 1)
        posix_spawn_file_actions_adddup2(&actions, printing.write, 2)
        posix_spawn_file_actions_adddup2(&actions, calls.read, ExerciseRunner.callsFD)
        posix_spawn_file_actions_adddup2(&actions, answers.write, ExerciseRunner.answersFD)
        // Every signal at its default action (an ignored SIGXFSZ would turn a file write into an
        // error the learner's code could catch), and a process group of its own.
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)

        // The shell sets the limits, then becomes the runner (exec), so the limits bind before
        // any of the learner's code can run, and an unprivileged process cannot raise them again.
        let cpuSeconds = Int(limits.seconds * 2) + 10
        let script = "ulimit -v \(limits.memoryMB * 1024) && ulimit -t \(cpuSeconds) && ulimit -f 0 && exec \"$0\""
        let argv = ["/bin/sh", "-c", script, runner]
        // A clean environment: nothing of the grader's is passed on, and the crash report is the
        // runtime's one line plus a short backtrace with the learner's file and line.
        let environment = ["PATH=/usr/bin:/bin", "LANG=C.UTF-8",
                           "SWIFT_BACKTRACE=enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none,limit=24,timeout=5s,sanitize=no"]
        var child: pid_t = 0
        let status = withCStrings(argv) { cArgv in
            withCStrings(environment) { cEnv in posix_spawn(&child, "/bin/sh", &actions, &attributes, cArgv, cEnv) }
        }
        if status == 0 { ProcessGroups.add(child) }
        close(calls.read)
        close(answers.write)
        close(printing.write)
        (toChild, fromChild, output) = (calls.write, answers.read, printing.read)
        guard status == 0 else {
            throw .cannotStart("posix_spawn: \(String(cString: strerror(status)))")
        }
        pid = child
        for fd in [toChild, fromChild, output] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    // MARK: - Calls

    /// Asks the child to run one of the learner's functions; `evaluate` answers its callbacks.
    public func call(_ call: Call, evaluate: ([Double]) -> Double = { _ in .nan }) throws -> Returned {
        if let failure { throw failure }
        do {
            try send(.call(call))
            while true {
                switch try receive() {
                case .returned(let value): return value
                case .threw(let task?, _): throw Unimplemented(task)
                case .threw(nil, let text): throw LearnerError(description: text)
                case .evaluate(let x): try send(.value(evaluate(x)))
                }
            }
        } catch let failure as ChildFailure {
            self.failure = failure
            stop()
            throw failure
        }
    }

    private func send(_ message: ToChild) throws(ChildFailure) {
        guard let data = try? Frames.encode(message) else { throw .garbled("a call could not be encoded") }
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { Foundation.write(toChild, $0.baseAddress! + offset, data.count - offset) }
            if written > 0 { offset += written; continue }
            if written < 0 && errno != EAGAIN && errno != EINTR { throw diedFailure() }
            try wait(forWriting: true)
        }
    }

    private func receive() throws(ChildFailure) -> ToParent {
        while true {
            if inbox.count >= 4 {
                let length = inbox.prefix(4).withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
                if length > 1 << 28 { throw .garbled("an answer announced \(length) bytes") }
                if inbox.count >= 4 + length {
                    let body = inbox.subdata(in: inbox.startIndex + 4..<inbox.startIndex + 4 + length)
                    inbox.removeFirst(4 + length)
                    guard let message = try? Frames.decode(ToParent.self, from: body) else {
                        throw .garbled("an answer was not in the runner's format")
                    }
                    return message
                }
            }
            try wait(forWriting: false)
        }
    }

    /// Waits until the child's answer pipe (or, when writing, its call pipe) is ready, reading
    /// what it prints meanwhile; throws at the deadline or when the child is gone.
    private func wait(forWriting: Bool) throws(ChildFailure) {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                stop()
                throw .timedOut
            }
            var fds = [pollfd(fd: forWriting ? toChild : fromChild, events: Int16(forWriting ? POLLOUT : POLLIN), revents: 0)]
            if output >= 0 { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining, 1) * 1000) + 1)
            if ready < 0 && errno != EINTR { throw .cannotStart("poll: \(String(cString: strerror(errno)))") }
            if fds.count > 1 && fds[1].revents != 0 { drainOutput() }
            let revents = fds[0].revents
            if revents == 0 { continue }
            if forWriting {
                if revents & Int16(POLLOUT) != 0 { return }
                throw diedFailure()
            }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = read(fromChild, &buffer, buffer.count)
            if count > 0 {
                inbox.append(contentsOf: buffer[0..<count])
                return
            }
            if count == 0 || (errno != EAGAIN && errno != EINTR) { throw diedFailure() }
        }
    }

    /// Keeps the last 64 KB of what the child printed.
    private func drainOutput() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while output >= 0 {
            let count = read(output, &buffer, buffer.count)
            if count > 0 {
                printed.append(contentsOf: buffer[0..<count])
                if printed.count > 65536 { printed.removeFirst(printed.count - 65536) }
            } else {
                if count == 0 { close(output); output = -1 }
                return
            }
        }
    }

    /// The child closed its end: wait for it (it may still be printing its crash report) and say how it ended.
    private func diedFailure() -> ChildFailure {
        let ending = reap(grace: 6)
        return .died(signal: ending.signal, status: ending.status, output: String(decoding: printed, as: UTF8.self))
    }

    // MARK: - Ending

    private var reaped: (signal: Int32?, status: Int32?)?

    /// Waits up to `grace` seconds for the child to end by itself (reading what it prints),
    /// then kills its group. Returns how it ended.
    @discardableResult
    private func reap(grace: Double) -> (signal: Int32?, status: Int32?) {
        if let reaped { return reaped }
        guard pid > 0 else { return (nil, nil) }
        let until = Date().addingTimeInterval(grace)
        var waitStatus: Int32 = 0
        var done = waitpid(pid, &waitStatus, WNOHANG)
        while done == 0 && Date() < until {
            if output >= 0 {
                var fds = [pollfd(fd: output, events: Int16(POLLIN), revents: 0)]
                _ = poll(&fds, 1, 20)
                drainOutput()
            } else {
                usleep(10_000)
            }
            done = waitpid(pid, &waitStatus, WNOHANG)
        }
        kill(-pid, SIGKILL)
        if done == 0 { done = waitpid(pid, &waitStatus, 0) }
        drainOutput()
        ProcessGroups.forget(pid)
        let signal = waitStatus & 0x7f
        var ending: (signal: Int32?, status: Int32?) = (nil, nil)
        if done == pid {
            ending = signal == 0 ? (nil, (waitStatus >> 8) & 0xff) : (signal, nil)
        }
        reaped = ending
        return ending
    }

    /// Kills the child's whole group now.
    private func stop() {
        if pid > 0 && reaped == nil {
            kill(-pid, SIGKILL)
            reap(grace: 0)
        }
    }

    /// Hangs up (the runner then exits), waits briefly, and kills whatever is left of the group.
    public func finish() {
        if toChild >= 0 { close(toChild); toChild = -1 }
        reap(grace: 1)
        for fd in [fromChild, output] where fd >= 0 { close(fd) }
        (fromChild, output) = (-1, -1)
    }

    deinit { finish() }

    /// What the child printed (the last 64 KB).
    public var printedText: String { String(decoding: printed, as: UTF8.self) }
}

/// Calls `body` with a NULL-terminated C array of copies of `strings`.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
