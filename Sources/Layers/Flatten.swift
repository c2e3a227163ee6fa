// Flatten.swift — axes start...end merged into one (by default all but the batch axis), as
// PyTorch's nn.Flatten: the bridge from convolutions to Linear layers.
//
// Read next: Dropout.swift.

import Tensors

/// Merges axes `startAxis...endAxis` into one (Tensors' `reshape`; its pullback reshapes the
/// gradient back):
///
/// ```
/// [N, C, H, W]  →  [N, C·H·W]        (startAxis 1, endAxis −1, PyTorch's defaults)
/// ```
public final class Flatten<Scalar: TensorScalar>: CallSiteLayer {
    public let startAxis: Int
    public let endAxis: Int
    public var isTraining = true

    public init(startAxis: Int = 1, endAxis: Int = -1) {
        self.startAxis = startAxis
        self.endAxis = endAxis
    }

    public var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var summaryName: String { "Flatten" }

    public func callAsFunction(_ input: Tensor<Scalar>,
                               file: StaticString = #fileID, line: UInt = #line) -> Tensor<Scalar> {
        let start = startAxis < 0 ? startAxis + input.rank : startAxis
        let end = endAxis < 0 ? endAxis + input.rank : endAxis
        if start < 0 || end >= input.rank || start > end {
            layerTrap("Flatten(startAxis: \(startAxis), endAxis: \(endAxis))",
                      "needs axes \(startAxis)...\(endAxis) to exist in the input, got \(shapeText(input.shape))",
                      file: file, line: line)
        }
        let merged = input.shape[start...end].reduce(1, *)
        return input.reshape(Array(input.shape[..<start]) + [merged] + Array(input.shape[(end + 1)...]),
                             file: file, line: line)
    }
}
