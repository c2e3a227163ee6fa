// Tensor+InPlaceBackward.swift — NOT IN THE READING ORDER. The backward pass of
// Tensor+Backward.swift, with the gradients summed in place.
//
// Read the readable version first; this file changes how, never what. `backward()` runs the
// code below while `Tensor.backwardAddsInPlace` is true (the default); the step-by-step
// `TensorBackwardPass` (lessons, anomaly checks) always runs the readable code, because it
// shows each node's contributions as tensors of their own. Same nodes, same order, same sums
// in the same order: TensorsTests/InPlaceBackwardTests.swift checks that both give the same
// gradients bit for bit. Why, with the measurements: Docs/performance.md ("Session 7").
//
// The two tricks:
// - A gradient that only this pass holds (it made it: a sum, a leaf's copy, a slice's zeros,
//   and has not yet handed it to the node's own pullback) is added to in place, instead of
//   being replaced by a new tensor `existing + contribution` at every contribution.
// - A slice adds its upstream gradient into its part of its input's gradient
//   (`Tensor.addGradient`), instead of returning a zero-filled tensor of the whole input's
//   shape that is then added to the rest. A sequence cut into L steps, or an LSTM's gates cut
//   into four blocks, so costs one buffer of zeros per pass instead of one per slice.

import Synchronization

private let addsInPlace = Atomic<Bool>(true)

extension Tensor {
    /// Whether `backward()` takes this file's path. Both paths give the same gradients; the
    /// switch exists so that tests can compare them.
    public static var backwardAddsInPlace: Bool {
        get { addsInPlace.load(ordering: .relaxed) }
        set { addsInPlace.store(newValue, ordering: .relaxed) }
    }

    /// `sendGradientToInputs()` with the sums in place. `owned`: the tensors whose current
    /// gradient this pass made and nobody else has seen.
    @_specialize(where Scalar == Float)
    func sendGradientToInputsInPlace(owned: inout Set<ObjectIdentifier>) {
        guard let upstream = grad, let pullback else { return }
        // The pullback may hand this gradient on as it is (add does): from now on it is shared.
        owned.remove(ObjectIdentifier(self))
        if let addGradient, inputs.count == 1 {
            if inputs[0].requiresGrad { addGradient(upstream, inputs[0].ownedGradient(&owned)) }
            return
        }
        let contributions = pullback(upstream)
        checkContributions(contributions)  // the readable pass's checks
        for case (let input, let contribution?) in zip(inputs, contributions) where input.requiresGrad {
            let key = ObjectIdentifier(input)
            if let existing = input.grad {
                if owned.contains(key) {
                    existing.scaleAndAdd(contribution, alpha: 1)    // existing + contribution, rounded alike
                } else {
                    input.grad = existing + contribution
                    owned.insert(key)
                }
            } else if input.isLeaf {
                input.grad = contribution.copy()
                owned.insert(key)
            } else {
                input.grad = contribution
            }
        }
    }

    /// This tensor's gradient as a buffer the pass may write into: zeros if it has none
    /// yet, a copy if the one it has may be seen elsewhere.
    private func ownedGradient(_ owned: inout Set<ObjectIdentifier>) -> Tensor {
        if let grad, owned.contains(ObjectIdentifier(self)) { return grad }
        let buffer = grad?.copy() ?? Tensor.zeros(shape)
        grad = buffer
        owned.insert(ObjectIdentifier(self))
        return buffer
    }
}

extension TensorBackwardPass {
    /// The remaining steps, as `backward()` runs them with `Tensor.backwardAddsInPlace` on.
    /// Returns no steps: the contributions are added where they go and never exist alone.
    mutating func finishInPlace() {
        var owned: Set<ObjectIdentifier> = []
        while stepsTaken < order.count {
            stepsTaken += 1
            order[order.count - stepsTaken].sendGradientToInputsInPlace(owned: &owned)
        }
    }
}
