// GraderSweepTests.swift — the graders catch real mistakes, and never fail a right answer.
//
// Every mutant of MutantCatalogue.swift must fail on each of 200 seeds; the reference solution
// of every task must pass on each of 2,000 seeds (seed 278, which once failed 3.4's reference
// Adam, among them). In-process and without pictures: about 85 s of CPU in a debug build (2.4,
// 3.5 and 3.8 cost most; `LUMEN_SWEEP_TIMING=1 swift test --filter sweepTiming` prints each
// task's cost per seed and each mutant's).
// Then the messages: they give the digits that differ, (row, col) positions, no Optional(…),
// name an unfinished earlier task, and draw the wrong node.
//
// Read next: GradeIsolationTests.swift.

@testable import ExerciseGraders
import Engine
import ExerciseSolutions
import Foundation
import ScalarNN
import Testing

/// The seeds among `seeds` on which `solution` gets `id` graded as passed.
func passingSeeds(_ id: String, _ solution: Solution, seeds: Range<UInt64>) -> [UInt64] {
    Grader.$drawsPictures.withValue(false) {
        seeds.filter { Grader.grade(id, solution, seed: $0).outcome == .passed }
    }
}

/// The failure message of `id` for one seed, with one function replaced.
func failureMessage(_ id: String, seed: UInt64 = 1, _ change: (inout Solution) -> Void) -> String? {
    var solution = ExerciseSolutions.learnerSolution()
    change(&solution)
    guard case .failed(let message) = Grader.$drawsPictures.withValue(false, operation: { Grader.grade(id, solution, seed: seed).outcome }) else { return nil }
    return message
}

@Suite struct GraderSweepTests {
    @Test("every task has at least three plausible wrong solutions in the catalogue")
    func catalogueCoversEveryTask() {
        for task in ExerciseTask.all {
            let count = MutantCatalogue.all.filter { $0.task == task.id }.count
            #expect(count >= 3, "task \(task.id) has \(count) mutants; add plausible mistakes to MutantCatalogue.swift")
        }
    }

    @Test("each wrong solution fails on every one of 200 seeds", arguments: MutantCatalogue.all)
    func mutantFailsEverywhere(mutant: Mutant) {
        var solution = ExerciseSolutions.learnerSolution()
        mutant.apply(&solution)
        let passed = passingSeeds(mutant.task, solution, seeds: 0..<200)
        #expect(passed.isEmpty, "\(mutant) passed on \(passed.count) of 200 seeds, first \(passed.prefix(5))")
    }

    @Test("the reference solution passes on every one of 2,000 seeds", arguments: ExerciseTask.all.map(\.id))
    func referencePassesEverywhere(id: String) {
        let solution = ExerciseSolutions.learnerSolution()
        let seeds: Range<UInt64> = 0..<2000
        let failed = Grader.$drawsPictures.withValue(false) {
            seeds.compactMap { seed -> (UInt64, GradeOutcome)? in
                let outcome = Grader.grade(id, solution, seed: seed).outcome
                return outcome == .passed ? nil : (seed, outcome)
            }
        }
        #expect(failed.isEmpty, "task \(id)'s reference failed on \(failed.count) of 2000 seeds; first: \(failed.first.map { "seed \($0.0): \($0.1)" } ?? "")")
    }

    @Test("1.8's f, the expression in plain Doubles, gives what Lumen's Values give")
    func plainExpressionMatchesTheEngine() {
        for seed in UInt64(0)..<200 {
            var rng = SplitMix64(seed: seed)
            let plan = ExpressionPlan(&rng)
            let point = plan.leaves.map { $0 + rng.nextUniform(-0.5, 0.5) }
            #expect(plan.evaluate(point) == plan.buildLumen(point.map { Value($0) }).last!.data, "seed \(seed): \(plan.text)")
        }
    }

