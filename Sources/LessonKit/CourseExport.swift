// CourseExport.swift — the whole course as a folder of HTML pages: one self-contained page per
// lesson (LessonRunner+HTML.swift) and an index page that links them in order.
//
// `lumen learn --html DIR` without a lesson number writes this; a teacher can put the folder
// on a course site as it is. Read next: LessonRunner+HTML.swift (one lesson's page).

import Foundation

public enum CourseExport {
    /// Runs every lesson and writes `<directory>/lesson-NN.html` for each (linking the index
    /// and the lessons before and after it, `LessonRunner.CourseLinks`), then
    /// `<directory>/index.html`; returns the paths written, the index last. `progress` is
    /// told each lesson as it starts (exporting runs every step's code, which takes a while).
    @discardableResult
    public static func write(
        _ lessons: [Lesson], to directory: String, frameRoot: String?, style: TerminalStyle,
        progress: (Lesson) -> Void = { _ in }
    ) throws -> [String] {
        var written: [String] = []
        for (k, lesson) in lessons.enumerated() {
            progress(lesson)
            let links = LessonRunner.CourseLinks(previous: k > 0 ? lessons[k - 1] : nil,
                                                 next: k + 1 < lessons.count ? lessons[k + 1] : nil)
            written.append(try LessonRunner(lesson: lesson, frameRoot: frameRoot, style: style).exportHTML(to: directory, course: links))
        }
        let index = (directory as NSString).appendingPathComponent("index.html")
        try AtomicWrite.write(Data(indexHTML(lessons).utf8), to: index)
        return written + [index]
    }

    /// The index page: the course title, then one link per lesson with its number, title and
    /// how many steps it has.
    public static func indexHTML(_ lessons: [Lesson]) -> String {
        let items = lessons.map { lesson in
            let steps = lesson.steps.count
            return "<li><a href=\"lesson-\(lesson.paddedID).html\">\(lesson.id). \(HTMLText.escape(lesson.title))</a>"
                + " <span class=\"steps\">\(steps) step\(steps == 1 ? "" : "s")</span></li>"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Lumen lessons</title>
        <style>
        body { font: 17px/1.5 system-ui, sans-serif; max-width: 44em; margin: 2em auto; padding: 0 1em; color: #212529; }
        li { margin: 0.4em 0; } a { color: #1864ab; } .steps { color: #868e96; font-size: 0.85em; }
        </style></head><body>
        <h1>Lumen lessons</h1>
        <p>Automatic differentiation node by node, then real models with the same code. Each page
        works offline: text, code, what the code printed, and every backward step as a picture.</p>
        <ol class="lessons">
        \(items.joined(separator: "\n"))
        </ol>
        </body></html>

        """
    }
}
