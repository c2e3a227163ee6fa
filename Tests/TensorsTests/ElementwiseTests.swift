// ElementwiseTests.swift — forwards against plain Double math and the scalar Value engine;
// backwards against finite differences; broadcasting over seeded random shapes.

import Testing
import Foundation
import Engine
import _TestSupport
@testable import Tensors

@Suite struct ElementwiseForwardTests {
    /// Each unary op's forward and derivative against the scalar engine, element by element.
    @Test(arguments: ["exp", "log", "tanh", "sigmoid", "relu"])
    func unaryMatchesValueEngine(name: String) throws {
        let scalarOp: (Value) -> Value, tensorOp: (Tensor<Double>) -> Tensor<Double>
        switch name {
        case "exp": (scalarOp, tensorOp) = ({ $0.exp() }, { $0.exp() })
        case "log": (scalarOp, tensorOp) = ({ $0.log() }, { $0.log() })
        case "tanh": (scalarOp, tensorOp) = ({ $0.tanh() }, { $0.tanh() })
        case "sigmoid": (scalarOp, tensorOp) = ({ $0.sigmoid() }, { $0.sigmoid() })
        default: (scalarOp, tensorOp) = ({ $0.relu() }, { $0.relu() })
        }
        let inputs: [Double] = name == "log" ? [0.1, 0.5, 1, 2.5, 7, 30] : [-30, -2.5, -0.3, 0.4, 1.5, 20]
        let x = try Tensor<Double>(shape: [2, 3], elements: inputs).requiringGrad()
        let y = tensorOp(x)
        y.backward(gradient: .ones([2, 3]))
        for (i, v) in inputs.enumerated() {
            let scalar = Value(v)
            let out = scalarOp(scalar)
            out.backward()
            #expect(isClose(y.scalars[i], out.data, tolerance: 1e-14), "\(name)(\(v))")
            #expect(isClose(x.grad!.scalars[i], scalar.grad!, tolerance: 1e-12), "\(name)'(\(v))")
        }
    }

