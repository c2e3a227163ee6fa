// SafetensorsPythonTests.swift — Lumen and Python's `safetensors` read each other's files.
//
// Fixtures/make_fixtures.py wrote the .safetensors files with the reference implementation
// and listed their contents in Fixtures/expected.json as exact hex floats; these tests load
// the files and compare with Python's numbers, check that Lumen writes the same bytes as the
// reference for the same tensors, and have Python read files that Lumen wrote
// (Fixtures/read_with_python.py; the interpreter is _TestSupport's `Python.interop`, which
// ./run-tests always provides).
//
// Read next: Fixtures/make_fixtures.py.

import Foundation
import Testing
@testable import Checkpoints
import Layers
import Tensors
import _TestSupport

/// The fixtures folder and expected.json.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func path(_ name: String) -> String { folder + "/" + name }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    /// expected.json: file → {"metadata": {…}, "tensors": {name: {dtype, shape, values}}}.
    static func expected() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("expected.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Python's float.hex() text ("0x1.8p+1", "-inf", "nan") to the Double it names, exactly.
    static func double(_ hex: String) throws -> Double {
        try #require(Double(hex), "not a hex float: \(hex)")
    }

    /// The same value, or both NaN.
    static func same(_ a: Double, _ b: Double) -> Bool {
        (a.isNaN && b.isNaN) || a.bitPattern == b.bitPattern
    }
}

/// Linear(3, 4), ReLU, Linear(4, 2) under PyTorch's Sequential names: "0.weight", "0.bias",
/// "2.weight", "2.bias" ("1" is the ReLU, which has no state).
final class TorchShapedMLP: Module {
    final class Affine: Module {
        let weight: Tensor<Float>
        let bias: Tensor<Float>
        var isTraining = true
        init(outputs: Int, inputs: Int, start: Float) {
            weight = try! Tensor(shape: [outputs, inputs], elements: (0..<outputs * inputs).map { start + 0.125 * Float($0) })
            bias = try! Tensor(shape: [outputs], elements: (0..<outputs).map { -start + 0.25 * Float($0) })
        }
        var ownParameters: [(name: String, tensor: Tensor<Float>)] { [("weight", weight), ("bias", bias)] }
    }
    final class Stateless: Module {
        var isTraining = true
        var ownParameters: [(name: String, tensor: Tensor<Float>)] { [] }
    }

    let first: Affine
    let second: Affine
    var isTraining = true
    init(start: Float) {
        first = Affine(outputs: 4, inputs: 3, start: start)
        second = Affine(outputs: 2, inputs: 4, start: -start)
    }
    var ownParameters: [(name: String, tensor: Tensor<Float>)] { [] }
    var children: [(name: String, module: any Module<Float>)] { [("0", first), ("1", Stateless()), ("2", second)] }

    /// y = W₂ · relu(W₁ x + b₁) + b₂ for each row x of `inputs`, in plain Double arithmetic.
    func forward(_ inputs: [[Double]]) -> [Double] {
        func affine(_ layer: Affine, _ x: [Double]) -> [Double] {
            let w = layer.weight.scalars.map(Double.init), b = layer.bias.scalars.map(Double.init)
            return (0..<b.count).map { row -> Double in
                var sum = b[row]
                for column in 0..<x.count { sum += w[row * x.count + column] * x[column] }
                return sum
            }
        }
        return inputs.flatMap { affine(second, affine(first, $0).map { max(0, $0) }) }
    }
}

