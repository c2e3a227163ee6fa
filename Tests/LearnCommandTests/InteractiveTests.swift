// InteractiveTests.swift — `lumen learn 1` driven through a real pseudo-terminal: tmux runs it,
// send-keys presses keys, capture-pane reads the screen. Next, back, quit, resume, and Ctrl-C
// (terminal restored, progress intact). Each test uses its own tmux server (-L), so tests and
// other tmux users never meet. Read next: HTMLExportTests.swift.

import Foundation
import Testing

struct Tmux {
    let socket = "lumen-test-\(UUID().uuidString.prefix(8))"
    let session = "learn"

    func run(_ arguments: [String]) throws -> LumenBinary.Outcome {
        try LumenBinary.tool("tmux", ["-L", socket] + arguments, timeout: 20)
    }

    /// Starts `command` in a fresh terminal, 100×40 unless told. The shell stays afterwards so
    /// its last words can be read.
    func start(_ command: String, columns: Int = 100, rows: Int = 40) throws {
        let result = try run(["new-session", "-d", "-s", session, "-x", String(columns), "-y", String(rows),
                              "sh", "-c", command + "; sleep 60"])
        guard result.status == 0 else { throw TmuxError(text: "tmux new-session failed: \(result.stderr)") }
    }

    func keys(_ keys: String...) throws { _ = try run(["send-keys", "-t", session] + keys) }

    func screen() throws -> String { try run(["capture-pane", "-p", "-t", session]).stdout }

    /// Waits (up to 30 s; lesson steps render pictures) until the screen shows every one of
    /// `texts`, and returns it. A step's header appears before its code has run, so waiting
    /// for the header alone can read a half-drawn screen.
    @discardableResult
    func waitFor(_ texts: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let text = texts.joined(separator: "\" and \"")
        let deadline = Date().addingTimeInterval(30)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if texts.allSatisfy(last.contains) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("timed out waiting for \"\(text)\"; the screen was:\n\(last)", sourceLocation: sourceLocation)
        throw TmuxError(text: "timeout")
    }

    func stop() { _ = try? run(["kill-server"]) }
}

struct TmuxError: Error { let text: String }

@Suite(.enabled(if: LumenBinary.has("tmux"), "tmux is not installed (Scripts/install-deps.sh --tests installs it; ./run-tests runs that)"))
struct InteractiveTests {
    @Test func nextBackQuitAndResume() throws {
        let dir = makeTempDirectory()
        let lumen = try LumenBinary.path.get()
        let command = "cd \(dir) && \(lumen) learn 1 --progress \(dir)/p; echo EXITED $?"
        let tmux = Tmux()
        defer { tmux.stop() }
        try tmux.start(command)

        let first = try tmux.waitFor("step 1 of 5", "Welcome to Lumen.", "? help")
        #expect(first.contains("Lesson 1 · A value and its graph"))
        #expect(first.contains("Welcome to Lumen."))
        #expect(first.contains("Enter next · b back · r re-run · q quit · ? help"))

        try tmux.keys("Enter")
        let second = try tmux.waitFor("a * b + c = 4")  // wait for the output, not just the header
        #expect(second.contains("step 2 of 5"))
        #expect(second.contains("A number that remembers"))
        #expect(second.contains("a * b + c = 4"))  // the step's code ran and its output shows

        try tmux.keys("b")
        try tmux.waitFor("step 1 of 5")
        try tmux.keys("n")
        try tmux.waitFor("step 2 of 5")
        try tmux.keys("n")
        let third = try tmux.waitFor("e = a × b = -6")
        #expect(third.contains("step 3 of 5"))
        #expect(third.contains("Every value knows its inputs"))

        try tmux.keys("?")
        try tmux.waitFor("back one screen")
        try tmux.keys("r")  // re-run: same step, output again
        let rerun = try tmux.waitFor("e = a × b = -6")
        #expect(rerun.contains("step 3 of 5"))

        try tmux.keys("q")
        let bye = try tmux.waitFor("EXITED 0")
        #expect(bye.contains("Stopped at step 3 of lesson 1"))
        let saved = try String(contentsOfFile: dir + "/p", encoding: .utf8)
        #expect(saved.contains("current 1\n") && saved.contains("at 1 2 0\n"))

        // Start again: it resumes at the same step.
        let again = Tmux()
        defer { again.stop() }
        try again.start(command)
        let resumed = try again.waitFor("e = a × b = -6")
        #expect(resumed.contains("step 3 of 5"))
        #expect(resumed.contains("Every value knows its inputs"))
        try again.keys("q")
        try again.waitFor("EXITED 0")
    }

    @Test func aStepTallerThanTheTerminalIsPaged() throws {
        // Lesson 3's step 3 is 32 lines; in an 80 × 24 terminal its formula once scrolled away.
        let dir = makeTempDirectory()
        try "current 3\nat 3 2 0\n".write(toFile: dir + "/p", atomically: true, encoding: .utf8)
        let lumen = try LumenBinary.path.get()
        let tmux = Tmux()
        defer { tmux.stop() }
        try tmux.start("cd \(dir) && \(lumen) learn 3 --progress \(dir)/p; echo EXITED $?", columns: 80, rows: 24)
        let first = try tmux.waitFor("step 3 of", "Enter more")
        // The header on the first row, the formula in sight, the key line on the last row.
        let rows = first.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows[0].hasPrefix("Lesson 3 · "))
        #expect(first.contains("∂L/∂e = ∂L/∂d · ∂d/∂e"))
        #expect(rows.count <= 25 && rows.contains { $0.hasPrefix("lines 1–") && $0.contains("Enter more") })
        try tmux.keys("Enter")
        let second = try tmux.waitFor("(continued)")
        #expect(second.contains("step 3 of") && !second.contains("∂L/∂e = ∂L/∂d · ∂d/∂e"))
        try tmux.keys("b")
        try tmux.waitFor("∂L/∂e = ∂L/∂d · ∂d/∂e", "Enter more")
        try tmux.keys("q")
        try tmux.waitFor("EXITED 0")
    }

    @Test func ctrlCRestoresTheTerminalAndKeepsProgress() throws {
        let dir = makeTempDirectory()
        try "# mine\ncurrent 2\nat 2 1 0\n".write(toFile: dir + "/p", atomically: true, encoding: .utf8)
        let lumen = try LumenBinary.path.get()
        // After lumen ends, print the terminal's mode: raw mode left behind would show -icanon -echo.
        // `trap : INT` keeps the shell alive after Ctrl-C (a trap, unlike ignoring, is not inherited).
        let command = "trap : INT; cd \(dir) && \(lumen) learn 2 --progress \(dir)/p; echo EXITED $?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo MODE-END"
        let tmux = Tmux()
        defer { tmux.stop() }
        try tmux.start(command)
        let screen = try tmux.waitFor("step 2 of 6", "Nudge the input, watch the output")
        #expect(screen.contains("Nudge the input, watch the output"))
        try tmux.keys("C-c")
        let after = try tmux.waitFor("MODE-END")
        #expect(after.contains("interrupted; your progress is saved"))
        #expect(after.contains("EXITED 130"))
        #expect(after.contains("icanon echo"))
        #expect(!after.contains("-icanon") && !after.contains("-echo"))
        let saved = try String(contentsOfFile: dir + "/p", encoding: .utf8)
        #expect(saved.contains("current 2\n") && saved.contains("at 2 1 0\n"))
    }
}
