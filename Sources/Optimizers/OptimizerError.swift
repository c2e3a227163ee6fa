// OptimizerError.swift — what can be wrong with an optimizer's settings (they often come from
// the command line) or with a saved state loaded into it (it comes from a file).
//
// Read next: ParameterState.swift.

/// Errors from bad hyperparameters or a saved state that does not fit, thrown instead of trapping.
public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter outside its allowed range, e.g. a negative learning rate.
    case invalidHyperparameter(name: String, value: Double, requirement: String)
    /// Nesterov momentum was asked for without momentum, or with dampening (as in PyTorch,
    /// Nesterov needs momentum > 0 and dampening = 0).
    case nesterovNeedsMomentum(momentum: Double, dampening: Double)
    /// A state key that this optimizer does not have, for example another optimizer's, or an
    /// index beyond the parameter list.
    case unknownStateKey(String)
    /// A parameter's state is present only in part: `missing` is one of the keys it lacks.
    case incompleteState(parameter: Int, missing: String)
    /// A state tensor whose shape is not its parameter's shape (or `[]` for a step count).
    case stateShapeMismatch(key: String, expected: [Int], found: [Int])
    /// A step count that is not a whole number in 1 ... 2⁵³.
    case invalidStep(key: String, value: Double)

    public var description: String {
        switch self {
        case let .invalidHyperparameter(name, value, requirement):
            "the \(name) must be \(requirement), but it is \(value); choose a value \(requirement)"
        case let .nesterovNeedsMomentum(momentum, dampening):
            "Nesterov momentum needs momentum > 0 and dampening = 0, but momentum is \(momentum) and dampening "
                + "is \(dampening); set a momentum such as 0.9 and no dampening, or turn Nesterov off"
        case let .unknownStateKey(key):
            "the saved optimizer state has a key '\(key)' that this optimizer does not use; it was probably "
                + "saved by another optimizer or for another model: load it into the same optimizer and model"
        case let .incompleteState(parameter, missing):
            "the saved optimizer state for parameter \(parameter) lacks '\(missing)'; the file is incomplete: "
                + "save the state again"
        case let .stateShapeMismatch(key, expected, found):
            "the saved optimizer state '\(key)' has shape \(found), but this optimizer needs \(expected); "
                + "it was saved for a model of another shape"
        case let .invalidStep(key, value):
            "the saved step count '\(key)' is \(value), not a whole number from 1 to 2^53; the file is damaged: save it again"
        }
    }
}
