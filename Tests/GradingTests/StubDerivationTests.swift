// StubDerivationTests.swift — the learner's stubs are the reference solutions with each
// solution body replaced by the two-line marker, and nothing else differs.
//
// In Sources/ExerciseSolutions every body a learner writes starts with `// SOLUTION(Task x.y): goal`.
// The stub has `// TODO(Task x.y): goal` and `throw Unimplemented("Task x.y")` in its place.
// Once a learner has started editing the stubs in this checkout, these checks are skipped.
//
// Read next: Exercises/README.md.

import ExerciseGraders
import Foundation
import Grading
import Testing

/// True while every stub still has its marker, i.e. nobody has started the exercises here.
let stubsAreUntouched: Bool = ExerciseTask.all.allSatisfy { task in
    let url = exercisesFolder.appendingPathComponent("Sources/Exercises/\(task.file)")
    return (try? String(contentsOf: url, encoding: .utf8))?.contains(task.stubMarker) ?? false
}

/// The stub text for a solution file (the rule lives in Grading, where `lumen reset` uses it).
func stubText(fromSolution text: String) -> String { ExerciseSources.stubText(fromSolution: text) }

/// Lumen's reference solutions, outside the learner's folder.
let solutionsFolder = lumenCheckout.appendingPathComponent("Sources/ExerciseSolutions")

@Suite(.enabled(if: stubsAreUntouched, "the exercises in this checkout have been started"))
struct StubDerivationTests {
    /// Every file of the reference solutions: a new one needs its stub file beside the others.
    static let files = ((try? FileManager.default.contentsOfDirectory(atPath: solutionsFolder.path)) ?? []).filter { $0.hasSuffix(".swift") }.sorted()

    @Test("each stub file is its solution file with the solution bodies replaced", arguments: files)
    func stubMatchesSolution(file: String) throws {
        let solution = try String(contentsOf: solutionsFolder.appendingPathComponent(file), encoding: .utf8)
        let stub = try String(contentsOf: exercisesFolder.appendingPathComponent("Sources/Exercises/\(file)"), encoding: .utf8)
        let expected = stubText(fromSolution: solution)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let stubLines = stub.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(expectedLines, stubLines).enumerated().first { $1.0 != $1.1 }
        #expect(firstDifference == nil && expectedLines.count == stubLines.count,
                "\(file) differs from its solution at line \((firstDifference?.offset ?? min(expectedLines.count, stubLines.count)) + 1)")
    }

    @Test("every task has exactly one TODO marker per function it asks for, in the file the catalogue names")
    func everyTaskHasItsStub() throws {
        for task in ExerciseTask.all {
            let stub = try String(contentsOf: exercisesFolder.appendingPathComponent("Sources/Exercises/\(task.file)"), encoding: .utf8)
            let todos = stub.components(separatedBy: "// TODO(Task \(task.id)): ").count - 1
            let throwsCount = stub.components(separatedBy: task.stubMarker).count - 1
            #expect(todos >= 1 && todos == throwsCount, "Task \(task.id) in \(task.file): \(todos) TODO lines, \(throwsCount) throws")
        }
    }
}
