// TrapTests.swift — more layers' shape traps, run in child processes (exit tests): each message
// names the layer, the shapes, and the caller's file and line.

import Testing
import Engine
import Tensors
@testable import Layers

@Suite struct TrapTests {
    func stderr(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    /// A layer's constructor check (`trapUnless`) keeps its message with Layers compiled at -O,
    /// as `./run-tests` compiles it; Swift's `precondition` printed nothing there.
    @Test func constructorChecksKeepTheirMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SplitMix64(seed: 0)
            _ = Linear<Float>(in: 0, out: 3, using: &rng)
        }
        #expect(stderr(result).contains("Linear: in (0) and out (3) must be positive"))
    }

    @Test func poolingNeedsFourAxes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = MaxPool2d<Float>(kernelSize: 2)(.zeros([3, 8, 8]))
        }
        #expect(stderr(result).contains("MaxPool2d(2): expects input [N, C, H, W], got [3, 8, 8] "
                                        + "(called from LayersTests/TrapTests.swift:"))
    }

    @Test func layerNormNeedsTheNormalizedShapeLast() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LayerNorm<Float>(normalizedShape: [4, 5])(.zeros([2, 5, 4]))
        }
        #expect(stderr(result).contains("LayerNorm([4, 5]): expects input [..., 4, 5], got [2, 5, 4] "
                                        + "(called from LayersTests/TrapTests.swift:"))
    }

    @Test func flattenNeedsItsAxes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Flatten<Float>(startAxis: 2)(.zeros([4, 3]))
        }
        #expect(stderr(result).contains("Flatten(startAxis: 2, endAxis: -1): needs axes 2...-1 to exist in the input, "
                                        + "got [4, 3] (called from LayersTests/TrapTests.swift:"))
    }

    @Test func recurrentStateMustMatchTheBatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SplitMix64(seed: 0)
            let cell = RNNCell<Float>(inputSize: 3, hiddenSize: 2, using: &rng)
            _ = cell(.zeros([4, 3]), hidden: .zeros([5, 2]))
        }
        #expect(stderr(result).contains("RNNCell(3 → 2): expects the hidden state [4, 2] for input [4, 3], got [5, 2] "
                                        + "(called from LayersTests/TrapTests.swift:"))
    }

    @Test func batchNormTrainingNeedsTwoValuesPerChannel() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = BatchNorm1d<Float>(numFeatures: 3)(.zeros([1, 3]))
        }
        #expect(stderr(result).contains("BatchNorm1d(3): training needs more than one value per channel to estimate a "
                                        + "variance, got [1, 3]; use a batch of 2 or more, or call eval() "
                                        + "(called from LayersTests/TrapTests.swift:"))
    }
}