@Suite struct SafetensorsPythonTests {
    /// Every tensor of every fixture has Python's dtype, shape and values, read as Double;
    /// and the F32, F16 and BF16 ones read as Float give the same numbers.
    @Test(arguments: ["floats.safetensors", "other_dtypes.safetensors", "bfloat16.safetensors", "torch_mlp.safetensors"])
    func fixtureWrittenByPythonReadsAsPythonListedIt(fileName: String) throws {
        let expected = try #require(try Fixtures.expected()[fileName] as? [String: Any])
        let tensors = try #require(expected["tensors"] as? [String: [String: Any]])
        let file = try Safetensors.read(from: Fixtures.path(fileName))
        #expect(file.metadata == (expected["metadata"] as? [String: String]))
        #expect(Set(file.names) == Set(tensors.keys))
        for (name, description) in tensors {
            let entry = try #require(file[name], "\(name) missing")
            #expect(entry.dtype.rawValue == description["dtype"] as? String, "\(name)")
            #expect(entry.shape == description["shape"] as? [Int], "\(name)")
            let values = try (description["values"] as? [String] ?? []).map(Fixtures.double)
            let asDouble = try file.tensor(name, as: Double.self).scalars
            #expect(asDouble.count == values.count, "\(name)")
            #expect(zip(asDouble, values).allSatisfy(Fixtures.same), "\(name): \(asDouble) vs \(values)")
            if [.f32, .f16, .bf16].contains(entry.dtype) {
                let asFloat = try file.tensor(name, as: Float.self).scalars
                #expect(zip(asFloat, values).allSatisfy { Fixtures.same(Double($0), $1) }, "\(name) as Float")
            }
        }
    }

    /// PyTorch's own Linear/ReLU/Linear state loads by name into a Lumen module, and the
    /// loaded weights reproduce PyTorch's output for its input.
    @Test func aPyTorchStateDictLoadsIntoAModuleAndComputesPyTorchsOutput() throws {
        let expected = try #require(try Fixtures.expected()["torch_mlp.safetensors"] as? [String: Any])
        let model = TorchShapedMLP(start: 9)
        let loaded = try Checkpoint.load(Fixtures.path("torch_mlp.safetensors"), into: model)
        #expect(loaded.metadata == ["epoch": "5"])
        let input = try (expected["input"] as? [String] ?? []).map(Fixtures.double)
        let output = try (expected["output"] as? [String] ?? []).map(Fixtures.double)
        #expect(input.count == 6 && output.count == 4)
        let ours = model.forward([Array(input[0..<3]), Array(input[3..<6])])
        // PyTorch computed in Float; here in Double from the same Float weights.
        #expect(zip(ours, output).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(ours) vs \(output)")
    }

    // MARK: - Lumen writes what the reference writes

    /// The tensors of layout.safetensors, from make_fixtures.py's formula
    /// ((37 i + 11 k) mod 23 − 11) / 8, in its order k = 0, 1, ….
    static func layoutTensors() -> [(name: String, tensor: SafetensorsTensor)] {
        let layout: [(String, SafetensorsDType, [Int])] = [
            ("0.weight", .f32, [4, 3]), ("0.bias", .f32, [4]), ("2.weight", .f32, [2, 4]), ("10.bias", .f32, [2]),
            ("scale", .f64, []), ("empty", .f32, [0, 3]), ("B", .f64, [3]), ("é", .f32, [1]), ("a_", .f32, [1]),
            ("a.", .f32, [1]),
        ]
        return layout.enumerated().map { k, item in
            let (name, dtype, shape) = item
            let values = (0..<shape.reduce(1, *)).map { i in Double((37 * i + 11 * k) % 23 - 11) / 8 }
            let tensor = dtype == .f32
                ? SafetensorsTensor(try! Tensor<Float>(shape: shape, elements: values.map(Float.init)))
                : SafetensorsTensor(try! Tensor<Double>(shape: shape, elements: values))
            return (name, tensor)
        }
    }

    @Test func lumenWritesTheReferencesBytesWithOneMetadataKey() throws {
        let ours = try Safetensors.encode(Self.layoutTensors(), metadata: ["note": "quote \" backslash \\ tab \t café"])
        #expect(ours == (try Fixtures.bytes("layout.safetensors")))
    }

    @Test func lumenWritesTheReferencesBytesWithoutMetadata() throws {
        #expect(try Safetensors.encode(Self.layoutTensors()) == (try Fixtures.bytes("layout_no_metadata.safetensors")))
    }

