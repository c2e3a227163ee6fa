// Lesson.swift — a lesson: its Markdown text, split into steps, and the Swift code those steps run.
//
// A lesson's text is ordinary Markdown. Each `## ` heading starts a step; a line
// `<!-- run: name -->` in a step names the code it runs, looked up in `code`.
// Read next: StepContext.swift (what step code writes to), then LessonRunner.swift.

/// The code one step runs. It writes what it wants the learner to see to `out`, so the runner can
/// show, re-run and export it without touching stdout.
public typealias StepCode = @Sendable (StepContext) throws -> Void

/// One lesson of the curriculum.
public struct Lesson: Sendable {
    /// The lesson's number, 1-based; `lumen learn 3` opens lesson 3.
    public let id: Int
    /// The text: a `# Title` line, an introduction, then one `## ` section per step.
    public let markdown: String
    /// The code the steps name with `<!-- run: name -->`.
    public let code: [String: StepCode]

    public init(id: Int, markdown: String, code: [String: StepCode]) {
        self.id = id
        self.markdown = markdown
        self.code = code
    }

    /// The title: the text of the first `# ` heading.
    public var title: String {
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false)
        where line.hasPrefix("# ") {
            return String(line.dropFirst(2)).trimmingSpaces()
        }
        return "Lesson \(id)"
    }

    /// The steps, in order (see `LessonStep.parse`).
    public var steps: [LessonStep] { LessonStep.parse(markdown) }

    /// The lesson id as printed and used in file names: `03`.
    public var paddedID: String { id < 10 ? "0\(id)" : "\(id)" }

    /// Checks that every step's `run:` name has code and every piece of code is used.
    /// Returns human-readable problems; empty means the lesson is well formed.
    public func problems() -> [String] {
        var found: [String] = []
        let steps = self.steps
        if steps.isEmpty { found.append("lesson \(id) has no `## ` step headings") }
        var used = Set<String>()
        for step in steps {
            guard let name = step.runName else { continue }
            used.insert(name)
            if code[name] == nil {
                found.append("lesson \(id), step \"\(step.title)\": no code named \"\(name)\"")
            }
        }
        for name in code.keys.sorted() where !used.contains(name) {
            found.append("lesson \(id): code \"\(name)\" is never run by a step")
        }
        return found
    }
}

/// One step of a lesson: a heading, its Markdown body and, optionally, the code it runs.
public struct LessonStep: Sendable, Equatable {
    /// The text of the step's `## ` heading.
    public let title: String
    /// The Markdown under the heading, up to the `run:` line (all of it if there is none).
    public let body: String
    /// The Markdown after the `run:` line, shown after the code's output.
    public let afterword: String
    /// The name in `<!-- run: name -->`, if the step runs code.
    public let runName: String?

    /// The fenced ```swift blocks of the body, each as its lines joined with newlines.
    public var swiftBlocks: [String] {
        MarkdownBlock.parse(body + "\n\n" + afterword).compactMap { block in
            if case .code(let language, let lines) = block, language == "swift" { return lines.joined(separator: "\n") }
            return nil
        }
    }

    /// Splits lesson Markdown into steps at each `## ` heading outside code fences. The text
    /// before the first step heading (the `# Title` and the introduction) becomes step 0,
    /// titled "Introduction", when it has anything besides the title.
    public static func parse(_ markdown: String) -> [LessonStep] {
        var sections: [(title: String, lines: [String])] = [("Introduction", [])]
        var inFence = false
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.trimmingSpaces().hasPrefix("```") { inFence.toggle() }
            if !inFence && line.hasPrefix("## ") {
                sections.append((String(line.dropFirst(3)).trimmingSpaces(), []))
            } else if !inFence && line.hasPrefix("# ") && sections.count == 1 {
                continue  // the lesson title is shown in the header of every screen
            } else {
                sections[sections.count - 1].lines.append(line)
            }
        }
        return sections.enumerated().compactMap { index, section in
            var runName: String?
            var before: [String] = []
            var after: [String] = []
            for line in section.lines {
                let trimmed = line.trimmingSpaces()
                if runName == nil && trimmed.hasPrefix("<!-- run:") && trimmed.hasSuffix("-->") {
                    runName = String(trimmed.dropFirst(9).dropLast(3)).trimmingSpaces()
                } else if runName == nil {
                    before.append(line)
                } else {
                    after.append(line)
                }
            }
            let body = before.joined(separator: "\n").trimmingBlankLines()
            let afterword = after.joined(separator: "\n").trimmingBlankLines()
            if index == 0 && body.isEmpty && runName == nil { return nil }
            return LessonStep(title: section.title, body: body, afterword: afterword, runName: runName)
        }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
        return String(s)
    }

    func trimmingBlankLines() -> String {
        var lines = String(self).split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        while let first = lines.first, first.trimmingSpaces().isEmpty { lines.removeFirst() }
        while let last = lines.last, last.trimmingSpaces().isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