    /// σ's, tanh's and relu's pullbacks run as one-pass kernels (`BinaryKernel.sigmoidGradient`,
    /// `.tanhGradient`, `.reluGradient`); they must give the composed formulas' numbers bit for
    /// bit, on both backends, with the upstream gradient contiguous, strided or broadcast.
    @Test(arguments: ["sigmoid", "tanh", "relu"])
    func onePassPullbacksMatchTheComposedFormulas(name: String) {
        var rng = SplitMix64(seed: 31)
        let x = Tensor<Float>.randomUniform([5, 7], -6, 6, using: &rng)
        let wide = Tensor<Float>.randomUniform([5, 10], -2, 2, using: &rng)
        let upstreams = [Tensor<Float>.randomUniform([5, 7], -2, 2, using: &rng), wide.slice(axis: 1, 2, 9),
                         Tensor<Float>.randomUniform([7], -2, 2, using: &rng).expand([5, 7])]
        var backends: [any Backend] = [ReferenceBackend()]
        #if BLAS
        backends.append(BLASBackend())
        #endif
        for backend in backends {
            for upstream in upstreams {
                Backends.$scoped.withValue(backend) {
                    let leaf = x.detach().requiringGrad()
                    let out = name == "sigmoid" ? leaf.sigmoid() : name == "tanh" ? leaf.tanh() : leaf.relu()
                    out.backward(gradient: upstream)
                    let y = out.detach()
                    // relu's derivative is the mask x > 0, written here from the input, not the output.
                    let composed = name == "sigmoid" ? upstream * y * (1 - y)
                        : name == "tanh" ? upstream * (1 - y * y)
                        : upstream * x.zipped(.greater, Tensor(0), op: "test", file: #fileID, line: #line)
                    #expect(leaf.grad!.scalars == composed.scalars, "\(name) on \(type(of: backend))")
                }
            }
        }
    }

    /// The other unary ops against their formulas written with Foundation.
    @Test func unaryMatchesFormulas() throws {
        let xs: [Double] = [-3, -1.2, -0.5, 0.25, 0.9, 4]
        let x = try Tensor<Double>(shape: [3, 2], elements: xs)
        let cases: [(String, Tensor<Double>, (Double) -> Double)] = [
            ("sqrt", x.abs().sqrt(), { Foundation.sqrt(Swift.abs($0)) }),
            ("abs", x.abs(), { Swift.abs($0) }),
            ("sin", x.sin(), { Foundation.sin($0) }),
            ("cos", x.cos(), { Foundation.cos($0) }),
            ("neg", -x, { -$0 }),
            ("softplus", x.softplus(), { Foundation.log(1 + Foundation.exp($0)) }),
            ("leakyRelu", x.leakyRelu(slope: 0.1), { $0 > 0 ? $0 : 0.1 * $0 }),
            ("gelu", x.gelu(), { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }),
            ("geluTanh", x.geluTanh(), { v in
                0.5 * v * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v))) }),
            ("pow 3", x.pow(3), { $0 * $0 * $0 }),
        ]
        for (name, result, formula) in cases {
            #expect(result.shape == [3, 2])
            for (got, v) in zip(result.scalars, xs) {
                #expect(isClose(got, formula(v), tolerance: 1e-13), "\(name)(\(v)) = \(got)")
            }
        }
    }

    @Test func softplusAndSigmoidDoNotOverflow() {
        let x = Tensor<Float>([-200, 200])
        #expect(x.softplus().scalars == [0, 200])
        #expect(x.sigmoid().scalars == [0, 1])
    }

    /// Binary ops over random broadcastable shape pairs, against an independent broadcast.
    @Test(arguments: 0..<12)
    func binaryBroadcastingOverRandomShapes(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let (shapeA, shapeB, outShape) = randomBroadcastPair(&rng)
        let a = Tensor<Double>.randomUniform(shapeA, 0.5, 2, using: &rng)
        let b = Tensor<Double>.randomUniform(shapeB, 0.5, 2, using: &rng)
        let ops: [(String, Tensor<Double>, (Double, Double) -> Double)] = [
            ("add", a + b, +), ("sub", a - b, -), ("mul", a * b, *), ("div", a / b, /),
            ("pow", a.pow(b), { Foundation.pow($0, $1) }), ("maximum", Tensor.maximum(a, b), { Swift.max($0, $1) }),
        ]
        let av = a.scalars, bv = b.scalars
        for (name, result, f) in ops {
            #expect(result.shape == outShape, "\(name) \(shapeA) \(shapeB)")
            for (index, got) in zip(multiIndices(outShape), result.scalars) {
                let want = f(av[broadcastSource(index, shapeA)], bv[broadcastSource(index, shapeB)])
                #expect(isClose(got, want, tolerance: 1e-14), "\(name) at \(index)")
            }
        }
    }

    @Test func scalarOperandsBroadcast() {
        let x = Tensor<Float>([1, 2, 3])
        let affine: Tensor<Float> = 2 * x + 1, halved: Tensor<Float> = 1 - x / 2
        #expect(affine.scalars == [3, 5, 7])
        #expect(halved.scalars == [0.5, 0, -0.5])
    }

    /// scaleAndAdd (y ← βy + αx in place) against the same arithmetic in a plain Float loop,
    /// bit for bit, on both backends: y contiguous and y a transposed view, x a full tensor
    /// and x a broadcast row.
    @Test(arguments: [false, true], [false, true])
    func scaleAndAddUpdatesInPlace(transposedY: Bool, broadcastX: Bool) {
        var rng = SplitMix64(seed: 41)
        let stored = Tensor<Float>.randomUniform(transposedY ? [4, 3] : [3, 4], -2, 2, using: &rng)
        let x = Tensor<Float>.randomUniform(broadcastX ? [4] : [3, 4], -2, 2, using: &rng)
        let (alpha, beta): (Float, Float) = (-0.3, 0.9)
        var expected: [Float] = []
        for i in 0..<3 {
            for j in 0..<4 {
                let y = transposedY ? stored[j, i] : stored[i, j]
                let xv = broadcastX ? x[j] : x[i, j]
                expected.append(beta * y + alpha * xv)
            }
        }
        var backends: [any Backend] = [ReferenceBackend()]
        #if BLAS
        backends.append(BLASBackend())
        #endif
        for backend in backends {
            let copy = stored.copy()
            let y = transposedY ? copy.transposed() : copy
            Backends.$scoped.withValue(backend) { y.scaleAndAdd(x, alpha: alpha, beta: beta) }
            #expect(y.scalars == expected, "\(type(of: backend))")
            // In place: the storage the view looks into holds the new values.
            #expect(copy.storage === y.storage)
        }
    }

    /// x a different view of y's own storage: every element of x is read as it was before
    /// the update (a + aᵀ by hand: [[1 + 1, 2 + 3], [3 + 2, 4 + 4]]), and x = y itself doubles.
    @Test func scaleAndAddReadsAnOverlappingViewBeforeWriting() throws {
        let a = try Tensor<Double>(shape: [2, 2], elements: [1, 2, 3, 4])
        a.scaleAndAdd(a.transposed(), alpha: 1)
        #expect(a.scalars == [2, 5, 5, 8])
        a.scaleAndAdd(a, alpha: 1)
        #expect(a.scalars == [4, 10, 10, 16])
    }
}

/// Two shapes (rank 0–4, extents 0–3) that broadcast, and their broadcast shape.
func randomBroadcastPair(_ rng: inout SplitMix64) -> ([Int], [Int], [Int]) {
    let rank = Int(rng.next() % 5)
    let out = (0..<rank).map { _ in Int(rng.next() % 4) }
    func operand() -> [Int] {
        let dropped = Int(rng.next() % UInt64(rank + 1))
        return out.dropFirst(dropped).map { rng.next() % 3 == 0 ? 1 : $0 }
    }
    let a = operand(), b = operand()
    // The broadcast shape has the larger operand's rank (leading axes both dropped are
    // gone); an axis is 1 only where both operands are 1 or missing.
    let resultRank = Swift.max(a.count, b.count)
    let result = (0..<resultRank).map { axis -> Int in
        let da = axis - (resultRank - a.count) >= 0 ? a[axis - (resultRank - a.count)] : 1
        let db = axis - (resultRank - b.count) >= 0 ? b[axis - (resultRank - b.count)] : 1
        return da == 1 ? db : da
    }
    return (a, b, result)
}
