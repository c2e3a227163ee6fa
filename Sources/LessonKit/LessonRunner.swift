// LessonRunner.swift — steps a learner through a lesson: each step's text, then what its code
// printed, then (for backprop) one screen per backward step.
//
// Interactive: one screen at a time, keys to move, progress saved at every move. Otherwise the
// whole lesson prints in order. Read next: LessonRunner+HTML.swift (the same lesson as a page).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one lesson's steps and lays their output out as screens.
public final class LessonRunner {
    public let lesson: Lesson
    public let steps: [LessonStep]
    /// Where frames go (`<root>/lesson-NN/`), or nil for text only.
    public let frameRoot: String?
    public var style: TerminalStyle
    private var cache: [Int: [StepOutput]] = [:]

    public init(lesson: Lesson, frameRoot: String?, style: TerminalStyle) {
        self.lesson = lesson
        self.steps = lesson.steps
        self.frameRoot = frameRoot
        self.style = style
    }

    /// Runs step `index`'s code now (again, if it ran before) and returns what it produced. A thrown
    /// error becomes a last line saying so; it does not end the lesson.
    @discardableResult
    public func run(step index: Int) -> [StepOutput] {
        guard let name = steps[index].runName, let code = lesson.code[name] else {
            cache[index] = []
            return []
        }
        let writer = frameRoot.map { FrameWriter(root: $0, lessonID: lesson.id, prefix: "step-\(pad(index + 1))-") }
        let context = StepContext(frames: writer)
        do { try code(context) } catch { context.print("error: \(error)") }
        cache[index] = context.outputs
        return context.outputs
    }

    /// The step's output, running it the first time it is needed.
    public func outputs(step index: Int) -> [StepOutput] {
        cache[index] ?? run(step: index)
    }

    /// The screens of one step: the first holds the text and the output before the first backward
    /// frame; each frame starts a new screen.
    public func screens(step index: Int) -> [[String]] {
        let step = steps[index]
        var first = [style.paint(step.title, "1;33"), ""] + style.render(step.body)
        var screens: [[String]] = []
        var current: [String] = []
        let outputs = outputs(step: index)
        if outputs.first.map({ $0.frame == nil }) ?? false {
            current = ["", style.dim("── what the code prints ──")]
        }
        for output in outputs {
            switch output {
            case .line(let text):
                current.append("  " + text)
            case .picture(let title, let file, let png, _, let problem):
                if let file { current.append(style.dim("  picture of \(title): \(file)")) }
                if let png { current.append(style.dim("  picture of \(title): \(png)")) }
                if let problem { current.append(style.dim("  (no picture of \(title): \(problem))")) }
            case .frame, .tensorFrame:
                let frame = output.frame!
                if screens.isEmpty { first += current } else { screens.append(current) }
                if screens.isEmpty { screens.append(first) }
                current = frame.lines(style: style)
            }
        }
        let afterword = step.afterword.isEmpty ? [] : [""] + style.render(step.afterword)
        if screens.isEmpty {
            screens.append(first + current + afterword)
        } else {
            screens.append(current + afterword)
        }
        if let frames = frameCount(outputs), frames > 0 {
            screens[0] += ["", style.dim("  Next: backward, one node per screen (\(frames) screens).")]
        }
        return screens
    }

    private func frameCount(_ outputs: [StepOutput]) -> Int? {
        outputs.reduce(0) { count, output in output.frame == nil ? count : count + 1 }
    }

    /// The header line of every screen: lesson, step number, screen within the step.
    func header(step: Int, screen: Int, screens: Int) -> String {
        let place = "step \(step + 1) of \(steps.count)" + (screens > 1 ? " · screen \(screen + 1) of \(screens)" : "")
        return style.accent("Lesson \(lesson.id) · \(lesson.title)") + style.dim("   \(place)")
    }

