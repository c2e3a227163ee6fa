// Optimizer.swift — the protocol every optimizer follows: it holds its parameters, takes one
// `step()` after each backward pass, and saves and restores its running state for checkpoints.
//
// Read next: 1-SGD.swift, then 2-Adam, 3-AdamW and 4-RMSprop (simplest first), then
// LearningRateSchedule.swift and GradientClipping.swift.

import Tensors

/// Updates parameters from their gradients.
///
/// ```swift
/// let optimizer = try SGD(model.parameters, learningRate: 0.1, momentum: 0.9)
/// for batch in loader {
///     optimizer.zeroGrad()
///     let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
///     loss.backward()
///     optimizer.step()
/// }
/// ```
/// A class protocol: an optimizer keeps running state (momentum buffers, moment estimates)
/// between steps, and a schedule changes its `learningRate` from outside.
public protocol Optimizer<Scalar>: AnyObject {
    associatedtype Scalar: TensorScalar

    /// The tensors this optimizer updates, in the order they were given. `step()` writes
    /// into them in place, so a model holding the same tensor objects sees every update.
    var parameters: [Tensor<Scalar>] { get }

    /// γ, the step size. Settable between steps, so that a `LearningRateSchedule` can drive it.
    var learningRate: Double { get set }

    /// One update of every parameter that has a gradient, in place and without recording
    /// a graph. A parameter whose `grad` is `nil` (backward did not reach it) is left alone,
    /// and so is its running state.
    func step()

    /// The running state, named as PyTorch's `optimizer.state_dict()["state"]` names it,
    /// flattened to `"state.<parameter index>.<name>"` (e.g. `"state.0.exp_avg"`), ready for
    /// a safetensors checkpoint. Parameters that have not taken a step yet have no entries.
    ///
    /// The tensors are snapshots, copied when `state` is read: `step()` may update its
    /// state in place (SGD's momentum buffers), and a dictionary read now keeps its values.
    var state: [String: Tensor<Scalar>] { get }

    /// Replaces the running state with `state` (as `state` returns it), so that training
    /// resumes exactly where it stopped. All or nothing: every key is checked first, and on
    /// an error nothing changes.
    ///
    /// - Throws: `OptimizerError.unknownStateKey`, `.incompleteState`, `.stateShapeMismatch`
    ///   or `.invalidStep` for a state that does not belong to this optimizer and these parameters.
    func loadState(_ state: [String: Tensor<Scalar>]) throws(OptimizerError)
}

extension Optimizer {
    /// Forgets the gradient of every parameter (sets it to `nil`), before the next backward.
    public func zeroGrad() {
        parameters.zeroGrad()
    }

    /// `state` as a list in a fixed order (by parameter index, then name), the form
    /// `Checkpoint.save(…, optimizerState:)` takes.
    public var namedState: [(name: String, tensor: Tensor<Scalar>)] {
        func order(_ name: String) -> (Int, String) {
            let parts = name.split(separator: ".", maxSplits: 2)
            return (parts.count == 3 ? Int(parts[1]) ?? -1 : -1, name)
        }
        return state.map { (name: $0.key, tensor: $0.value) }.sorted { order($0.name) < order($1.name) }
    }

    /// `loadState` from a list such as `namedState` returns (or a checkpoint's optimizer state).
    /// Should a name appear twice, its first tensor is used.
    public func loadState(_ named: [(name: String, tensor: Tensor<Scalar>)]) throws(OptimizerError) {
        try loadState(Dictionary(named.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first }))
    }
}

// MARK: - Checking hyperparameters

/// Throws `OptimizerError.invalidHyperparameter` unless `value` satisfies `condition`
/// (NaN never does). `requirement` says in words what is allowed, e.g. "≥ 0".
func require(_ name: String, _ value: Double, _ requirement: String,
             _ condition: (Double) -> Bool) throws(OptimizerError) {
    guard !value.isNaN, condition(value) else {
        throw .invalidHyperparameter(name: name, value: value, requirement: requirement)
    }
}
