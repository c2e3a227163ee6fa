// LessonRunnerTests.swift — the runner on a small test lesson: screens, backprop frames checked
// against the chain rule by hand, pictures on disk, errors in step code, and the HTML page.

import Engine
import Foundation
import Testing
@testable import LessonKit

@Suite struct LessonRunnerTests {
    static let lesson = Lesson(id: 7, markdown: """
    # Test lesson

    ## Forward
    ```swift
    out.print("x")
    ```
    <!-- run: forward -->
    After forward.

    ## Backward
    <!-- run: backward -->
    Done.

    ## Broken
    <!-- run: broken -->
    """, code: [
        "forward": { out in out.print("y =", 0.25) },
        "backward": { out in
            // y = (a·b) + a at a = 3, b = -2: ∂y/∂a = b + 1 = -1, ∂y/∂b = a = 3.
            let a = Value(3, label: "a"), b = Value(-2, label: "b")
            let m = a * b
            m.label = "m"
            let y = m + a
            y.label = "y"
            out.walkBackward(from: y, title: "y = a·b + a")
            out.print("grads", a.grad!, b.grad!)
        },
        "broken": { _ in throw CocoaError(.fileNoSuchFile) },
    ])

    @Test func lessonIsWellFormed() {
        #expect(Self.lesson.problems().isEmpty)
        #expect(Self.lesson.title == "Test lesson")
        let broken = Lesson(id: 1, markdown: "## A\n<!-- run: missing -->", code: ["unused": { _ in }])
        #expect(broken.problems().count == 2)
    }

    @Test func backwardFramesFollowTheChainRule() throws {
        let dir = makeTempDirectory()
        let runner = LessonRunner(lesson: Self.lesson, frameRoot: dir, style: TerminalStyle(width: 80, color: false))
        let frames = runner.outputs(step: 1).compactMap { output -> BackpropFrame? in
            if case .frame(let f) = output { return f } else { return nil }
        }
        // Reverse topological order: y, then m before a (a waits for both users), b, a.
        #expect(frames.map(\.node).count == 4)
        #expect(frames.first?.node == "y")
        #expect(frames.last?.node == "a")
        #expect(frames.allSatisfy { $0.total == 4 })
        let y = frames[0]
        #expect(y.upstream == 1)
        #expect(y.edges.map(\.input) == ["m", "a"])
        #expect(y.edges.map(\.local) == [1, 1])
        let m = try #require(frames.first { $0.node == "m" })
        // m = a·b: local ∂m/∂a = b = -2, ∂m/∂b = a = 3; upstream 1.
        #expect(m.edges.map(\.local) == [-2, 3])
        #expect(m.edges.map(\.contribution) == [-2, 3])
        // a had 1 from y, then -2 from m: accumulated to -1 = b + 1.
        #expect(m.edges[0].inputGradAfter == -1)
        #expect(frames.last?.upstream == -1)
        // Pictures: numbered files, highlighted node outlined.
        for (i, frame) in frames.enumerated() {
            let file = try #require(frame.file)
            #expect(file.hasSuffix("lesson-07/step-02-frame-00\(i + 1).svg"))
            #expect(FileManager.default.fileExists(atPath: file))
            #expect(frame.svg?.contains("<svg") == true)
            // The same frame as PNG beside it: the file starts with PNG's 8-byte signature.
            let png = try #require(frame.png)
            #expect(png == String(file.dropLast(4)) + ".png")
            let bytes = try #require(FileManager.default.contents(atPath: png))
            #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        }
        let screens = runner.screens(step: 1)
        // Each backward screen prints both paths.
        for (i, frame) in frames.enumerated() {
            #expect(screens[1 + i].contains { $0.hasSuffix("graph: \(frame.file!)") })
            #expect(screens[1 + i].contains { $0.hasSuffix("graph: \(frame.png!)") })
        }
        #expect(screens.count == 1 + 4)  // the text, then one per backward step
        #expect(screens[1].contains { $0.contains("product   1 × 1 = 1") })
        #expect(screens[4].last { !$0.isEmpty } == "Done.")
        #expect(screens[4].contains("  grads -1 3"))
    }

    @Test func outputComesBetweenTheCodeAndTheAfterword() {
        let runner = LessonRunner(lesson: Self.lesson, frameRoot: nil, style: TerminalStyle(width: 80, color: false))
        let screen = runner.screens(step: 0)[0]
        let code = screen.firstIndex(of: "    out.print(\"x\")")!
        let output = screen.firstIndex(of: "  y = 0.25")!
        let after = screen.firstIndex(of: "After forward.")!
        #expect(code < output && output < after)
    }

    @Test func aThrowingStepReportsAndTheLessonGoesOn() {
        let runner = LessonRunner(lesson: Self.lesson, frameRoot: nil, style: TerminalStyle(width: 80, color: false))
        let transcript = runner.transcript()
        #expect(transcript.contains("error: "))
        #expect(transcript.contains("Step 3 of 3"))
    }

    @Test func htmlPageIsSelfContainedWithAPlayer() throws {
        let dir = makeTempDirectory()
        let runner = LessonRunner(lesson: Self.lesson, frameRoot: dir + "/frames", style: TerminalStyle(width: 80, color: false))
        let path = try runner.exportHTML(to: dir + "/html")
        #expect(path.hasSuffix("html/lesson-07.html"))
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        #expect(html.contains("type=\"range\" min=\"1\" max=\"4\""))
        #expect(!html.contains("<?xml"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(html.contains("y = 0.25"))
    }

    @Test("plots and line charts are written as SVG and PNG, and inlined in the page with ids of their own")
    func plotsAreInlinedWithUniqueIDs() throws {
        // Two boundary plots whose titles differ only in a digit: Cairo names the glyphs the
        // same in both files, so shared ids would draw the second title with the first's glyphs.
        let lesson = Lesson(id: 9, markdown: "# Plots\n\n## Two plots\n<!-- run: plots -->\n", code: [
            "plots": { out in
                let points = [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]]
                out.plotBoundary(points: points, labels: [1, 1, -1, -1], title: "after 0 steps") { x, _ in x - 0.5 }
                out.plotBoundary(points: points, labels: [1, 1, -1, -1], title: "after 5 steps") { _, y in y - 0.5 }
                out.plotLines(title: "loss", xLabel: "step", yLabel: "loss", series: [("a", [0, 1, 2], [3, 2, 1])])
            },
        ])
        let root = NSTemporaryDirectory() + "lessonkit-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let runner = LessonRunner(lesson: lesson, frameRoot: root, style: TerminalStyle(width: 80, color: false))
        let screen = runner.screens(step: 0).joined().joined(separator: "\n")
        for name in ["step-01-boundary-001", "step-01-boundary-002", "step-01-plot-003"] {
            for format in ["svg", "png"] {
                let path = "\(root)/lesson-09/\(name).\(format)"
                #expect(FileManager.default.fileExists(atPath: path))
                #expect(screen.contains(path))
            }
        }
        let html = runner.html()
        let svgs = html.components(separatedBy: "<svg").dropFirst()
        #expect(svgs.count == 3)
        let ids = html.matches(of: /\sid="([^"]+)"/).map { String($0.1) }
        #expect(Set(ids).count == ids.count, "an id is used twice in the page")
        // Every reference inside a picture points to an id of that same picture.
        for svg in svgs {
            let own = Set(svg.matches(of: /\sid="([^"]+)"/).map { String($0.1) })
            let references = svg.matches(of: /href="#([^"]+)"/).map { String($0.1) }
            #expect(!references.isEmpty)
            #expect(references.allSatisfy(own.contains))
        }
    }
}

