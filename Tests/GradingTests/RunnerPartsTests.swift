// RunnerPartsTests.swift — the small parts of `lumen grade`, without a build: the wire format,
// the import check, the compiler-error quoting, `lumen reset` and `lumen solution`.
//
// Read next: GradeCommandTests.swift (the whole, end to end).

import ExerciseGraders
import ExerciseKit
import ExerciseSolutions
import Foundation
@testable import Grading
import Testing

@Suite struct RunnerPartsTests {
    @Test("messages round-trip exactly, NaN and infinities included")
    func framesRoundTrip() throws {
        let numbers: [Double] = [0.1, -2.425243619283746, .infinity, -.infinity, 1e-320, Double.pi, 123456789.12345678]
        let message = ToParent.returned(.numbers([numbers, [.nan]]))
        let data = try Frames.encode(message)
        let length = data.prefix(4).withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        #expect(length == data.count - 4)
        let back = try Frames.decode(ToParent.self, from: data.dropFirst(4))
        guard case .returned(.numbers(let arrays)) = back else { Issue.record("decoded \(back)"); return }
        #expect(arrays[0] == numbers)
        #expect(arrays[1][0].isNaN)
    }

    @Test("the child's side answers a call with the learner's function, and reports a stub as its task")
    func answering() throws {
        let solution = ExerciseSolutions.learnerSolution()
        #expect(try ExerciseRunner.answer(.mulBackward(a: 2, b: 3, upstream: 5), solution) == .numbers([[15], [10]]))
        // A graph with a shared node: the order comes back as node numbers, inputs first.
        let graph = Graph(nodes: [.leaf(0.5), .tanh(0), .mul(0, 1), .add(2, 1)], grads: [0, 0, 0, 0])
        #expect(try ExerciseRunner.answer(.topologicalOrder(graph), solution) == .integers([0, 1, 2, 3]))
        var stub = solution
        stub.tanhBackward = { _, _ in throw Unimplemented("Task 1.3") }
        #expect(throws: Unimplemented("Task 1.3")) { try ExerciseRunner.answer(.tanhBackward(output: 0.3, upstream: 1), stub) }
    }

    @Test("imports: only ExerciseKit and Foundation; @testable never", arguments: [
        ("import Foundation", "Foundation", false), ("import ExerciseKit", "ExerciseKit", false),
        ("@testable import ExerciseKit", "ExerciseKit", true), ("import struct Tensors.Tensor", "Tensors", false),
        ("  @preconcurrency import Engine", "Engine", false), ("let important = 1", "", false),
    ])
    func importsAreRead(line: String, module: String, testable: Bool) {
        let found = RunnerBuild.importedModule(in: line)
        if module.isEmpty {
            #expect(found == nil)
        } else {
            #expect(found?.module == module && found?.testable == testable, "\(line): \(String(describing: found))")
        }
    }

    @Test("compiler errors are quoted once each, in the learner's file, with the snippet")
    func compilerErrorsOnce() {
        let scratch = URL(fileURLWithPath: "/cache/grade-1"), learner = URL(fileURLWithPath: "/home/me/Exercises")
        let block = """
            /cache/grade-1/Exercises/Scalars.swift:3:9: error: cannot find 'x' in scope
            2 | func f() {
            3 |     _ = x
              |         `- error: cannot find 'x' in scope
            4 | }
            """
        let output = "[1/4] Compiling\n" + block + "\n[2/4] Emitting module\n" + block + "\nerror: fatalError\n"
        let quoted = CompilerErrors.quote(output, scratch: scratch, learner: learner)
        #expect(occurrences(of: "/home/me/Exercises/Sources/Exercises/Scalars.swift:3:9: error:", in: quoted) == 1)
        #expect(quoted.contains("`- error: cannot find 'x' in scope"))
        #expect(!quoted.contains("/cache/grade-1"))
    }

    @Test("lumen reset puts one task's stub back and leaves the rest of the file alone")
    func resetRestoresOneStub() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = try makeExercisesCopy(in: folder)
        try solve("Tensors.swift", in: copy)
        let url = copy.appendingPathComponent("Sources/Exercises/Tensors.swift")
        try ExerciseSources.reset(task("2.7"), in: copy)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("throw Unimplemented(\"Task 2.7\")"))
        #expect(occurrences(of: "throw Unimplemented(\"Task 2.7\")", in: text) == 2, "both functions of 2.7")
        #expect(!text.contains("throw Unimplemented(\"Task 2.6\")"), "2.6 was reset too")
        #expect(text.contains("// SOLUTION(Task 2.6)"))
        // Reset again: nothing changes.
        try ExerciseSources.reset(task("2.7"), in: copy)
        #expect(try String(contentsOf: url, encoding: .utf8) == text)
    }

    @Test("lumen solution shows the task's functions from Lumen's sources")
    func solutionText() throws {
        let text = try ExerciseSources.solution(of: task("2.7"))
        #expect(text.contains("public func logSumExp(") && text.contains("public func softmax("))
        #expect(!text.contains("crossEntropy"))
    }
}
