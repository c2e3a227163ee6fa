// TestSupport.swift — what the Checkpoints tests share: a fresh temporary folder per test,
// a tiny two-level module, and little-endian byte builders for hand-made files.
//
// Read next: SafetensorsRoundTripTests.swift.

import Foundation
import Layers
import Tensors

/// A new, empty folder for one test (tests run in parallel, so none share one).
func makeTemporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("lumen-checkpoints-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

func removeFolder(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// A module with its own parameter, a buffer, and a child: the names come out as
/// `scale`, `count`, `inner.weight`, `inner.bias` (PyTorch's state_dict order).
final class TinyModule<Scalar: TensorScalar>: Module {
    final class Inner: Module {
        let weight: Tensor<Scalar>
        let bias: Tensor<Scalar>
        var isTraining = true
        init(weight: Tensor<Scalar>, bias: Tensor<Scalar>) {
            self.weight = weight
            self.bias = bias
        }
        var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [("weight", weight), ("bias", bias)] }
    }

    let scale: Tensor<Scalar>
    let count: Tensor<Scalar>
    let inner: Inner
    var isTraining = true

    /// Every element different, from `start` upwards in steps of 0.25.
    init(start: Double = 1, weightShape: [Int] = [2, 3], biasShape: [Int] = [2]) {
        var next = start
        func fill(_ shape: [Int]) -> Tensor<Scalar> {
            let values = (0..<shape.reduce(1, *)).map { _ -> Scalar in
                defer { next += 0.25 }
                return Scalar(next)
            }
            return try! Tensor(shape: shape, elements: values, requiresGrad: true)
        }
        scale = fill([])
        count = fill([1])
        inner = Inner(weight: fill(weightShape), bias: fill(biasShape))
    }

    var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [("scale", scale)] }
    var ownBuffers: [(name: String, tensor: Tensor<Scalar>)] { [("count", count)] }
    var children: [(name: String, module: any Module<Scalar>)] { [("inner", inner)] }

    /// Every state value, flattened in state order.
    var allValues: [Scalar] { namedState.flatMap(\.tensor.scalars) }
}

/// Bytes of a little-endian UInt64.
func littleEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}

/// A file from a header given as text and a data buffer: the 8-byte length, the header, the data.
func safetensorsBytes(header: String, data: [UInt8]) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    return littleEndian(UInt64(headerBytes.count)) + headerBytes + data
}

/// The little-endian bytes of Floats, written out independently of the code under test.
func float32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32($0))) } }
}

/// The little-endian bytes of Doubles.
func float64Bytes(_ values: [Double]) -> [UInt8] {
    values.flatMap { littleEndian($0.bitPattern) }
}
