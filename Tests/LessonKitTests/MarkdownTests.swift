// MarkdownTests.swift — lesson Markdown: step splitting, blocks, inline spans, and the terminal
// rendering's wrapping and colour. Read next: LessonProgressTests.swift.

import Testing
@testable import LessonKit

@Suite struct MarkdownTests {
    let lessonText = """
    # Title line

    Intro paragraph.

    ## First step
    Some *text* here.
    ```swift
    let x = 1
    ## not a heading inside code
    ```
    <!-- run: first -->
    After the output.

    ## Second step
    Only words.
    """

    @Test func splitsStepsAtLevelTwoHeadingsOutsideCode() {
        let steps = LessonStep.parse(lessonText)
        #expect(steps.map(\.title) == ["Introduction", "First step", "Second step"])
        #expect(steps[0].body == "Intro paragraph.")
        #expect(steps[1].runName == "first")
        #expect(steps[1].body.contains("## not a heading inside code"))
        #expect(steps[1].afterword == "After the output.")
        #expect(steps[1].swiftBlocks == ["let x = 1\n## not a heading inside code"])
        #expect(steps[2].runName == nil)
    }

    @Test func introductionIsDroppedWhenOnlyATitle() {
        let steps = LessonStep.parse("# T\n\n## A\nx\n")
        #expect(steps.map(\.title) == ["A"])
    }

    @Test func blocks() {
        let blocks = MarkdownBlock.parse("# H\npara one\ncontinues\n\n- a\n- b\n  more\n1. c\n\n> q\n<!-- hidden -->\n```\ncode\n```")
        #expect(blocks == [
            .heading(level: 1, text: "H"),
            .paragraph("para one continues"),
            .list([.init(marker: "•", text: "a"), .init(marker: "•", text: "b more"), .init(marker: "1.", text: "c")]),
            .quote("q"),
            .code(language: "", lines: ["code"]),
        ])
    }

    @Test func inlineSpans() {
        let spans = InlineSpan.parse("a **b** *c* `d*e*` snake_case_name 2*3*4")
        #expect(spans == [
            .init(text: "a ", style: .plain), .init(text: "b", style: .bold), .init(text: " ", style: .plain),
            .init(text: "c", style: .italic), .init(text: " ", style: .plain), .init(text: "d*e*", style: .code),
            .init(text: " snake_case_name 2*3*4", style: .plain),
        ])
        #expect(InlineSpan.parse("a **`Value`** b") == [
            .init(text: "a ", style: .plain), .init(text: "Value", style: .code), .init(text: " b", style: .plain),
        ])
    }

    @Test(arguments: [20, 33, 47, 80])
    func wrapsProseToTheWidthAndKeepsEveryWord(width: Int) {
        let words = (1...60).map { "word\($0)" }
        let text = words.enumerated().map { $0.offset % 7 == 3 ? "**\($0.element)**" : $0.element }.joined(separator: " ")
        let style = TerminalStyle(width: width, color: true)
        let lines = style.render(text)
        #expect(lines.allSatisfy { $0.visibleWidth <= width })
        #expect(lines.count > 1)
        let plain = TerminalStyle(width: width, color: false).render(text)
        let plainWords: [String] = plain.joined(separator: " ").split(separator: " ").map { String($0) }
        #expect(plainWords == words)
        // Colour changes only escapes: the same visible lines.
        #expect(lines.map(\.visibleWidth) == plain.map(\.count))
    }

    @Test func colourMarksHeadingsEmphasisAndCode() {
        let colored = TerminalStyle(width: 80, color: true).render("## Step\n\nsome **bold** and `code`\n\n```swift\nlet x = 2 // two\n```")
        let joined = colored.joined(separator: "\n")
        #expect(joined.contains("\u{1B}[1;33mStep\u{1B}[0m"))
        #expect(joined.contains("\u{1B}[1mbold\u{1B}[0m"))
        #expect(joined.contains("\u{1B}[36mcode\u{1B}[0m"))
        #expect(joined.contains("\u{1B}[35mlet\u{1B}[0m"))
        #expect(joined.contains("\u{1B}[2m// two\u{1B}[0m"))
        let plain = TerminalStyle(width: 80, color: false).render("## Step\n\nsome **bold** and `code`")
        #expect(!plain.joined().contains("\u{1B}"))
        #expect(plain == ["Step", "", "some bold and code"])
    }

    @Test func numbersAsLessonsShowThem() {
        #expect(num(6) == "6")
        #expect(num(-0.5) == "-0.5")
        #expect(num(0.70710678) == "0.7071")
        #expect(num(-0.0) == "0")
        #expect(num(1e-6) == "1e-6")
        #expect(num(2.5e9) == "2.5e9")
        #expect(num(.nan) == "nan")
    }

    @Test func htmlEscapesEverything() {
        let html = HTMLText.render("a <b> & \"c\" **<i>**\n\n```swift\nif a < b {}\n```")
        #expect(html.contains("a &lt;b&gt; &amp; &quot;c&quot; <strong>&lt;i&gt;</strong>"))
        #expect(html.contains("if a &lt; b {}"))
        #expect(!html.contains("<b>"))
    }
}
