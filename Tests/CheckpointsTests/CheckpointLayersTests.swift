// CheckpointLayersTests.swift — checkpoints of real Layers models: a PyTorch Sequential's
// state loads into Lumen's Sequential(Linear, ReLU, Linear) and computes PyTorch's output,
// and a Lumen model saved and loaded into a differently initialised one computes the same.
//
// Read next: Sources/Checkpoints/Checkpoint.swift.

import Foundation
import Testing
import Checkpoints
import Layers
import Tensors

@Suite struct CheckpointLayersTests {
    static func mlp(seed: UInt64) -> Sequential<Float> {
        Sequential(Linear(in: 3, out: 4, seed: seed), ReLU(), Linear(in: 4, out: 2, seed: seed + 1))
    }

    @Test func aPyTorchSequentialLoadsIntoLumensAndGivesPyTorchsOutput() throws {
        let expected = try #require(try Fixtures.expected()["torch_mlp.safetensors"] as? [String: Any])
        let model = Self.mlp(seed: 1)
        try Checkpoint.load(Fixtures.path("torch_mlp.safetensors"), into: model)
        let input = try (expected["input"] as? [String] ?? []).map { Float(try Fixtures.double($0)) }
        let output = try (expected["output"] as? [String] ?? []).map(Fixtures.double)
        let ours = model(try Tensor(shape: [2, 3], elements: input)).scalars
        #expect(ours.count == output.count)
        #expect(zip(ours, output).allSatisfy { abs(Double($0) - $1) <= 1e-5 * max(1, abs($1)) }, "\(ours) vs \(output)")
    }

    @Test func aSavedModelLoadsIntoAFreshOneAndComputesTheSame() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/mlp.safetensors"
        let trained = Self.mlp(seed: 10)
        try Checkpoint.save(trained, to: path)
        #expect(try Safetensors.read(from: path).names.sorted() == ["0.bias", "0.weight", "2.bias", "2.weight"])

        let fresh = Self.mlp(seed: 99)
        let x = try Tensor<Float>(shape: [3, 3], elements: [0.5, -1, 2, 1.5, 0.25, -0.75, -2, 0, 1])
        #expect(fresh(x).scalars != trained(x).scalars)
        try Checkpoint.load(path, into: fresh)
        #expect(fresh.parameters.map(\.scalars) == trained.parameters.map(\.scalars))
        #expect(fresh(x).scalars == trained(x).scalars)
    }

    @Test func aModelWithOtherLayerSizesIsRefusedByShape() throws {
        let bytes = try Checkpoint.encode(Self.mlp(seed: 10))
        let wider = Sequential<Float>(Linear(in: 3, out: 5, seed: 1), ReLU(), Linear(in: 5, out: 2, seed: 2))
        let before = wider.parameters.map(\.scalars)
        #expect(throws: CheckpointError.shapeMismatch(file: "<memory>", tensor: "0.weight", expected: [5, 3], found: [4, 3])) {
            try Checkpoint.load(Safetensors.decode(bytes), into: wider)
        }
        #expect(wider.parameters.map(\.scalars) == before)
    }

    /// PyTorch's BatchNorm1d(2) state as its state_dict holds it, built byte by byte: four F32
    /// tensors and the I64 scalar `num_batches_tracked`, which Lumen does not keep.
    @Test func aPyTorchBatchNormStateWithItsBatchCounterLoadsStrictly() throws {
        let header = #"{"weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""bias":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"#
            + #""running_mean":{"dtype":"F32","shape":[2],"data_offsets":[16,24]},"#
            + #""running_var":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},"#
            + #""num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[32,40]}}"#
        let data = float32Bytes([1.5, 2, 0.25, -0.5, 3, -1, 4, 0.5]) + littleEndian(7)
        let norm = BatchNorm1d<Float>(numFeatures: 2)
        try Checkpoint.load(Safetensors.decode(safetensorsBytes(header: header, data: data)), into: norm)
        #expect(norm.weight?.scalars == [1.5, 2])
        #expect(norm.bias?.scalars == [0.25, -0.5])
        #expect(norm.runningMean.scalars == [3, -1])
        #expect(norm.runningVariance.scalars == [4, 0.5])
    }
}
