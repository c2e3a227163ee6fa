// Grader.swift — grading one task: run its checks on fresh random inputs, report in words.
//
// Every run draws new inputs from a seed taken from the clock, so a solution that returns
// hard-coded numbers cannot pass; the seed is printed with every failure, so the failing
// inputs can be replayed with `LUMEN_SEED=<seed>`. A stub's `Unimplemented` error reads as
// "not started", any other error or wrong number as "failed" with an explanation.
//
// Read next: Graders+Scalars.swift, Graders+Tensors.swift, Graders+Training.swift.

@_exported import ExerciseKit
import Engine
import Foundation

/// The outcome of grading one task.
public enum GradeOutcome: Sendable, Equatable {
    case passed
    /// The stub still throws `Unimplemented`.
    case notStarted
    /// A wrong answer or an unexpected error, explained in plain words.
    case failed(String)

    public var isPassed: Bool { self == .passed }
}

/// One graded task: what happened, and the seed that drew its inputs.
public struct GradeReport: Sendable, Equatable {
    public let task: ExerciseTask
    public let outcome: GradeOutcome
    public let seed: UInt64

    public init(task: ExerciseTask, outcome: GradeOutcome, seed: UInt64) {
        self.task = task
        self.outcome = outcome
        self.seed = seed
    }

    /// A sentence for a test failure: what went wrong, and how to replay it.
    public var explanation: String {
        switch outcome {
        case .passed: "Task \(task.id) passed."
        case .notStarted: "Task \(task.id) (\(task.title)) is not started: the stub still throws Unimplemented. Open \(task.file) and look for TODO(Task \(task.id))."
        case .failed(let why): "Task \(task.id) (\(task.title)) failed: \(why)\n(seed \(seed); replay with LUMEN_SEED=\(seed))"
        }
    }
}

/// A check that did not hold; its message is shown to the learner.
struct GradeFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

public enum Grader {
    /// Whether a failing gradient task writes a picture (Lumen's own sweeps turn it off).
    @TaskLocal public static var drawsPictures = true
    /// The id of the task being graded, which names its failure pictures.
    @TaskLocal static var gradedTask = "?"

    /// The seed for this run: `LUMEN_SEED` if set (to replay a failure), else the clock.
    public static func runSeed() -> UInt64 {
        replaySeed() ?? clockSeed()
    }

    /// `LUMEN_SEED`, when it is set to a number: the inputs of an earlier run, replayed.
    public static func replaySeed() -> UInt64? {
        ProcessInfo.processInfo.environment["LUMEN_SEED"].flatMap { UInt64($0) }
    }

    /// A fresh seed from the clock.
    public static func clockSeed() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1_000_000) & 0xFFFF_FFFF_FFFF
    }

    /// Grades `task` on inputs drawn from `seed`.
    public static func grade<Node>(_ task: ExerciseTask, _ solution: ExerciseSolution<Node>, seed: UInt64 = runSeed()) -> GradeReport {
        var rng = SplitMix64(seed: seed)
        let outcome: GradeOutcome
        do {
            try $gradedTask.withValue(task.id) { try check(task.id, solution, &rng) }
            outcome = .passed
        } catch let stub as Unimplemented {
            // Its own stub: not started. Another task's stub, reached through this one: say which.
            if stub.task == "Task \(task.id)" {
                outcome = .notStarted
            } else {
                let other = ExerciseTask.named(stub.task)
                outcome = .failed("your code calls \(stub.task)\(other.map { " (\($0.title))" } ?? ""), which is not started yet. Finish \(stub.task) first: this task builds on it.")
            }
        } catch let failure as GradeFailure {
            outcome = .failed(failure.message)
        } catch {
            outcome = .failed("your code threw an error: \(error)")
        }
        return GradeReport(task: task, outcome: outcome, seed: seed)
    }

    /// Grades the task with this id; traps on an unknown id (a programmer error in a test).
    public static func grade<Node>(_ id: String, _ solution: ExerciseSolution<Node>, seed: UInt64 = runSeed()) -> GradeReport {
        guard let task = ExerciseTask.named(id) else { fatalError("Grader.grade: no task \(id)") }
        return grade(task, solution, seed: seed)
    }

    static func check<Node>(_ id: String, _ s: ExerciseSolution<Node>, _ rng: inout SplitMix64) throws {
        switch id {
        case "1.1": try checkMulBackward(s, &rng)
        case "1.2": try checkPowBackward(s, &rng)
        case "1.3": try checkTanhBackward(s, &rng)
        case "1.4": try checkExpBackward(s, &rng)
        case "1.5": try checkTopologicalOrder(s, &rng)
        case "1.6": try checkBackward(s, &rng)
        case "1.7": try checkZeroGrad(s, &rng)
        case "1.8": try checkNumericalGradient(s, &rng)
        case "2.1": try checkStrides(s, &rng)
        case "2.2": try checkIndexPosition(s, &rng)
        case "2.3": try checkBroadcastShape(s, &rng)
        case "2.4": try checkSumToShape(s, &rng)
        case "2.5": try checkReductionBackward(s, &rng)
        case "2.6": try checkMatmulBackward(s, &rng)
        case "2.7": try checkSoftmax(s, &rng)
        case "2.8": try checkCrossEntropy(s, &rng)
        case "3.1": try checkLinearForward(s, &rng)
        case "3.2": try checkLinearBackward(s, &rng)
        case "3.3": try checkSGD(s, &rng)
        case "3.4": try checkAdam(s, &rng)
        case "3.5": try checkTrainMoons(s, &rng)
        case "3.6": try checkIm2col(s, &rng)
        case "3.7": try checkConvForward(s, &rng)
        case "3.8": try checkConvBackward(s, &rng)
        default:
            // An array task: its grader is part of its row in the catalogue (ExerciseTask+DeepNetworks.swift).
            guard let grader = ExerciseTask.named(id)?.arrayGrader else { fatalError("Grader.check: no grader for task \(id)") }
            guard let function = s.arrayTasks[id] else { throw MissingHookup(task: id) }
            try grader(function, &rng)
        }
    }
}

