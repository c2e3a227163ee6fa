// ParameterState.swift — one parameter's running state inside an optimizer (a momentum
// buffer, moment estimates, a step count), and its conversion to and from the flat names
// "state.<index>.<name>" that `Optimizer.state` returns and checkpoints store.
//
// Read next: 1-SGD.swift.

import Tensors

/// One parameter's running state, convertible to the names PyTorch's optimizers use.
protocol ParameterState<Scalar> {
    associatedtype Scalar: TensorScalar
    /// The names of the state's tensors, as PyTorch calls them. `"step"` is a step count
    /// (a scalar tensor); every other name is a tensor shaped like the parameter.
    static var names: [String] { get }
    /// Names that only some settings use (RMSprop's `grad_avg` when centered): allowed, not required.
    static var optionalNames: [String] { get }
    /// The state's tensors by name.
    var named: [String: Tensor<Scalar>] { get }
    /// The state from its tensors, which `unflattenState` has checked: every name is
    /// there, with the right shape.
    init(named: [String: Tensor<Scalar>])
}

extension ParameterState {
    static var optionalNames: [String] { [] }
}

/// `states` (one per parameter, `nil` before its first step) as `"state.<index>.<name>"` →
/// a copy of the tensor.
func flattenState<State: ParameterState>(_ states: [State?]) -> [String: Tensor<State.Scalar>] {
    var flat: [String: Tensor<State.Scalar>] = [:]
    for (index, state) in states.enumerated() {
        guard let state else { continue }
        // Copies: the optimizers update their state in place, and a dictionary read now
        // must keep its values (a checkpoint taken mid-training).
        for (name, tensor) in state.named { flat["state.\(index).\(name)"] = tensor.copy() }
    }
    return flat
}

/// The largest step count a saved state may hold: 2⁵³, the largest whole number from which
/// every smaller one is exact in a Double (and far below Int.max ≈ 9.2 · 10¹⁸).
let maximumStep = 9_007_199_254_740_992.0

/// The inverse of `flattenState`: every key checked against `parameters` before anything is
/// built, so that a bad file changes nothing. The tensors are copied, so later writes to
/// the caller's tensors cannot reach the optimizer.
func unflattenState<State: ParameterState>(_ flat: [String: Tensor<State.Scalar>],
                                           for parameters: [Tensor<State.Scalar>],
                                           as _: State.Type) throws(OptimizerError) -> [State?] {
    var grouped = [[String: Tensor<State.Scalar>]](repeating: [:], count: parameters.count)
    for key in flat.keys.sorted() {
        let tensor = flat[key]!
        // "state.0.exp_avg" → "state", "0", "exp_avg"
        let parts = key.split(separator: ".", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == "state", let index = Int(parts[1]),
              parameters.indices.contains(index),
              State.names.contains(parts[2]) || State.optionalNames.contains(parts[2]) else {
            throw .unknownStateKey(key)
        }
        let name = parts[2]
        let expected = name == "step" ? [] : parameters[index].shape
        guard tensor.shape == expected else {
            throw .stateShapeMismatch(key: key, expected: expected, found: tensor.shape)
        }
        if name == "step" {
            let count = Double(tensor.item())
            // NaN fails every comparison, so it is refused here too. The upper bound keeps
            // `Int(step)` and the `step + 1` of the next update far from Int's limits: no step
            // count read from a file can trap (2⁵³ steps would take longer than the universe has).
            guard count >= 1, count <= maximumStep, count == count.rounded() else {
                throw .invalidStep(key: key, value: count)
            }
        }
        grouped[index][name] = tensor.copy()
    }
    var states: [State?] = []
    for (index, named) in grouped.enumerated() {
        if named.isEmpty {
            states.append(nil)
        } else if let missing = State.names.first(where: { named[$0] == nil }) {
            throw .incompleteState(parameter: index, missing: "state.\(index).\(missing)")
        } else {
            states.append(State(named: named))
        }
    }
    return states
}