    @Test("3.5's reference training has the gradient of Lumen's engine")
    func moonsReferenceGradients() throws {
        var rng = SplitMix64(seed: 9)
        let h = 3
        let network = MoonsNetwork(hidden: h, w1: rng.gaussians(2 * h), b1: rng.gaussians(h), w2: rng.gaussians(2 * h), b2: rng.gaussians(2))
        let points = (0..<5).map { _ in rng.gaussians(2) }
        let labels = [0, 1, 1, 0, 1]
        let (loss, gradient) = MoonsReference.lossAndGradient(network, points: points, labels: labels)
        // The same loss in Lumen's engine: mean of logsumexp(logits) − logit[label].
        let params = [network.w1, network.b1, network.w2, network.b2].map { $0.map { Value($0) } }
        let (w1, b1, w2, b2) = (params[0], params[1], params[2], params[3])
        var total = Value(0)
        for (point, label) in zip(points, labels) {
            let a: [Value] = (0..<h).map { (j: Int) -> Value in
                let preactivation: Value = b1[j] + w1[2 * j] * point[0] + w1[2 * j + 1] * point[1]
                return preactivation.tanh()
            }
            let logits: [Value] = (0..<2).map { (c: Int) -> Value in
                (0..<h).map { (j: Int) -> Value in w2[c * h + j] * a[j] }.reduce(b2[c], +)
            }
            total = total + (logits[0].exp() + logits[1].exp()).log() - logits[label]
        }
        let mean = total / Double(points.count)
        mean.backward()
        #expect(abs(mean.data - loss) < 1e-12)
        let engine = params.flatMap { $0.map { $0.grad ?? 0 } }
        let mine = gradient.w1 + gradient.b1 + gradient.w2 + gradient.b2
        for (a, b) in zip(engine, mine) { #expect(abs(a - b) < 1e-12) }
    }

    @Test("messages show the digits that differ, (row, col) positions, and no Optional(…)")
    func messagesAreReadable() throws {
        // A gradient off in the 9th digit: six digits would print the same number twice.
        let tiny = try #require(failureMessage("2.6") { solution in
            solution.matmulBackward = { a, b, m, k, n, u in
                let (da, db) = try ExerciseSolutions.matmulBackward(a, b, m: m, k: k, n: n, upstream: u)
                return (da.map { $0 * (1 + 1e-5) }, db)
            }
        })
        let numbers = try #require(tiny.range(of: #"you returned (\S+), expected (\S+)\."#, options: .regularExpression))
        let parts = tiny[numbers].split(separator: " ")
        #expect(parts[2] != parts[4], "the two numbers print alike: \(tiny)")
        #expect(tiny.contains("(row "), "no (row, col) position: \(tiny)")
        // broadcastShape's nil and shapes print plainly.
        let shape = try #require(failureMessage("2.3") { $0.broadcastShape = { _, _ in nil } })
        #expect(!shape.contains("Optional("), "\(shape)")
    }

    @Test("a task that calls an unfinished earlier task names that task")
    func unfinishedEarlierTaskIsNamed() throws {
        // The learner's backward reaches the stub of 1.1 through a node's rule.
        let message = try #require(failureMessage("1.6") { $0.backward = { _ in throw Unimplemented("Task 1.1") } })
        #expect(message.contains("Task 1.1 (backward of multiplication), which is not started yet"), "\(message)")
        // Its own stub is still "not started".
        var stub = ExerciseSolutions.learnerSolution()
        stub.backward = { _ in throw Unimplemented("Task 1.6") }
        #expect(Grader.grade("1.6", stub, seed: 1).outcome == .notStarted)
    }

    @Test("3.5 says where the training goes wrong: a wrong tanh derivative shows after the first step")
    func trainingMessage() throws {
        let message = try #require(failureMessage("3.5") { $0.trainMoons = { try mistakenTraining(&$0, $1, $2, $3, $4, derivativeAtPreActivation: true) } })
        #expect(message.contains("forward pass is right"), "\(message)")
        #expect(message.contains("1 − h²"))
    }

    @Test("Adam without bias correction is asked about (1 − βᵗ)")
    func adamMessage() throws {
        let mutant = try #require(MutantCatalogue.all.first { $0.task == "3.4" && $0.name == "no bias correction" })
        let message = try #require(failureMessage("3.4", mutant.apply))
        #expect(message.contains("1 − βᵗ"))
    }

    @Test("backward with = instead of += names the node used more than once and draws it in red")
    func backwardPicture() throws {
        var solution = ExerciseSolutions.learnerSolution()
        solution.backward = { try backward($0, order: ExerciseSolutions.topologicalOrder, accumulate: false) }
        guard case .failed(let message) = Grader.grade("1.6", solution, seed: 3).outcome else {
            Issue.record("= instead of += passed")
            return
        }
        #expect(message.contains("does each use add (+=)"))
        let path = try #require(message.split(separator: " ").last.map(String.init))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(path.hasSuffix(".svg"))
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.lowercased().contains("#c92a2a"))
        #expect(svg.contains("yours"))
    }
}