// MARK: - Comparing numbers, with messages a learner can act on

/// |a − b| ≤ tolerance · max(1, |a|, |b|). NaN is never close; ±∞ only to itself.
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
    // An infinity is close only to itself (the relative test would call ∞ close to anything).
    guard a.isFinite && b.isFinite else { return a == b }
    return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

func format(_ x: Double) -> String {
    String(format: "%.6g", x)
}

/// `x` with as many digits as it takes to tell it from `other` (6 to 17 significant digits).
func format(_ x: Double, _ other: Double) -> String {
    for digits in 6...17 {
        let (a, b) = (String(format: "%.\(digits)g", x), String(format: "%.\(digits)g", other))
        if a != b || x == other { return a }
    }
    return String(format: "%.17g", x)
}

func format(_ xs: [Double], limit: Int = 12) -> String {
    let shown = xs.prefix(limit).map { format($0) }.joined(separator: ", ")
    return "[" + shown + (xs.count > limit ? ", … (\(xs.count) in all)" : "") + "]"
}

/// An optional shape or index for messages: `[2, 3]`, or `nil`, never `Optional([2, 3])`.
func describe(_ value: [Int]?) -> String {
    value.map { "\($0)" } ?? "nil"
}

/// Element `flat` of a row-major array of `shape`, as a learner reads it: "(row 1, col 2)" for a
/// matrix, "(1, 0, 2)" for more axes, "element 4" without a shape.
func position(_ flat: Int, in shape: [Int]?) -> String {
    guard let shape, shape.count >= 2, shape.reduce(1, *) > flat else { return "element \(flat)" }
    var index: [Int] = []
    var rest = flat
    for size in shape.reversed() {
        index.insert(rest % size, at: 0)
        rest /= size
    }
    if shape.count == 2 { return "(row \(index[0]), col \(index[1]))" }
    return "(" + index.map(String.init).joined(separator: ", ") + ")"
}

/// Fails unless `yours` is close to `expected`, naming `what` and the inputs.
/// With a `scene`, a number computed from tensors (a loss), the failure is drawn as well.
func expectClose(_ yours: Double, _ expected: Double, _ what: String, tolerance: Double = 1e-6, inputs: @autoclosure () -> String,
                 scene: @autoclosure () -> TensorScene? = nil) throws {
    guard close(yours, expected, tolerance) else {
        let picture = scene().map { "\n  " + TensorExplanation.write(what: what, yours: [yours], expected: [expected], shape: [1], wrong: [0], scene: $0) } ?? ""
        throw GradeFailure("\(what) is wrong for \(inputs()): you returned \(format(yours, expected)), expected \(format(expected, yours)).\(picture)")
    }
}

/// Fails unless the arrays have the same length and every element is close; names the first
/// wrong element, by (row, col) when `shape` is given, and draws the failure: `scene` says what
/// the array was computed from (TensorExplanation.swift); nil when the caller draws it otherwise.
func expectClose(_ yours: [Double], _ expected: [Double], _ what: String, tolerance: Double = 1e-6, shape: [Int]? = nil,
                 inputs: @autoclosure () -> String, scene: @autoclosure () -> TensorScene? = TensorScene()) throws {
    guard yours.count == expected.count else {
        throw GradeFailure("\(what) has \(yours.count) elements for \(inputs()); expected \(expected.count)\(shape.map { " (shape \($0))" } ?? "").")
    }
    let wrong = yours.indices.filter { !close(yours[$0], expected[$0], tolerance) }
    if let i = wrong.first {
        let shape = shape ?? [yours.count]
        let picture = scene().map { "\n  " + TensorExplanation.write(what: what, yours: yours, expected: expected, shape: shape, wrong: wrong, scene: $0) } ?? ""
        throw GradeFailure("\(what) is wrong at \(position(i, in: shape)) for \(inputs()): you returned \(format(yours[i], expected[i])), expected \(format(expected[i], yours[i])).\n  Yours:    \(format(yours))\n  Expected: \(format(expected))\(picture)")
    }
}

func expectEqual(_ yours: [Int]?, _ expected: [Int]?, _ what: String, inputs: @autoclosure () -> String) throws {
    guard yours == expected else {
        throw GradeFailure("\(what) is wrong for \(inputs()): you returned \(describe(yours)), expected \(describe(expected)).")
    }
}

func expectEqual<T: Equatable>(_ yours: T, _ expected: T, _ what: String, inputs: @autoclosure () -> String) throws {
    guard yours == expected else {
        throw GradeFailure("\(what) is wrong for \(inputs()): you returned \(yours), expected \(expected).")
    }
}

extension SplitMix64 {
    /// An integer in lower...upper.
    mutating func nextInt(_ lower: Int, _ upper: Int) -> Int {
        lower + Int(next() % UInt64(upper - lower + 1))
    }

    mutating func gaussians(_ count: Int, scale: Double = 1) -> [Double] {
        (0..<count).map { _ in scale * nextGaussian() }
    }
}