/// Paging: a screen taller than the terminal is shown a page at a time, as `less` does, so
/// nothing scrolls out of sight.
@Suite struct PagingTests {
    /// A lesson whose one step is 94 lines of text (like lesson 5's step 5).
    static let long = Lesson(id: 5, markdown: "# Long\n\n## Many lines\n" + (1...94).map { "line \($0)\n" }.joined(separator: "\n"),
                             code: [:])

    @Test func aLongScreenIsPagedAndEveryLineIsShownOnceInOrder() {
        let runner = LessonRunner(lesson: Self.long, frameRoot: nil, style: TerminalStyle(width: 80, color: false))
        let screen = runner.screens(step: 0)[0]
        #expect(screen.count >= 94)
        var offset = 0, seen: [String] = [], pages = 0
        while true {
            let page = runner.page(step: 0, screen: screen, screenIndex: 0, screens: 1, offset: offset, rows: 24, columns: 80)
            pages += 1
            // Never taller than the terminal; the header always first, the keys always last.
            #expect(page.lines.count <= 24)
            #expect(page.lines[0].hasPrefix("Lesson 5 · Long"))
            let body = Array(page.lines.dropFirst(offset > 0 ? 3 : 2).dropLast(2))
            if offset > 0 { #expect(page.lines[2] == "Many lines  (continued)") }
            seen += body
            let footer = page.lines.last!
            if page.more {
                #expect(page.lines.count == 24)
                #expect(footer == "lines \(offset + 1)–\(offset + body.count) of \(screen.count) · Enter more · b back · r re-run · q quit · ? help")
                offset += body.count
            } else {
                #expect(footer.hasPrefix("lines \(offset + 1)–\(screen.count) of \(screen.count) · Enter next"))
                break
            }
        }
        // 20 lines on the first page (24 rows less header, blank, blank, keys), 19 on the
        // others (the step's title stays on top).
        #expect(seen == screen && pages == 1 + (screen.count - 20 + 18) / 19)
    }

    @Test func aShortScreenIsOnePageWithThePlainKeyLine() {
        let runner = LessonRunner(lesson: LessonRunnerTests.lesson, frameRoot: nil, style: TerminalStyle(width: 80, color: false))
        let screen = runner.screens(step: 0)[0]
        let page = runner.page(step: 0, screen: screen, screenIndex: 0, screens: 1, offset: 0, rows: 24, columns: 80)
        #expect(!page.more && page.lines == [runner.header(step: 0, screen: 0, screens: 1), ""] + screen
                + ["", "Enter next · b back · r re-run · q quit · ? help"])
    }

    @Test func aLineWiderThanTheTerminalTakesSeveralRows() {
        let wide = Lesson(id: 2, markdown: "# Wide\n\n## W\n" + String(repeating: "x", count: 200) + "\n\nshort", code: [:])
        let runner = LessonRunner(lesson: wide, frameRoot: nil, style: TerminalStyle(width: 300, color: false))
        let screen = runner.screens(step: 0)[0]
        #expect(screen.contains(String(repeating: "x", count: 200)))
        // 8 rows: header, blank, then 4 rows for the screen, blank, keys. The step's title and
        // the blank under it take 2; the 200-character line needs 3 rows of 80: next page.
        let page = runner.page(step: 0, screen: screen, screenIndex: 0, screens: 1, offset: 0, rows: 8, columns: 80)
        #expect(page.more && !page.lines.contains("short"))
    }
}