@Suite struct FailurePictureTests {
    /// The failure of `id` with one function replaced, with pictures on: the message and the SVG's text.
    func picture(_ id: String, seed: UInt64 = 5, _ change: (inout Solution) -> Void) throws -> (message: String, svg: String) {
        var solution = ExerciseSolutions.learnerSolution()
        change(&solution)
        guard case .failed(let message) = Grader.grade(id, solution, seed: seed).outcome else {
            Issue.record("the mistake passed task \(id)")
            return ("", "")
        }
        let path = try #require(picturePath(in: message), "no picture: \(message)")
        defer { discard(path) }
        return (message, try String(contentsOfFile: path, encoding: .utf8))
    }

    /// Removes a picture, unless `LUMEN_KEEP_PICTURES` is set (to look at them: its path is printed).
    func discard(_ path: String) {
        if ProcessInfo.processInfo.environment["LUMEN_KEEP_PICTURES"] != nil { print("picture: \(path)") } else { try? FileManager.default.removeItem(atPath: path) }
    }

    /// The SVG file a failure message names, wherever it is in the message.
    func picturePath(in message: String) -> String? {
        message.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasPrefix("/") && $0.hasSuffix(".svg") }
    }

    /// The tasks whose answer is a tensor or a gradient (the others return shapes, indices or counts).
    static let tensorTasks = ExerciseTask.all.map(\.id).filter { !$0.hasPrefix("1.") && !["2.1", "2.2", "2.3", "4.2", "4.6", "4.8"].contains($0) }

    @Test("every mistake in a tensor or gradient task (2.4–4.9) draws a picture that names the wrong cell as its message does", arguments: tensorTasks)
    func tensorTasksDrawTheirFailure(id: String) throws {
        var drawn = 0
        for mutant in MutantCatalogue.all where mutant.task == id {
            var solution = ExerciseSolutions.learnerSolution()
            mutant.apply(&solution)
            guard case .failed(let message) = Grader.grade(id, solution, seed: 5).outcome else {
                Issue.record("\(mutant) passed on seed 5")
                continue
            }
            // A few mistakes are told in words alone (Adam's first step, the generator moved).
            guard let path = picturePath(in: message) else { continue }
            defer { discard(path) }
            let svg = try String(contentsOfFile: path, encoding: .utf8)
            drawn += 1
            #expect(svg.lowercased().contains("#c92a2a"), "\(mutant): nothing in red")
            #expect(svg.contains("expected") && svg.contains("yours"), "\(mutant): no expected and returned maps")
            // The message's first wrong cell, "(row 1, col 2)" or "element 3", is a row of the picture.
            if let range = message.range(of: #"is wrong at (\([^)]*\)|element \d+) for"#, options: .regularExpression) {
                let cell = message[range].dropFirst("is wrong at ".count).dropLast(" for".count)
                #expect(svg.contains(String(cell)), "\(mutant): the picture does not name \(cell)")
            }
        }
        #expect(drawn > 0, "no mistake of task \(id) drew its failure")
    }

    @Test("a wrong matmul backward (2.6) draws A, B, the upstream gradient on its edge, and the wrong cells of dA")
    func matmulBackwardPicture() throws {
        let (message, svg) = try picture("2.6") { solution in
            // One cell of dA off: the message and the picture must both name it.
            solution.matmulBackward = { a, b, m, k, n, u in
                var (da, db) = try ExerciseSolutions.matmulBackward(a, b, m: m, k: k, n: n, upstream: u)
                if da.count > 1 { da[1] += 0.5 } else { da[0] += 0.5 }
                return (da, db)
            }
        }
        let cell = try #require(message.range(of: #"\(row \d+, col \d+\)|element \d+"#, options: .regularExpression).map { String(message[$0]) })
        #expect(svg.contains(cell), "the picture does not name \(cell): \(message)")
        for text in ["upstream ∂L/∂C", "C = A·B", "dA (checked with Lumen", "wrong cells", "1 of "] {
            #expect(svg.contains(text), "the picture lacks \(text)")
        }
    }

    @Test("a wrong backward rule (1.1–1.4) is drawn with the upstream gradient as a node of its own, and the wrong input in red")
    func rulePicturesShowTheUpstream() throws {
        let (message, svg) = try picture("1.1") { $0.mulBackward = { a, b, _ in (b, a) } }
        #expect(message.contains("upstream = "))
        #expect(svg.contains("upstream"), "the upstream node is missing")
        #expect(svg.lowercased().contains("#c92a2a"), "no node in red")
        for id in ["1.2", "1.3", "1.4"] {
            let (_, other) = try picture(id) { solution in
                solution.powBackward = { x, n, _ in n * Foundation.pow(x, n - 1) }
                solution.tanhBackward = { y, _ in 1 - y * y }
                solution.expBackward = { y, _ in y }
            }
            #expect(other.contains("upstream") && other.lowercased().contains("#c92a2a"), "task \(id)'s picture")
        }
    }

    @Test("a wrong topological order (1.5), zeroGrad (1.7) and numerical gradient (1.8) draw the graph with the node in red")
    func graphTasksDrawTheirFailure() throws {
        let order = try picture("1.5") { $0.topologicalOrder = { reversedPreOrder($0) } }
        #expect(order.svg.contains("too early") && order.svg.lowercased().contains("#c92a2a"))
        let zero = try picture("1.7") { $0.zeroGrad = { root in root.grad = 0 } }
        #expect(zero.svg.contains("kept its gradient") && zero.svg.lowercased().contains("#c92a2a"))
        let numeric = try picture("1.8") { solution in
            solution.numericalGradient = { f, point, h in point.indices.map { i in var plus = point; plus[i] += h; return (f(plus) - f(point)) / h } }
        }
        #expect(numeric.svg.contains("numerical gradient") && numeric.svg.lowercased().contains("#c92a2a"))
    }
}

