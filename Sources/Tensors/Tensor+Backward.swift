// Tensor+Backward.swift — reverse-mode differentiation over a tensor graph.
//
// The same algorithm as Value+Backward.swift in Engine: order the nodes so that every node
// comes after its inputs, then walk that order backwards, and at each node hand its gradient
// to its pullback, which returns one gradient per input. Inputs *add up* what they receive
// (a tensor used twice gets two contributions). `backward()` and the step-by-step
// `TensorBackwardPass` are one code path: `backward()` just runs the pass to the end (by
// default with the same sums done in place: FastPath/Tensor+InPlaceBackward.swift).
//
// Read next: Docs/op-catalog.md, the table of every op with its derivative.

extension Tensor {
    /// Computes ∂self/∂t for every tensor t that `self` depends on and that requires a
    /// gradient. `self` must have exactly one element (a loss); for any other tensor, say
    /// which weighted sum to differentiate with `backward(gradient:)`.
    ///
    /// Leaves accumulate: a second `backward()` adds to their gradients, so call
    /// `zeroGrad()` between training steps.
    @_specialize(where Scalar == Float)
    public func backward(file: StaticString = #fileID, line: UInt = #line) {
        if count != 1 {
            shapeTrap("backward", "a tensor of shape \(describe(shape)) needs an explicit upstream gradient: "
                      + "call backward(gradient:) with a tensor of that shape, or reduce it first (e.g. .sum())",
                      file: file, line: line)
        }
        backward(gradient: Tensor.ones(shape), file: file, line: line)
    }

    /// Backward from a non-scalar: computes the gradient of Σ gradient ⊙ self, i.e. treats
    /// `gradient` as ∂root/∂self.
    @_specialize(where Scalar == Float)
    public func backward(gradient: Tensor, file: StaticString = #fileID, line: UInt = #line) {
        var pass = TensorBackwardPass(from: self, gradient: gradient, file: file, line: line)
        // Gradients off once for the whole pass (each step would otherwise switch it off and on).
        withoutGradients {
            if Tensor.backwardAddsInPlace {
                pass.finishInPlace()
            } else {
                while pass.next() != nil {}
            }
        }
    }

    /// Forgets this tensor's gradient, so that it reads as "not reached" (`nil`).
    public func zeroGrad() {
        grad = nil
    }

    /// Every tensor that `self` depends on through recorded ops, each after its inputs,
    /// ending with `self`. Iterative (an explicit stack), so deep graphs cannot overflow
    /// the call stack; see Value+Backward.swift for the recursive textbook version.
    public func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited: Set<ObjectIdentifier> = []
        var stack: [(node: Tensor, inputsDone: Bool)] = [(self, false)]
        while let (node, inputsDone) = stack.popLast() {
            if inputsDone {
                order.append(node)
                continue
            }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            // Pushed in reverse, so the first input is visited (and listed) first.
            for input in node.inputs.reversed() where !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }

    /// The chain rule at one node: each input that requires a gradient receives
    /// `pullback(upstream)` for it, added to what it already has.
    func sendGradientToInputs() -> TensorBackwardStep<Scalar>? {
        guard let upstream = grad, let pullback else { return nil }
        // Pullbacks and the sums below must not build graph. `backward()` has already turned
        // gradients off for the whole pass; a step-by-step pass turns them off here.
        if GradMode.isEnabled { return withoutGradients { sendGradientToInputs() } }
        let contributions = pullback(upstream)
        checkContributions(contributions)
        for case (let input, let contribution?) in zip(inputs, contributions) where input.requiresGrad {
            if let existing = input.grad {
                input.grad = existing + contribution
            } else {
                // A leaf keeps its own copy: users and optimizers read (and may write)
                // leaf gradients, which must not alias another node's storage.
                input.grad = input.isLeaf ? contribution.copy() : contribution
            }
        }
        return TensorBackwardStep(node: self, upstream: upstream, contributions: contributions)
    }

