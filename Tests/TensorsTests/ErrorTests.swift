// ErrorTests.swift — the words of the errors.
//
// Typed errors (user data) are thrown and compared as values. Traps (programmer errors)
// stop the process, so each trap is run in a child process with Swift Testing's exit tests,
// and its standard error is checked for the op, both shapes and the caller's file and line.
// The message builder itself is also checked verbatim, in-process.

import Testing
@testable import Tensors

@Suite struct ErrorTests {
    @Test func trapMessageWording() {
        #expect(trapMessage("add", "shapes [2, 3] and [4] do not broadcast", file: "Model/Train.swift", line: 12)
                == "add: shapes [2, 3] and [4] do not broadcast (called from Model/Train.swift:12)")
    }

    @Test func typedErrorDescriptionsSayHowToFix() {
        #expect(TensorError.elementCountMismatch(shape: [2, 3], expected: 6, given: 5).description
                == "a tensor of shape [2, 3] needs 6 elements, but 5 were given; pass exactly 6 elements or change the shape")
        #expect(TensorError.negativeExtent(shape: [-1]).description
                == "the shape [-1] has a negative extent; every extent must be 0 or more")
        #expect(TensorError.raggedRows(rowLengths: [2, 1]).description
                == "the rows have different lengths [2, 1]; every row of a matrix must have the same length")
    }

    /// A pullback that returns the wrong number of gradients, or one of the wrong shape, is a bug
    /// in an op: backward stops and names the op, in both passes (the readable one that steps
    /// through the graph, and the in-place one that `backward()` runs by default).
    @Test func brokenPullbackNamesTheOp() async {
        func text(_ result: ExitTest.Result?) -> String {
            String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        }
        let missing = "relu: pullback returned 0 gradients for 1 inputs"
        let misshapen = "relu: gradient of shape [3, 2] for an input of shape [2, 3]"
        var result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Self.backwardThroughBrokenPullback(inPlace: false, misshapen: false)
        }
        #expect(text(result).contains(missing))
        result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Self.backwardThroughBrokenPullback(inPlace: true, misshapen: false)
        }
        #expect(text(result).contains(missing))
        result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Self.backwardThroughBrokenPullback(inPlace: false, misshapen: true)
        }
        #expect(text(result).contains(misshapen))
        result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Self.backwardThroughBrokenPullback(inPlace: true, misshapen: true)
        }
        #expect(text(result).contains(misshapen))
    }

    /// relu's node with a pullback that returns no gradient, or one of shape [3, 2] for [2, 3].
    static func backwardThroughBrokenPullback(inPlace: Bool, misshapen: Bool) {
        Tensor<Float>.backwardAddsInPlace = inPlace
        let x = Tensor<Float>.zeros([2, 3]).requiringGrad()
        let y = x.copy().recorded(.relu, [x]) { _ in misshapen ? [Tensor<Float>.zeros([3, 2])] : [] }
        y.sum().backward()
    }

    @Test func broadcastMismatchTrapNamesOpShapesAndCaller() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Tensor<Float>.zeros([2, 3]), b = Tensor<Float>.zeros([4])
            _ = Tensor.add(a, b)
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("add: shapes [2, 3] and [4] do not broadcast (called from TensorsTests/ErrorTests.swift:"))
    }

    @Test func operatorMismatchTrapPointsToTheBacktrace() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 3]) * Tensor<Float>.zeros([2])
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("mul: shapes [2, 3] and [2] do not broadcast (called through an operator, "
                                + "which cannot know its caller's line: see the backtrace, or call Tensor.mul(_:_:) to have it named here)"))
    }

    @Test func matmulMismatchTrap() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([2, 3]).matmul(.zeros([4, 5]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("matmul: inner dimensions differ: [2, 3] and [4, 5] (called from TensorsTests/ErrorTests.swift:"))
    }

    @Test func nonScalarBackwardTrap() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            (Tensor<Double>([1, 2], requiresGrad: true) * 2).backward()
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("backward: a tensor of shape [2] needs an explicit upstream gradient"))
    }
}