    /// The whole lesson as text, every step and every screen in order.
    public func transcript() -> String {
        var lines = [style.paint("Lesson \(lesson.id): \(lesson.title)", "1;36"), ""]
        for index in steps.indices {
            lines.append(style.dim("━━ Step \(index + 1) of \(steps.count) " + String(repeating: "━", count: 40)))
            for screen in screens(step: index) { lines += screen + [""] }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Paging

    /// One terminal page of a screen, as `less` would show it: the header, the lines of
    /// `screen` from `offset` that fit in a terminal `rows` tall and `columns` wide (a line
    /// longer than the terminal takes several rows), then the key line. When the screen does
    /// not fit, the step's title stays on top of each later page and the key line says which
    /// lines are shown. `more` is true when lines follow the page.
    public func page(
        step: Int, screen: [String], screenIndex: Int, screens: Int, offset: Int, rows: Int, columns: Int
    ) -> (lines: [String], more: Bool) {
        let offset = min(max(0, offset), max(0, screen.count - 1))
        var top = [header(step: step, screen: screenIndex, screens: screens), ""]
        if offset > 0 { top.append(style.paint(steps[step].title, "1;33") + style.dim("  (continued)")) }
        let keys = "Enter next · b back · r re-run · q quit · ? help"
        // Rows left for the screen's lines: the top, a blank line and the key line take the rest.
        var room = max(3, rows - top.count - 2)
        var shown: [String] = []
        var index = offset
        while index < screen.count {
            let height = max(1, (screen[index].visibleWidth + max(1, columns) - 1) / max(1, columns))
            if height > room && !shown.isEmpty { break }
            shown.append(screen[index])
            room -= height
            index += 1
        }
        let more = index < screen.count
        let footer = offset == 0 && !more ? keys
            : "lines \(offset + 1)–\(index) of \(screen.count) · " + (more ? "Enter more · " : "Enter next · ")
                + "b back · r re-run · q quit · ? help"
        return (top + shown + ["", style.dim(footer)], more)
    }

    // MARK: - Interactive

    /// How an interactive session ended.
    public enum Ending: Equatable, Sendable { case quit(Position), finished }

    /// Steps through the lesson on the terminal from `progress`'s saved position, saving at every
    /// move. `nextLesson` becomes current when this one is finished.
    public func interact(progress: inout LessonProgress, file: ProgressFile, nextLesson: Int?) throws(ProgressError) -> Ending {
        var position = progress.positions[lesson.id] ?? Position(step: 0, screen: 0)
        position.step = min(max(0, position.step), steps.count - 1)
        progress.current = lesson.id
        progress.positions[lesson.id] = position
        try file.save(progress)

        Terminal.enterRawMode()
        defer { Terminal.leaveRawMode() }
        emit("\u{1B}[?25l")  // hide the cursor while showing screens
        defer { emit("\u{1B}[?25h") }
        var showHelp = false
        var offset = 0  // the first line shown of a screen taller than the terminal
        var earlierOffsets: [Int] = []  // the pages above it, for paging back
        while true {
            let columns = Terminal.width(), rows = Terminal.height()
            style.width = min(columns, 100)
            if cache[position.step] == nil && steps[position.step].runName != nil {
                emit(Terminal.clearScreen + header(step: position.step, screen: 0, screens: 1) + "\n\n"
                     + style.dim("  running this step's code …") + "\n")
            }
            let screens = screens(step: position.step)
            position.screen = min(max(0, position.screen), screens.count - 1)
            let shown = page(step: position.step, screen: showHelp ? helpLines : screens[position.screen],
                             screenIndex: position.screen, screens: screens.count, offset: showHelp ? 0 : offset,
                             rows: rows, columns: columns)
            emit(Terminal.clearScreen + shown.lines.joined(separator: "\n"))
            let wasHelp = showHelp
            showHelp = false

            let key = Terminal.readKey()
            // Within a screen taller than the terminal, Enter and b page down and up first.
            if !wasHelp && key == .next && shown.more {
                earlierOffsets.append(offset)
                offset += shown.lines.count - (offset > 0 ? 3 : 2) - 2
                continue
            }
            if !wasHelp && key == .back, let previous = earlierOffsets.popLast() {
                offset = previous
                continue
            }
            if key != .help && key != .other {
                offset = 0
                earlierOffsets = []
            }
            switch key {
            case .next:
                if position.screen + 1 < screens.count {
                    position.screen += 1
                } else if position.step + 1 < steps.count {
                    position = Position(step: position.step + 1, screen: 0)
                } else {
                    progress.done.insert(lesson.id)
                    progress.positions[lesson.id] = nil
                    progress.current = nextLesson ?? lesson.id
                    try file.save(progress)
                    emit(Terminal.clearScreen + style.accent("You finished lesson \(lesson.id): \(lesson.title).") + "\n"
                         + (nextLesson.map { "Next: lumen learn \($0)\n" } ?? "That was the last lesson. Well done!\n"))
                    return .finished
                }
            case .back:
                if position.screen > 0 {
                    position.screen -= 1
                } else if position.step > 0 {
                    position.step -= 1
                    position.screen = self.screens(step: position.step).count - 1
                }
            case .rerun:
                run(step: position.step)
            case .quit:
                try file.save(progress)
                emit(Terminal.clearScreen + "Stopped at step \(position.step + 1) of lesson \(lesson.id). "
                     + "Run `lumen learn \(lesson.id)` to continue from here.\n")
                return .quit(position)
            case .help:
                showHelp = true
            case .other:
                break
            }
            progress.positions[lesson.id] = position
            try file.save(progress)
        }
    }

    var helpLines: [String] {
        [style.bold("Keys"), "",
         "  Enter, n, space, →   next screen",
         "  b, ←                 back one screen",
         "  r                    run this step's code again",
         "  q                    quit; `lumen learn \(lesson.id)` resumes here",
         "  ?                    this help", "",
         "Your place is saved after every key, in the progress file.",
         "Backprop pictures are written under \(frameRoot ?? "(no pictures)")."]
    }

    private func emit(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}

func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