    /// Stops, naming the op, unless the pullback gave one gradient per input, one for every
    /// input that requires a gradient, each the shape of its input. A broken pullback is a bug
    /// in an op, not in the caller's code. (fatalError keeps its message in optimized builds,
    /// where a precondition's is dropped.)
    func checkContributions(_ contributions: [Tensor?]) {
        guard contributions.count == inputs.count else {
            fatalError("\(op!.rawValue): pullback returned \(contributions.count) gradients for \(inputs.count) inputs")
        }
        for (input, contribution) in zip(inputs, contributions) where input.requiresGrad {
            guard let contribution else {
                fatalError("\(op!.rawValue): pullback skipped an input that requires a gradient")
            }
            guard contribution.shape == input.shape else {
                fatalError("\(op!.rawValue): gradient of shape \(describe(contribution.shape)) for an input of shape \(describe(input.shape))")
            }
        }
    }
}

extension Sequence {
    /// Forgets the gradient of every tensor, for example a model's parameters.
    public func zeroGrad<S>() where Element == Tensor<S> {
        for tensor in self { tensor.zeroGrad() }
    }
}

/// One step of backward: a node passing its gradient on to its inputs.
public struct TensorBackwardStep<Scalar: TensorScalar> {
    /// The node whose gradient is being sent on.
    public let node: Tensor<Scalar>
    /// ∂root/∂node, the gradient that arrived at this node from above.
    public let upstream: Tensor<Scalar>
    /// What the pullback returned for each of `node.inputs`, in order: ∂root/∂input along
    /// this one path, or `nil` for an input that requires no gradient (it is not computed).
    public let contributions: [Tensor<Scalar>?]
}

/// Backward, one node at a time.
///
/// ```swift
/// var pass = TensorBackwardPass(from: loss)
/// while let step = pass.next() {
///     print(step.node.op!, step.upstream.shape, step.contributions.map { $0?.shape })
/// }
/// ```
/// Creating the pass seeds `root.grad` and resets the gradients of interior nodes, so a
/// graph drawn between steps shows which nodes backward has reached.
public struct TensorBackwardPass<Scalar: TensorScalar>: IteratorProtocol, Sequence {
    /// The root, held so that every node in `order` stays alive.
    public let root: Tensor<Scalar>
    /// All nodes that require a gradient, each after its inputs; backward walks it from the end.
    public let order: [Tensor<Scalar>]
    /// How many nodes have been visited so far.
    public internal(set) var stepsTaken = 0

    /// Starts backward from a scalar `root` (∂root/∂root = 1).
    public init(from root: Tensor<Scalar>, file: StaticString = #fileID, line: UInt = #line) {
        if root.count != 1 {
            shapeTrap("backward", "a tensor of shape \(describe(root.shape)) needs an explicit upstream gradient: "
                      + "pass gradient: with a tensor of that shape, or reduce it first (e.g. .sum())",
                      file: file, line: line)
        }
        self.init(from: root, gradient: Tensor.ones(root.shape), file: file, line: line)
    }

    /// Starts backward from `root` with ∂(something)/∂root = `gradient`.
    public init(from root: Tensor<Scalar>, gradient: Tensor<Scalar>,
                file: StaticString = #fileID, line: UInt = #line) {
        if !root.requiresGrad {
            shapeTrap("backward", "this tensor does not require a gradient: no input it was computed from "
                      + "has requiresGrad set (or it was computed inside withoutGradients)", file: file, line: line)
        }
        if gradient.shape != root.shape {
            shapeTrap("backward", "the gradient has shape \(describe(gradient.shape)) but the tensor has shape "
                      + describe(root.shape), file: file, line: line)
        }
        self.root = root
        order = root.topologicalOrder().filter { $0.requiresGrad }
        for node in order where !node.isLeaf { node.grad = nil }
        withoutGradients {
            root.grad = root.grad.map { $0 + gradient } ?? gradient.copy()
        }
    }

    /// The nodes still waiting to send their gradient on, next one first.
    public var remaining: [Tensor<Scalar>] {
        order[..<(order.count - stepsTaken)].reversed()
    }

    /// Sends the next node's gradient to its inputs. Leaves have nothing to send on, so the
    /// pass skips them and returns only steps of nodes made by an op.
    public mutating func next() -> TensorBackwardStep<Scalar>? {
        while stepsTaken < order.count {
            stepsTaken += 1
            if let step = order[order.count - stepsTaken].sendGradientToInputs() { return step }
        }
        return nil
    }
}