/// `LUMEN_SWEEP_TIMING=1 swift test --filter sweepTiming` prints what one seed of each task costs.
@Test(.enabled(if: ProcessInfo.processInfo.environment["LUMEN_SWEEP_TIMING"] != nil))
func sweepTiming() {
    let solution = ExerciseSolutions.learnerSolution()
    for task in ExerciseTask.all {
        let start = Date()
        _ = passingSeeds(task.id, solution, seeds: 0..<20)
        print("timing \(task.id): \(Int(Date().timeIntervalSince(start) / 20 * 1e6)) µs per seed")
    }
    // Each mutant's 200 seeds, and the seed-0 failure's cost.
    for mutant in MutantCatalogue.all {
        var wrong = ExerciseSolutions.learnerSolution()
        mutant.apply(&wrong)
        let start = Date()
        _ = passingSeeds(mutant.task, wrong, seeds: 0..<200)
        print("timing mutant \(mutant): \(Int(Date().timeIntervalSince(start) * 1e3)) ms for 200 seeds")
    }
    // How far 3.5's reference training falls, over 2,000 seeds: the least relative fall and the
    // least share of steps that lower the loss.
    var leastFall = 1.0, leastShare = 1.0
    for seed in UInt64(0)..<2000 {
        var rng = SplitMix64(seed: seed)
        let moons = TwoMoons(count: Grader.moonsPoints, noise: 0.1, seed: rng.next())
        let h = Grader.moonsHidden
        var network = MoonsNetwork(hidden: h, w1: rng.gaussians(h * 2, scale: 0.7), b1: rng.gaussians(h, scale: 0.1),
                                   w2: rng.gaussians(2 * h, scale: 0.5), b2: [0, 0])
        let losses = MoonsReference.train(&network, points: moons.points, labels: moons.labels.map { $0 > 0 ? 1 : 0 },
                                          steps: Grader.moonsSteps, learningRate: Grader.moonsLearningRate)
        leastFall = min(leastFall, 1 - losses.last! / losses.first!)
        leastShare = min(leastShare, Double(zip(losses, losses.dropFirst()).filter { $1 < $0 }.count) / Double(losses.count - 1))
    }
    print("3.5: least fall \(leastFall), least share of falling steps \(leastShare)")
}
