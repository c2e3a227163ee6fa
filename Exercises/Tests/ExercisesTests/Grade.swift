// Grade.swift — how every task's quick check works: run Lumen's grader on your code, in this
// test process, and fail with the grader's explanation.
//
// This is the quick check (`swift test`). The verdict that is recorded, and that a teacher can
// trust, is `lumen grade`'s: it runs the same graders, but in a process your code never runs
// in (README.md, "Two ways to grade").
//
// Read next: Task1Tests.swift.

import Exercises
import ExerciseGraders
import Testing

func gradeTask(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let report = Grader.grade(id, learnerSolution())
    if report.outcome != .passed {
        Issue.record(Comment(rawValue: report.explanation), sourceLocation: sourceLocation)
    }
}
