// CourseExportTests.swift — the whole course as pages plus an index: one page per lesson, an
// index linking each in order with its title and step count, and titles escaped.

import _TestSupport
import Foundation
import Testing
@testable import LessonKit

@Suite struct CourseExportTests {
    static let lessons = [
        LessonRunnerTests.lesson,
        Lesson(id: 8, markdown: "# Shapes <and> sizes\n\n## One\n<!-- run: one -->\n\n## Two\nText.", code: [
            "one": { out in out.print("printed by lesson 8") },
        ]),
    ]

    @Test func everyLessonGetsAPageAndTheIndexLinksThemInOrder() throws {
        let directory = try makeTemporaryDirectory()
        var started: [Int] = []
        let written = try CourseExport.write(Self.lessons, to: directory, frameRoot: nil, style: TerminalStyle(color: false)) {
            started.append($0.id)
        }
        #expect(started == [7, 8])
        #expect(written.map { ($0 as NSString).lastPathComponent } == ["lesson-07.html", "lesson-08.html", "index.html"])
        // Each page is that lesson's own, with what its code printed.
        let page8 = try String(contentsOfFile: written[1], encoding: .utf8)
        #expect(page8.contains("printed by lesson 8") && !page8.contains("After forward."))
        let page7 = try String(contentsOfFile: written[0], encoding: .utf8)
        #expect(page7.contains("After forward."))

        let index = try String(contentsOfFile: written[2], encoding: .utf8)
        let links = index.components(separatedBy: "<a href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(links == ["lesson-07.html", "lesson-08.html"])
        #expect(index.contains("7. Test lesson</a>"))
        #expect(index.contains("8. Shapes &lt;and&gt; sizes</a> <span class=\"steps\">2 steps</span>"))
        // Lesson 7 has three steps (Forward, Backward, Broken).
        #expect(index.contains("Test lesson</a> <span class=\"steps\">3 steps</span>"))
    }

    @Test func eachPageLinksTheIndexAndItsNeighbours() throws {
        let directory = try makeTemporaryDirectory()
        let written = try CourseExport.write(Self.lessons, to: directory, frameRoot: nil, style: TerminalStyle(color: false))
        /// The targets of the page's links with `rel="…"`, in order.
        func links(_ page: String, rel: String) -> [String] {
            page.components(separatedBy: "<a rel=\"\(rel)\" href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
        let page7 = try String(contentsOfFile: written[0], encoding: .utf8)
        let page8 = try String(contentsOfFile: written[1], encoding: .utf8)
        // At the top and at the bottom of each page; every target is a file the export wrote.
        #expect(links(page7, rel: "index") == ["index.html", "index.html"])
        #expect(links(page8, rel: "index") == ["index.html", "index.html"])
        #expect(links(page7, rel: "prev").isEmpty && links(page7, rel: "next") == ["lesson-08.html", "lesson-08.html"])
        #expect(links(page8, rel: "prev") == ["lesson-07.html", "lesson-07.html"] && links(page8, rel: "next").isEmpty)
        #expect(page7.contains("8. Shapes &lt;and&gt; sizes →</a>"))
        let names = Set(written.map { ($0 as NSString).lastPathComponent })
        for target in links(page7, rel: "index") + links(page7, rel: "next") + links(page8, rel: "prev") {
            #expect(names.contains(target), "\(target) was not written")
        }
        // A page exported on its own links nowhere.
        let alone = LessonRunner(lesson: Self.lessons[0], frameRoot: nil, style: TerminalStyle(color: false)).html()
        #expect(!alone.contains("<nav class=\"course\">"))
    }

    @Test func anUnwritableFolderIsAnErrorNotACrash() throws {
        let directory = try makeTemporaryDirectory()
        let file = (directory as NSString).appendingPathComponent("a-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: (any Error).self) {
            try CourseExport.write(Self.lessons, to: file + "/course", frameRoot: nil, style: TerminalStyle(color: false))
        }
    }
}
