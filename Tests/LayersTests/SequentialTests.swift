// SequentialTests.swift — Sequential applies its layers in order, names its parameters as
// PyTorch's nn.Sequential does, switches the whole tree between train and eval, and its
// gradients match central differences.

import Testing
import Engine
import Tensors
import _TestSupport
@testable import Layers

@Suite struct SequentialTests {
    @Test func appliesLayersInOrder() throws {
        let first = Linear(weight: try Tensor<Double>(rows: [[1, -1], [2, 0]]), bias: Tensor([0, -5]))
        let second = Linear(weight: try Tensor<Double>(rows: [[1, 1]]), bias: Tensor([0.5]))
        let model = Sequential<Double>(first, ReLU(), second)
        // x = [3, 1]: first → [2, 1], relu → [2, 1], second → 3.5.
        // x = [1, 4]: first → [−3, −3], relu → [0, 0], second → 0.5.
        let y = model(try Tensor(rows: [[3, 1], [1, 4]]))
        #expect(y.shape == [2, 1])
        #expect(y.scalars == [3.5, 0.5])
    }

    /// PyTorch: `nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))` has
    /// named_parameters 0.weight, 0.bias, 2.weight, 2.bias (the ReLU at index 1 has none).
    @Test func parameterNamesAreTorchs() {
        var rng = SplitMix64(seed: 1)
        let model = Sequential<Float>(Linear(in: 4, out: 8, using: &rng), ReLU(), Linear(in: 8, out: 3, using: &rng))
        #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(model.namedParameters.map(\.tensor.shape) == [[8, 4], [8], [3, 8], [3]])
        #expect(model.children.map(\.name) == ["0", "1", "2"])
        let nested = Sequential<Float>(Sequential(Linear(in: 2, out: 2, using: &rng)), Tanh())
        nested.append(Linear(in: 2, out: 1, bias: false, using: &rng))
        #expect(nested.namedParameters.map(\.name) == ["0.0.weight", "0.0.bias", "2.weight"])
        #expect(nested.namedState.map(\.name) == nested.namedParameters.map(\.name))
        #expect(nested.parameters.count == 3)
    }

    /// PyTorch: a layer used twice, `nn.Sequential(lin, nn.Tanh(), lin)`, lists its parameters
    /// once in named_parameters() (0.weight, 0.bias) but under both names in state_dict(), and
    /// a weight tied into a second layer is likewise trained once.
    @Test func aSharedTensorIsOneParameter() throws {
        var rng = SplitMix64(seed: 1)
        let shared = Linear<Float>(in: 2, out: 2, using: &rng)
        let twice = Sequential<Float>(shared, Tanh(), shared)
        #expect(twice.namedParameters.map(\.name) == ["0.weight", "0.bias"])
        #expect(twice.parameters.count == 2)
        #expect(twice.namedState.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])

        let tied = Sequential<Float>(shared, Linear(weight: shared.weight, bias: nil))
        #expect(tied.namedParameters.map(\.name) == ["0.weight", "0.bias"])
    }

    @Test func trainAndEvalReachEveryModule() {
        var rng = SplitMix64(seed: 1)
        let inner = Sequential<Float>(Linear(in: 2, out: 2, using: &rng), Dropout(probability: 0.5, seed: 1))
        let model = Sequential<Float>(inner, ReLU())
        #expect(moduleTree(model).allSatisfy { $0.isTraining })
        model.eval()
        #expect(moduleTree(model).count == 5)
        #expect(moduleTree(model).allSatisfy { !$0.isTraining })
        model.train()
        #expect(moduleTree(model).allSatisfy { $0.isTraining })
    }

    @Test func gradientsMatchFiniteDifferences() {
        var rng = SplitMix64(seed: 4)
        let model = Sequential<Double>(Linear(in: 3, out: 5, using: &rng), Tanh(), Linear(in: 5, out: 2, using: &rng),
                                       Sigmoid())
        let x = randomLeaf([4, 3], seed: 2)
        #expect(maxGradientError(wrt: [x] + model.parameters) { model(x) } < 1e-7)
    }

    @Test func zeroGradClearsEveryParameter() {
        var rng = SplitMix64(seed: 4)
        let model = Sequential<Double>(Linear(in: 3, out: 2, using: &rng), Linear(in: 2, out: 1, using: &rng))
        model(Tensor<Double>.ones([2, 3])).sum().backward()
        #expect(model.parameters.allSatisfy { $0.grad != nil })
        model.zeroGrad()
        #expect(model.parameters.allSatisfy { ($0.grad?.scalars ?? []).allSatisfy { $0 == 0 } })
    }

    /// A shape mistake inside a Sequential names the inner layer and the line that called
    /// the Sequential.
    @Test func innerTrapNamesLayerAndCallerOfTheModel() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SplitMix64(seed: 1)
            let model = Sequential<Float>(Linear(in: 4, out: 8, using: &rng), ReLU(), Linear(in: 6, out: 3, using: &rng))
            _ = model(.zeros([2, 4]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("Linear(6 → 3): expects input [..., 6], got [2, 8] (called from LayersTests/SequentialTests.swift:"))
    }
}
