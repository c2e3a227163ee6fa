// BackendParityTests.swift — the layers and a whole training epoch give the same numbers on
// the reference and the BLAS backend. TensorsTests/ParityTests.swift does the same for every
// op; this file adds what only the training stack has: layers (forward, the input's and every
// parameter's gradient, in Float and Double) and digits-mlp trained for one epoch by the
// Trainer of `lumen train`.
//
// Tolerance as in ParityTests.swift: |blas − reference| ≤ tol · max(1, |blas|, |reference|),
// tol = 1e-4 for Float and 1e-10 for Double (the backends add in different orders).

#if BLAS
import Testing
import Engine
import Layers
import Tensors
import Training

/// One layer to run on both backends: built from a seeded generator, fed a seeded input.
struct LayerParityCase<S: TensorScalar> {
    let name: String
    let inputShape: [Int]
    let make: (inout SplitMix64) -> any Layer<S>
}

func layerParityCases<S: TensorScalar>(_: S.Type) -> [LayerParityCase<S>] {
    [
        LayerParityCase(name: "Linear", inputShape: [6, 5]) { Linear<S>(in: 5, out: 4, using: &$0) },
        LayerParityCase(name: "MLP", inputShape: [7, 8]) {
            Sequential<S>(Linear<S>(in: 8, out: 16, using: &$0), ReLU<S>(), Linear<S>(in: 16, out: 3, using: &$0))
        },
        LayerParityCase(name: "Conv2d padded, strided", inputShape: [2, 3, 7, 6]) {
            Conv2d<S>(inChannels: 3, outChannels: 4, kernelSize: (3, 3), stride: (2, 1), padding: (1, 1), using: &$0)
        },
        LayerParityCase(name: "conv net", inputShape: [2, 1, 12, 12]) {
            Sequential<S>(Conv2d<S>(inChannels: 1, outChannels: 4, kernelSize: (3, 3), using: &$0), ReLU<S>(),
                          MaxPool2d<S>(kernelSize: 2), Flatten<S>(), Linear<S>(in: 100, out: 5, using: &$0))
        },
        LayerParityCase(name: "AvgPool2d", inputShape: [2, 2, 6, 6]) { _ in AvgPool2d<S>(kernelSize: 2) },
        LayerParityCase(name: "BatchNorm2d", inputShape: [4, 3, 3, 3]) { _ in BatchNorm2d<S>(numFeatures: 3) },
        LayerParityCase(name: "LayerNorm", inputShape: [5, 8]) { _ in LayerNorm<S>(8) },
        LayerParityCase(name: "LSTM", inputShape: [4, 2, 3]) { LSTM<S>(inputSize: 3, hiddenSize: 5, numLayers: 2, using: &$0) },
        LayerParityCase(name: "MultiheadAttention", inputShape: [2, 5, 8]) {
            MultiheadAttention<S>(embedDim: 8, numHeads: 2, causal: true, using: &$0)
        },
        LayerParityCase(name: "TransformerBlock", inputShape: [2, 4, 8]) {
            TransformerBlock<S>(embedDim: 8, numHeads: 2, feedforwardDim: 16, dropout: 0, using: &$0)
        },
    ]
}

/// The output, the input's gradient and every parameter's gradient, for Σ out ⊙ W with a
/// fixed random W, on `backend`.
func layerRun<S: TensorScalar>(_ c: LayerParityCase<S>, on backend: any Backend) -> [[S]] {
    Backends.$scoped.withValue(backend) {
        var rng = SplitMix64(seed: 42)
        let layer = c.make(&rng)
        let input = Tensor<S>.randomUniform(c.inputShape, -1, 1, using: &rng).requiringGrad()
        let out = layer(input)
        let weights = Tensor<S>.randomUniform(out.shape, -1, 1, using: &rng)
        (out * weights).sum().backward()
        return [out.scalars, input.grad?.scalars ?? []] + layer.parameters.map { $0.grad?.scalars ?? [] }
    }
}

/// The first difference beyond the tolerance, described; nil if there is none.
func layerMismatch<S: TensorScalar>(_ reference: [[S]], _ blas: [[S]]) -> String? {
    let tolerance = S.self == Float.self ? 1e-4 : 1e-10
    guard reference.map(\.count) == blas.map(\.count) else { return "sizes \(reference.map(\.count)) vs \(blas.map(\.count))" }
    for (part, (r, b)) in zip(reference, blas).enumerated() {
        for (i, (x, y)) in zip(r, b).enumerated() {
            let (x, y) = (Double(x), Double(y))
            if !(Swift.abs(x - y) <= tolerance * Swift.max(1, Swift.abs(x), Swift.abs(y))) {
                return "part \(part) [\(i)]: reference \(x), blas \(y)"
            }
        }
    }
    return nil
}

@Suite struct BackendParityTests {
    static let layerNames = layerParityCases(Double.self).map(\.name)

    @Test(arguments: layerNames, [false, true])
    func layersAgree(name: String, inFloat: Bool) {
        if inFloat { check(Float.self, name) } else { check(Double.self, name) }
    }

    private func check<S: TensorScalar>(_: S.Type, _ name: String) {
        let c = layerParityCases(S.self).first { $0.name == name }!
        let reference = layerRun(c, on: ReferenceBackend()), blas = layerRun(c, on: BLASBackend())
        #expect(reference.allSatisfy { !$0.isEmpty }, "\(name): a part has no values (no gradient reached it)")
        #expect(layerMismatch(reference, blas) == nil, "\(name) (\(S.self)): \(layerMismatch(reference, blas) ?? "")")
    }

    /// `lumen train digits-mlp` for one epoch: the same losses and accuracies on both backends.
    @Test func digitsMLPEpochMatches() throws {
        func epoch(_ backend: any Backend) throws -> EpochRecord {
            try Backends.$scoped.withValue(backend) {
                let trainer = try Trainer(recipe: Recipe.digitsMLP, settings: Recipe.digitsMLP.defaults)
                return try trainer.trainEpoch(progress: nil)
            }
        }
        let reference = try epoch(ReferenceBackend()), blas = try epoch(BLASBackend())
        // Training moves away from chance: the comparison is of a real epoch.
        #expect(reference.testAccuracy > 0.5)
        for (what, r, b) in [("train loss", reference.trainLoss, blas.trainLoss), ("test loss", reference.testLoss, blas.testLoss)] {
            #expect(Swift.abs(r - b) <= 1e-4 * Swift.max(1, Swift.abs(r)), "\(what): reference \(r), blas \(b)")
        }
        // Accuracies may differ by a sample whose two top logits are within rounding.
        #expect(Swift.abs(reference.trainAccuracy - blas.trainAccuracy) <= 2.0 / 1500)
        #expect(Swift.abs(reference.testAccuracy - blas.testAccuracy) <= 2.0 / 297)
    }
}
#endif
