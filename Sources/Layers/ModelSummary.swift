// ModelSummary.swift — a model's layers in a table, as Keras' `model.summary()` prints them:
// each layer's name, type, output shape and parameter count, then the totals.
//
// Read next: Conv2d.swift.

import Tensors

/// The table `Layer.summary(inputShape:)` returns. `description` prints it aligned:
///
/// Output shapes come from one forward pass on zeros of the example input shape, in
/// evaluation mode (batch norm's running statistics and dropout's generator stay untouched)
/// and without gradients (no graph is built). A `Sequential` is listed layer by layer (nested
/// ones too, with dotted names as in `namedParameters`); any other layer is one row.
///
/// ```
/// Model: Sequential, input [1, 4]
/// ______________________________________________
/// Layer   Type            Output shape   Param #
/// ==============================================
/// 0       Linear(4 → 3)   [1, 3]              15
/// 1       ReLU            [1, 3]               0
/// ==============================================
/// Total params: 15
/// Trainable params: 15
/// Non-trainable params: 0
/// ______________________________________________
/// ```
public struct ModelSummary: CustomStringConvertible, Sendable, Equatable {
    /// One layer of the table.
    public struct Row: Sendable, Equatable {
        /// The layer's dotted name in the model ("0", "2.1"), as in `namedParameters`.
        public var name: String
        /// The layer's `summaryName`, e.g. "Linear(64 → 128)".
        public var type: String
        /// The shape of the layer's output for the example input.
        public var outputShape: [Int]
        /// The elements of every tensor the layer (and its sub-modules) saves: parameters and
        /// buffers, as Keras counts batch norm's moving statistics in "Param #".
        public var parameterCount: Int

        public init(name: String, type: String, outputShape: [Int], parameterCount: Int) {
            self.name = name
            self.type = type
            self.outputShape = outputShape
            self.parameterCount = parameterCount
        }
    }

    /// The model's `summaryName`.
    public var modelName: String
    /// The example input shape the output shapes were computed for.
    public var inputShape: [Int]
    public var rows: [Row]
    /// Elements of the parameters that train (`requiresGrad`).
    public var trainableCount: Int
    /// Elements of frozen parameters and of buffers (running statistics).
    public var nonTrainableCount: Int
    /// trainable + non-trainable.
    public var totalCount: Int { trainableCount + nonTrainableCount }

    public var description: String {
        let header = ["Layer", "Type", "Output shape", "Param #"]
        let cells = rows.map { [$0.name, $0.type, shapeText($0.outputShape), groupedDigits($0.parameterCount)] }
        let widths = header.indices.map { column in
            ([header] + cells).map { $0[column].count }.max() ?? 0
        }
        func line(_ row: [String]) -> String {
            func spaces(_ column: Int) -> String { String(repeating: " ", count: widths[column] - row[column].count) }
            let left = (0..<3).map { row[$0] + spaces($0) }
            let right = spaces(3) + row[3]
            return (left + [right]).joined(separator: "   ")
        }
        let width = widths.reduce(0, +) + 3 * 3
        let thin = String(repeating: "_", count: width), thick = String(repeating: "=", count: width)
        return ([ "Model: \(modelName), input \(shapeText(inputShape))", thin, line(header), thick ]
                + cells.map(line)
                + [ thick,
                    "Total params: \(groupedDigits(totalCount))",
                    "Trainable params: \(groupedDigits(trainableCount))",
                    "Non-trainable params: \(groupedDigits(nonTrainableCount))",
                    thin ]).joined(separator: "\n")
    }
}

/// 1234567 → "1,234,567", as Keras prints counts.
func groupedDigits(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return (n < 0 ? "-" : "") + result
}

extension Layer {
    /// The model's summary for an example input of `inputShape` (batch axis included, e.g.
    /// `[1, 64]`). Runs one forward pass on zeros in evaluation mode without gradients, then
    /// restores every module's mode. Traps, naming the layer and this call's site, if the
    /// shape does not fit.
    public func summary(inputShape: [Int], file: StaticString = #fileID, line: UInt = #line) -> ModelSummary {
        let modes = moduleTree(self).map { ($0, $0.isTraining) }
        eval()
        defer {
            for (module, wasTraining) in modes { module.isTraining = wasTraining }
        }
        var rows: [ModelSummary.Row] = []
        withoutGradients {
            _ = appendSummaryRows(of: self, named: nil, input: Tensor<Scalar>.zeros(inputShape, file: file, line: line),
                                  to: &rows, file: file, line: line)
        }
        let trainable = namedParameters.filter { $0.tensor.requiresGrad }.reduce(0) { $0 + $1.tensor.count }
        let stateCount = namedState.reduce(0) { $0 + $1.tensor.count }
        return ModelSummary(modelName: summaryName, inputShape: inputShape, rows: rows,
                            trainableCount: trainable, nonTrainableCount: stateCount - trainable)
    }
}

/// A module and every module under it, depth first.
func moduleTree<Scalar>(_ module: any Module<Scalar>) -> [any Module<Scalar>] {
    [module] + module.children.flatMap { moduleTree($0.module) }
}

/// Runs `layer` on `input`, appending one row per layer (a `Sequential` is opened up), and
/// returns its output. A top-level layer that is not a `Sequential` is named "model".
private func appendSummaryRows<Scalar>(of layer: any Layer<Scalar>, named name: String?, input: Tensor<Scalar>,
                                       to rows: inout [ModelSummary.Row],
                                       file: StaticString, line: UInt) -> Tensor<Scalar> {
    if let sequential = layer as? Sequential<Scalar> {
        var x = input
        for (index, child) in sequential.layers.enumerated() {
            x = appendSummaryRows(of: child, named: name.map { "\($0).\(index)" } ?? String(index), input: x,
                                  to: &rows, file: file, line: line)
        }
        return x
    }
    let output = apply(layer, input, file: file, line: line)
    rows.append(ModelSummary.Row(name: name ?? "model", type: layer.summaryName, outputShape: output.shape,
                                 parameterCount: layer.namedState.reduce(0) { $0 + $1.tensor.count }))
    return output
}
