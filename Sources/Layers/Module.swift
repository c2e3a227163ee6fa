// Module.swift — what every layer of a tensor network has in common: named parameters,
// a train/eval mode, and sub-modules.
//
// Nothing here is found by reflection. Each module lists its own tensors under short names
// ("weight", "bias") and its children under theirs ("0", "fc1"); the extension below joins
// them into PyTorch's dotted names ("0.weight", "fc1.bias"), so a checkpoint written by
// Lumen loads into the same model in PyTorch and the graph drawing can label parameters.
//
// Read next: Layer+CallSite.swift (how a layer names its caller), then Linear.swift, the
// simplest layer.

import Tensors

/// A part of a network: owns parameters, may own sub-modules, and knows whether it is
/// training or evaluating.
public protocol Module<Scalar>: AnyObject {
    associatedtype Scalar: TensorScalar

    /// The tensors this module trains itself (not its children's), in a fixed order, under
    /// their local names, e.g. `[("weight", W), ("bias", b)]`.
    var ownParameters: [(name: String, tensor: Tensor<Scalar>)] { get }

    /// State this module saves but does not train (batch norm's running mean and variance),
    /// under local names. Most modules have none.
    var ownBuffers: [(name: String, tensor: Tensor<Scalar>)] { get }

    /// The sub-modules, in order, under local names (`"0"`, `"1"`, … in a `Sequential`).
    var children: [(name: String, module: any Module<Scalar>)] { get }

    /// `true` while training (dropout drops, batch norm uses the batch's statistics),
    /// `false` while evaluating. Set it for a whole tree with `train()` / `eval()`.
    var isTraining: Bool { get set }

    /// A short description for summaries, e.g. `"Linear(64 → 128)"`.
    var summaryName: String { get }
}

/// A module that maps one tensor to one tensor, so that it can sit in a `Sequential`.
public protocol Layer<Scalar>: Module {
    func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar>
}

extension Module {
    public var ownBuffers: [(name: String, tensor: Tensor<Scalar>)] { [] }
    public var children: [(name: String, module: any Module<Scalar>)] { [] }
    public var summaryName: String { String(describing: type(of: self)) }

    /// Every trainable tensor in the tree under its dotted name, in PyTorch's
    /// `named_parameters()` order: a module's own parameters, then each child's, depth first.
    /// A tensor that two modules share (tied weights, one layer used twice) is listed once,
    /// under its first name, as PyTorch does, so an optimizer steps it once per step.
    public var namedParameters: [(name: String, tensor: Tensor<Scalar>)] {
        var result = ownParameters
        for (childName, child) in children {
            result += child.namedParameters.map { (childName + "." + $0.name, $0.tensor) }
        }
        var seen = Set<ObjectIdentifier>()
        return result.filter { seen.insert(ObjectIdentifier($0.tensor)).inserted }
    }

    /// The trainable tensors alone, in the same order: what an optimizer is given.
    public var parameters: [Tensor<Scalar>] { namedParameters.map(\.tensor) }

    /// Everything a checkpoint holds, in PyTorch's `state_dict()` order: a module's own
    /// parameters, then its own buffers, then each child's state, depth first.
    public var namedState: [(name: String, tensor: Tensor<Scalar>)] {
        var result = ownParameters + ownBuffers
        for (childName, child) in children {
            result += child.namedState.map { (childName + "." + $0.name, $0.tensor) }
        }
        return result
    }

    /// Puts this module and every module under it in training mode (or evaluation mode
    /// when `on` is false).
    public func train(_ on: Bool = true) {
        let me = self
        me.isTraining = on
        for (_, child) in children { child.train(on) }
    }

    /// Puts the whole tree in evaluation mode: the same as `train(false)`.
    public func eval() { train(false) }

    /// Forgets the gradient of every parameter. Call it before each `backward()`, because
    /// leaves accumulate.
    public func zeroGrad() {
        parameters.zeroGrad()
    }
}
