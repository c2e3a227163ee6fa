// Trainer+Transfer.swift — a fresh run that starts from weights trained elsewhere (`lumen
// train --init-from FILE`, Checkpoints/Checkpoint+Initialize.swift), with some of its layers
// frozen (`--freeze PREFIX…`): transfer learning and fine-tuning.
//
// Freezing a parameter clears its `requiresGrad`, so backward never computes its gradient
// (`grad` stays nil) and every optimizer skips it (they step only parameters with a
// gradient, as PyTorch's do). Its weights stay bit-identical through training. The optimizer
// keeps no state for it, so resuming such a run needs --reset-optimizer.
//
// Read next: Trainer+Schedule.swift.

import Checkpoints
import Layers
import Tensors

extension Trainer {
    /// Copies the weights of the safetensors file at `path` into the model, before training.
    ///
    /// - Parameter strict: refuse any difference between the file's tensors and the model's
    ///   (listing them all) when true; load what matches when false.
    /// - Throws: `TrainingError.invalidOption` after the first epoch; `.checkpoint` for a file
    ///   that cannot be read or does not fit (`CheckpointError.doesNotMatch`).
    public func initialize(from path: String, strict: Bool) throws(TrainingError) -> InitializationReport {
        guard completedEpochs == 0 else {
            throw .invalidOption(option: "--init-from", value: path, allowed: "given for a new run only, not with --resume")
        }
        do {
            return try Checkpoint.initialize(model, from: try Safetensors.read(from: path), strict: strict)
        } catch {
            throw .checkpoint(error)
        }
    }

    /// Freezes every parameter whose name is one of `prefixes` or starts with one of them
    /// and a dot ("0" freezes "0.weight" and "0.bias"; "0.weight" only that tensor).
    ///
    /// - Returns: the names of the frozen tensors and how many numbers they hold.
    /// - Throws: `TrainingError.invalidOption` for a prefix that names no parameter, listing
    ///   the model's layer prefixes.
    @discardableResult
    public func freeze(_ prefixes: [String]) throws(TrainingError) -> (names: [String], count: Int) {
        let parameters = model.namedParameters
        var names: [String] = [], count = 0
        for prefix in prefixes {
            let matching = parameters.filter { $0.name == prefix || $0.name.hasPrefix(prefix + ".") }
            guard !matching.isEmpty else {
                var layers: [String] = []
                for (name, _) in parameters {
                    let layer = String(name.prefix { $0 != "." })
                    if !layers.contains(layer) { layers.append(layer) }
                }
                throw .invalidOption(option: "--freeze", value: prefix,
                                     allowed: "the name of a layer with parameters (\(layers.joined(separator: ", "))) or of one tensor, such as 0.weight")
            }
            for (name, tensor) in matching where tensor.requiresGrad {
                tensor.requiresGrad = false
                tensor.zeroGrad()
                names.append(name)
                count += tensor.count
            }
        }
        return (names, count)
    }

    /// The names of the parameters that do not train (frozen by `freeze`).
    public var frozenParameters: [String] {
        model.namedParameters.filter { !$0.tensor.requiresGrad }.map(\.name)
    }
}
