// Grade.swift — how every task's test grades: run Lumen's grader on your code, print the
// grade line for `lumen grade`, and fail with the grader's explanation.
//
// Read next: Task1Tests.swift.

import Exercises
import ExerciseGraders
import Testing

func gradeTask(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let report = Grader.grade(id, learnerSolution())
    print(GradeLine.text(for: report))
    if report.outcome != .passed {
        Issue.record(Comment(rawValue: report.explanation), sourceLocation: sourceLocation)
    }
}
