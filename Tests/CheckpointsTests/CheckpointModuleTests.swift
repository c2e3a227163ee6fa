// CheckpointModuleTests.swift — saving a Module's state and loading it back by name: the
// names and order, all-or-nothing loads, strict mode, dtypes, and optimizer state.
//
// Read next: SafetensorsPythonTests.swift (the same files as Python writes and reads them).

import Foundation
import Testing
@testable import Checkpoints
import Layers
import Tensors

@Suite struct CheckpointModuleTests {
    @Test func savedNamesAreTheModulesStateDictNames() throws {
        let file = try Safetensors.decode(Checkpoint.encode(TinyModule<Float>()))
        #expect(Set(file.names) == ["scale", "count", "inner.weight", "inner.bias"])
        #expect(file["scale"]?.shape == [])
        #expect(file["inner.weight"]?.shape == [2, 3])
        #expect(try file.tensor("inner.bias", as: Float.self).scalars == [3.0, 3.25])  // 1 + 8 · 0.25, …
    }

    func roundTrip<Scalar: TensorScalar>(_ type: Scalar.Type) throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/model.safetensors"
        let saved = TinyModule<Scalar>(start: 1)
        try Checkpoint.save(saved, to: path, metadata: ["epoch": "7"])
        let restored = TinyModule<Scalar>(start: -100)
        #expect(restored.allValues != saved.allValues)
        let loaded = try Checkpoint.load(path, into: restored)
        #expect(restored.allValues == saved.allValues)
        let expected: [Scalar] = (0..<10).map { (i: Int) -> Scalar in Scalar(1 + 0.25 * Double(i)) }
        #expect(restored.allValues == expected)
        #expect(loaded.metadata == ["epoch": "7"])
        #expect(loaded.optimizerState.isEmpty)
    }

    @Test func floatModuleRoundTrips() throws { try roundTrip(Float.self) }
    @Test func doubleModuleRoundTrips() throws { try roundTrip(Double.self) }

    @Test func loadingWritesIntoTheSameTensorsTheModuleHolds() throws {
        let restored = TinyModule<Float>(start: -100)
        let weight = restored.inner.weight
        try Checkpoint.load(Safetensors.decode(Checkpoint.encode(TinyModule<Float>(start: 1))), into: restored)
        #expect(restored.inner.weight === weight)
        #expect(weight.scalars == [1.5, 1.75, 2, 2.25, 2.5, 2.75])
        #expect(weight.requiresGrad)
    }

    /// The last tensor in state order has the wrong shape: nothing at all may change.
    @Test func aWrongShapeInTheLastTensorLeavesEveryTensorUntouched() throws {
        let source = TinyModule<Float>(start: 1, biasShape: [3])
        let file = try Safetensors.decode(Checkpoint.encode(source), file: "m.safetensors")
        let target = TinyModule<Float>(start: -100)
        let before = target.allValues
        #expect(throws: CheckpointError.shapeMismatch(file: "m.safetensors", tensor: "inner.bias", expected: [2], found: [3])) {
            try Checkpoint.load(file, into: target)
        }
        #expect(target.allValues == before)
    }

    @Test func aMissingTensorIsNamedAndNothingChanges() throws {
        let source = TinyModule<Float>(start: 1)
        let partial = source.namedState.filter { $0.name != "inner.weight" && $0.name != "count" }
        let file = try Safetensors.decode(Safetensors.encode(partial), file: "m.safetensors")
        let target = TinyModule<Float>(start: -100)
        let before = target.allValues
        #expect(throws: CheckpointError.missingTensors(file: "m.safetensors", names: ["count", "inner.weight"])) {
            try Checkpoint.load(file, into: target)
        }
        #expect(target.allValues == before)
    }

    @Test func anUnexpectedTensorIsAnErrorOnlyInStrictMode() throws {
        let source = TinyModule<Float>(start: 1)
        let extra = source.namedState + [(name: "inner.extra", tensor: Tensor<Float>([9]))]
        let file = try Safetensors.decode(Safetensors.encode(extra), file: "m.safetensors")
        let target = TinyModule<Float>(start: -100)
        let before = target.allValues
        #expect(throws: CheckpointError.unexpectedTensors(file: "m.safetensors", names: ["inner.extra"])) {
            try Checkpoint.load(file, into: target)
        }
        #expect(target.allValues == before)
        try Checkpoint.load(file, into: target, strict: false)
        #expect(target.allValues == source.allValues)
    }

    @Test func aWrongDTypeIsAnErrorUnlessConvertingIsAskedFor() throws {
        let doubles = TinyModule<Double>(start: 1)
        let file = try Safetensors.decode(Checkpoint.encode(doubles), file: "m.safetensors")
        let target = TinyModule<Float>(start: -100)
        let before = target.allValues
        do {
            try Checkpoint.load(file, into: target)
            Issue.record("expected dtypeMismatch")
        } catch {
            guard case let .dtypeMismatch(name, tensor, expected, found) = error else { Issue.record("got \(error)"); return }
            #expect(name == "m.safetensors")
            #expect(file[tensor] != nil)
            #expect(expected == "F32")
            #expect(found == "F64")
        }
        #expect(target.allValues == before)
        try Checkpoint.load(file, into: target, convertingDTypes: true)
        #expect(target.allValues == doubles.allValues.map(Float.init))
    }

    @Test func anUnconvertibleDTypeIsNamedEvenWhenConverting() throws {
        // A hand-made file whose "count" is complex (C64): 8 bytes for one element.
        let header = #"{"count":{"dtype":"C64","shape":[1],"data_offsets":[0,8]},"#
            + #""inner.bias":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"#
            + #""inner.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[16,40]},"#
            + #""scale":{"dtype":"F32","shape":[],"data_offsets":[40,44]}}"#
        let bytes = safetensorsBytes(header: header, data: [UInt8](repeating: 0, count: 44))
        let file = try Safetensors.decode(bytes, file: "c.safetensors")
        let target = TinyModule<Float>(start: -100)
        let before = target.allValues
        #expect(throws: CheckpointError.unsupportedDType(file: "c.safetensors", tensor: "count", dtype: "C64")) {
            try Checkpoint.load(file, into: target, convertingDTypes: true)
        }
        #expect(target.allValues == before)
    }

    @Test func optimizerStateIsSavedUnderItsPrefixAndComesBack() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/resume.safetensors"
        let model = TinyModule<Float>(start: 1)
        let momentum = try Tensor<Float>(shape: [2, 3], elements: [0.5, -1, 2, 0, 3.5, -0.25])
        try Checkpoint.save(model, to: path, metadata: ["step": "12", "optimizer": "sgd"],
                            optimizerState: [(name: "inner.weight.momentum_buffer", tensor: momentum)])
        let file = try Safetensors.read(from: path)
        #expect(file["__optimizer__.inner.weight.momentum_buffer"]?.shape == [2, 3])

        let target = TinyModule<Float>(start: -100)
        let loaded = try Checkpoint.load(path, into: target)
        #expect(target.allValues == model.allValues)
        #expect(loaded.metadata == ["step": "12", "optimizer": "sgd"])
        #expect(loaded.optimizerState.map(\.name) == ["inner.weight.momentum_buffer"])
        #expect(loaded.optimizerTensor("inner.weight.momentum_buffer")?.scalars == [0.5, -1, 2, 0, 3.5, -0.25])
        #expect(loaded.optimizerTensor("inner.weight.momentum_buffer") !== momentum)
    }

    @Test func aBadOptimizerTensorAlsoLeavesTheModelUntouched() throws {
        let model = TinyModule<Float>(start: 1)
        let bytes = try Safetensors.encode(
            model.namedState.map { ($0.name, SafetensorsTensor($0.tensor)) }
                + [(name: "__optimizer__.m", tensor: SafetensorsTensor(Tensor<Double>([1])))])
        let file = try Safetensors.decode(bytes, file: "o.safetensors")
        let target = TinyModule<Float>(start: -100)
        let before = target.allValues
        #expect(throws: CheckpointError.dtypeMismatch(file: "o.safetensors", tensor: "__optimizer__.m", expected: "F32", found: "F64")) {
            try Checkpoint.load(file, into: target)
        }
        #expect(target.allValues == before)
    }

    @Test func loadingAMissingFileSaysSo() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/absent.safetensors"
        #expect(throws: CheckpointError.fileNotFound(file: path)) {
            try Checkpoint.load(path, into: TinyModule<Float>())
        }
    }
}