    @Test func lumenWritesTheReferencesBytesForNoTensors() throws {
        let none: [(name: String, tensor: SafetensorsTensor)] = []
        #expect(try Safetensors.encode(none, metadata: ["k": "v"]) == (try Fixtures.bytes("empty_with_metadata.safetensors")))
    }

    /// Shuffling the input order does not change the bytes: the layout depends only on the
    /// tensors, as in the reference.
    @Test func theBytesDoNotDependOnTheOrderTensorsAreGiven() throws {
        let tensors = Self.layoutTensors()
        let reference = try Fixtures.bytes("layout_no_metadata.safetensors")
        #expect(try Safetensors.encode(Array(tensors.reversed())) == reference)
        #expect(try Safetensors.encode(Array(tensors[4...] + tensors[..<4])) == reference)
    }

    // MARK: - Python reads what Lumen writes

    @Test(.enabled(if: Python.interop != nil, Comment(rawValue: Python.interopMissing)))
    func pythonReadsALumenCheckpoint() throws {
        let python = try #require(Python.interop)
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/lumen.safetensors"
        let model = TinyModule<Float>(start: 0.5)
        let momentum = try Tensor<Float>(shape: [2, 3], elements: [0.5, -1, 2, 0, 3.5, -0.25])
        try Checkpoint.save(model, to: path, metadata: ["epoch": "2", "recipe": "moons"],
                            optimizerState: [(name: "inner.weight.momentum_buffer", tensor: momentum)])
        let doubles = TinyModule<Double>(start: -3)
        let doublePath = folder + "/lumen64.safetensors"
        try Checkpoint.save(doubles, to: doublePath)

        typealias Written = (name: String, shape: [Int], values: [Double])
        let floatState: [Written] = model.namedState.map { ($0.name, $0.tensor.shape, $0.tensor.scalars.map(Double.init)) }
            + [("__optimizer__.inner.weight.momentum_buffer", [2, 3], momentum.scalars.map(Double.init))]
        let doubleState: [Written] = doubles.namedState.map { ($0.name, $0.tensor.shape, $0.tensor.scalars) }
        for (file, state, dtype) in [(path, floatState, "float32"), (doublePath, doubleState, "float64")] {
            let report = try python.runJSON([Fixtures.path("read_with_python.py"), file])
            let tensors = try #require(report["tensors"] as? [String: [String: Any]])
            #expect(Set(tensors.keys) == Set(state.map(\.name)))
            for (name, shape, values) in state {
                let described = try #require(tensors[name])
                #expect(described["dtype"] as? String == dtype)
                #expect(described["shape"] as? [Int] == shape)
                #expect(try (described["values"] as? [String] ?? []).map(Fixtures.double) == values, "\(name)")
            }
            if file == path { #expect(report["metadata"] as? [String: String] == ["epoch": "2", "recipe": "moons"]) }
        }
    }

    @Test(.enabled(if: Python.withTorch != nil, "needs a Python with torch (optional: set LUMEN_TORCH_PYTHON)"))
    func pyTorchLoadsALumenCheckpointStrictlyAndComputesTheSameOutput() throws {
        let python = try #require(Python.withTorch)
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/mlp.safetensors"
        let model = TorchShapedMLP(start: 0.375)
        try Checkpoint.save(model, to: path, metadata: ["epoch": "1"],
                            optimizerState: [(name: "0.weight.momentum_buffer", tensor: Tensor<Float>.ones([4, 3]))])
        let inputs: [[Double]] = [[0.5, -1, 2], [1.5, 0.25, -0.75], [-2, 0, 1]]
        let report = try python.runJSON([Fixtures.path("read_with_python.py"), "--torch-mlp", path]
                                        + inputs.joined().map { $0.hexadecimalText })
        let output = try (report["output"] as? [String] ?? []).map(Fixtures.double)
        let ours = model.forward(inputs)
        #expect(output.count == ours.count)
        #expect(zip(ours, output).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }, "\(ours) vs \(output)")
    }
}

extension Double {
    /// The value in C's %a form ("0x1.8p+1"), which Python's float.fromhex reads exactly.
    var hexadecimalText: String { String(format: "%a", self) }
}
