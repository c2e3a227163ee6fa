// Curriculum.swift — the lessons, in teaching order. `lumen learn` lists these.
//
// Each lesson lives in its own folder: LessonNN+Text.swift holds the Markdown the learner
// reads, LessonNN.swift the code its steps run, marked so tests can check the two agree.
// Read next: 01-a-value-and-its-graph/Lesson01+Text.swift.

import LessonKit

public enum Curriculum {
    /// Every lesson, ordered by id (1, 2, 3, ...).
    public static let lessons: [Lesson] = [
        Lesson01.lesson, Lesson02.lesson, Lesson03.lesson, Lesson04.lesson, Lesson05.lesson,
        Lesson06.lesson, Lesson07.lesson, Lesson08.lesson, Lesson09.lesson, Lesson10.lesson,
        Lesson11.lesson, Lesson12.lesson, Lesson13.lesson, Lesson14.lesson, Lesson15.lesson,
        Lesson16.lesson, Lesson17.lesson,
    ]

    /// The lesson with this id, or nil.
    public static func lesson(_ id: Int) -> Lesson? { lessons.first { $0.id == id } }

    /// The lesson after `id`, if there is one.
    public static func lesson(after id: Int) -> Lesson? { lessons.first { $0.id > id } }
}
