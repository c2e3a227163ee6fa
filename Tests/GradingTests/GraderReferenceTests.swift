// GraderReferenceTests.swift — every grader passes on the reference solution, in-process.
//
// The reference solutions (Sources/ExerciseSolutions) are compiled into this package as the module
// ExerciseSolutions. The learner's stubs (Exercises/Sources/Exercises) are not: a learner's
// half-written edit must never break Lumen's own build. GradeCommandTests.swift proves that
// every untouched stub is reported as not started, by building a copy of the Exercises package.
//
// Read next: GraderSweepTests.swift (wrong solutions fail on every seed, right ones pass on 2,000).

import ExerciseGraders
import ExerciseSolutions
import Foundation
import Testing

/// Exercises/ at the root of this checkout, found from this file's path.
let exercisesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Exercises")

@Suite struct GraderReferenceTests {
    @Test("the catalogue has at least 32 tasks with unique ids in four tiers, each with hints", .tags())
    func catalogue() {
        let ids = ExerciseTask.all.map(\.id)
        #expect(ids.count >= 32)
        #expect(Set(ids).count == ids.count)
        #expect(Set(ExerciseTask.all.map(\.tier)) == Set(Tier.allCases))
        for task in ExerciseTask.all {
            #expect(task.hints.count >= 2, "task \(task.id) needs a nudge and a stronger hint")
            #expect(task.points > 0)
        }
    }

    @Test("Exercises/README.md maps each task to its file, test suite and lesson as the catalogue does")
    func readmeMatchesTheCatalogue() throws {
        let readme = try String(contentsOf: exercisesFolder.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").map(String.init).filter { $0.hasPrefix("| ") }
        for task in ExerciseTask.all {
            let row = rows.first { $0.hasPrefix("| \(task.id) | ") }
            let expectedStart = "| \(task.id) | \(task.title) | \(task.points) | `Sources/Exercises/\(task.file)` | `\(task.suiteName)"
            #expect(row?.hasPrefix(expectedStart) == true, "README row for \(task.id): \(row ?? "missing")")
            #expect(row?.hasSuffix("| \(task.lesson) |") == true, "README row for \(task.id) names another lesson")
        }
    }

    @Test("the reference solution passes", arguments: ExerciseTask.all.map(\.id))
    func referencePasses(id: String) {
        let report = Grader.grade(id, ExerciseSolutions.learnerSolution())
        #expect(report.outcome == .passed, "\(report.explanation)")
    }

    @Test("the same seed draws the same inputs; a different seed different ones")
    func seedsReplay() {
        // A solution that records what it was asked.
        final class Log: @unchecked Sendable { var inputs: [[Double]] = [] }
        func run(seed: UInt64) -> [[Double]] {
            let log = Log()
            var solution = ExerciseSolutions.learnerSolution()
            solution.logSumExp = { x in log.inputs.append(x); return try ExerciseSolutions.logSumExp(x) }
            _ = Grader.grade("2.7", solution, seed: seed)
            return log.inputs
        }
        #expect(run(seed: 7) == run(seed: 7))
        #expect(run(seed: 7) != run(seed: 8))
    }
}

/// The lessons that tier 4's tasks name, written on another branch at the same time.
let pendingLessons: Set<Int> = [13, 14, 15, 16]

@Suite struct CatalogueConsistencyTests {
    /// Every line of code in the reference solutions, trimmed (comments and short lines left out).
    static let solutionCode: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: solutionsFolder.path)) ?? []
        return files.flatMap { file -> [String] in
            let text = (try? String(contentsOf: solutionsFolder.appendingPathComponent(file), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.count >= 16 && !$0.hasPrefix("//") && !$0.hasPrefix("///") }
        }
    }()

    @Test("no hint is the answer's code: none quotes a line of the reference solutions, and none is written as code")
    func hintsAreNotTheAnswer() {
        for task in ExerciseTask.all {
            for hint in task.hints {
                #expect(!hint.contains("{") && !hint.contains("return ("), "hint of \(task.id) reads as code: \(hint)")
                for line in CatalogueConsistencyTests.solutionCode where hint.contains(line) {
                    Issue.record("hint of \(task.id) quotes the solution: \(line)")
                }
            }
        }
    }

    @Test("every task names lessons that exist, and the first of them teaches the task's subject")
    func lessonsExist() throws {
        let keywords = ["1": "derivative", "2": "broadcast", "2.1": "stride", "2.2": "stride", "2.6": "matmul", "2.7": "softmax",
                        "2.8": "cross-entropy", "3.1": "Linear", "3.2": "Linear", "3.3": "momentum", "3.4": "Adam", "3.5": "Adam",
                        "3.6": "im2col", "3.7": "conv", "3.8": "conv", "1.5": "topological", "1.6": "backward", "1.7": "accumulat", "1.8": "numeric",
                        "4.1": "normaliz", "4.2": "init", "4.3": "embedding", "4.4": "LSTM", "4.5": "attention", "4.6": "sampl",
                        "4.7": "discriminator", "4.8": "mode", "4.9": "block's backward"]
        let folders = try FileManager.default.contentsOfDirectory(atPath: lumenCheckout.appendingPathComponent("Lessons").path)
        for task in ExerciseTask.all {
            let numbers = task.lesson.split(separator: ":")[0].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            #expect(!numbers.isEmpty, "task \(task.id) names no lesson number: \(task.lesson)")
            for number in numbers {
                let folder = folders.first { $0.hasPrefix(String(format: "%02d-", number)) }
                // Lessons 13–16 and their tasks (tier 4) were written side by side on separate
                // branches; on a branch without the lesson yet, its tasks are not held to it.
                if folder == nil && pendingLessons.contains(number) { continue }
                #expect(folder != nil, "task \(task.id) names lesson \(number), which does not exist")
            }
            guard let first = numbers.last, let folder = folders.first(where: { $0.hasPrefix(String(format: "%02d-", first)) }),
                  let keyword = keywords[task.id] ?? keywords[String(task.id.prefix(1))] else { continue }
            let url = lumenCheckout.appendingPathComponent("Lessons/\(folder)")
            let text = try FileManager.default.contentsOfDirectory(atPath: url.path)
                .map { (try? String(contentsOf: url.appendingPathComponent($0), encoding: .utf8)) ?? "" }.joined()
            #expect(text.localizedCaseInsensitiveContains(keyword), "lesson \(first) (\(folder)) never mentions \(keyword), the subject of task \(task.id)")
        }
    }

    @Test("every task has its quick-check suite in Exercises/Tests")
    func everyTaskHasASuite() throws {
        let tests = exercisesFolder.appendingPathComponent("Tests/ExercisesTests")
        let text = try FileManager.default.contentsOfDirectory(atPath: tests.path)
            .map { try String(contentsOf: tests.appendingPathComponent($0), encoding: .utf8) }.joined()
        for task in ExerciseTask.all {
            #expect(text.contains("@Suite struct \(task.suiteName)"), "no suite \(task.suiteName)… for task \(task.id)")
            #expect(text.contains("gradeTask(\"\(task.id)\")"), "suite of task \(task.id) does not grade it")
        }
    }
}
