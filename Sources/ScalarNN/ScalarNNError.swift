// ScalarNNError.swift — what can be wrong with a network's shape, parameters or data when
// they come from outside the program (command-line options, files).
//
// Each case's `description` names the problem and how to fix it; the CLI prints it as is.
//
// Read next: MLP.swift.

/// A problem with user-supplied sizes, parameters or training data.
public enum ScalarNNError: Error, Equatable, CustomStringConvertible {
    /// The network must read at least one input.
    case inputCount(Int)
    /// The layer list is empty or contains a size below 1.
    case layerSizes([Int])
    /// A classifier for ±1 labels needs exactly one output.
    case outputCount(Int)
    /// A parameter list of the wrong length.
    case parameterCount(expected: Int, given: Int)
    /// A parameter that is NaN or infinite.
    case nonFiniteParameter(index: Int, value: Double)
    /// No training points.
    case noData
    /// Different numbers of points and labels.
    case labelCount(points: Int, labels: Int)
    /// A point whose length differs from the network's input count.
    case pointDimension(index: Int, expected: Int, found: Int)
    /// A coordinate that is NaN or infinite.
    case nonFiniteCoordinate(index: Int)
    /// A label other than -1 or +1.
    case label(index: Int, value: Double)
    /// A requested data-set size below 2 (one point per moon at least).
    case sampleCount(Int)
    /// A noise level that is negative, NaN or infinite.
    case noise(Double)
    /// A step count below 1.
    case stepCount(Int)

    public var description: String {
        switch self {
        case .inputCount(let n):
            "a network needs at least 1 input, not \(n)"
        case .layerSizes(let sizes):
            sizes.isEmpty
                ? "a network needs at least one layer: give sizes such as 16,16,1"
                : "every layer needs at least 1 neuron, but the sizes are \(sizes.map(String.init).joined(separator: ","))"
        case .outputCount(let n):
            "the last layer must have 1 neuron (one score per point), not \(n)"
        case .parameterCount(let expected, let given):
            "the network has \(expected) parameters, but \(given) values were given"
        case .nonFiniteParameter(let index, let value):
            "parameter \(index) is \(value): every parameter must be a finite number"
        case .noData:
            "there are no training points"
        case .labelCount(let points, let labels):
            "there are \(points) points but \(labels) labels: give one label per point"
        case .pointDimension(let index, let expected, let found):
            "point \(index) has \(found) coordinates, but the network reads \(expected)"
        case .nonFiniteCoordinate(let index):
            "point \(index) has a coordinate that is not a finite number"
        case .label(let index, let value):
            "label \(index) is \(value): labels must be -1 or 1"
        case .sampleCount(let n):
            "the data set needs at least 2 points (one per moon), not \(n)"
        case .noise(let noise):
            "the noise must be a finite number ≥ 0, not \(noise)"
        case .stepCount(let n):
            "training needs at least 1 step, not \(n)"
        }
    }
}
