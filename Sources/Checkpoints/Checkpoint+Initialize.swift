// Checkpoint+Initialize.swift — starting a model from another file's weights (transfer
// learning, `lumen train --init-from`): a checkpoint of Lumen's, or a plain PyTorch
// `state_dict` saved with safetensors (`save_file(model.state_dict(), path)`), with no
// metadata and no optimizer state.
//
// Tensors are matched by name: the model's state names are PyTorch's, so a PyTorch
// `nn.Sequential` with the same layers in the same order has exactly the same ones ("0.weight",
// "3.running_mean"). A model written as a class with named attributes (self.conv1) has other
// names; save `nn.Sequential(...)`'s state_dict instead, or rename the keys in Python. The
// optimizer's tensors and PyTorch's `num_batches_tracked` counters are not weights and are
// skipped. Unlike `load`, every dtype that converts is accepted (PyTorch often saves F16/BF16).
//
// Read next: Sources/Training/Trainer+Transfer.swift, which uses it.

import Layers
import Tensors

/// What `Checkpoint.initialize` found: the tensors it loaded, and those it could not.
public struct InitializationReport: Equatable, Sendable {
    /// Loaded: in the model and in the file, with the same shape.
    public var loaded: [String]
    /// In the model, not in the file (they keep their fresh initialization).
    public var missing: [String]
    /// In the file, not in the model (ignored).
    public var unexpected: [String]
    /// In both, with other shapes (they keep their fresh initialization): "name: [file] for [model]".
    public var misShaped: [String]

    /// Whether the file and the model hold exactly the same tensors.
    public var isExact: Bool { missing.isEmpty && unexpected.isEmpty && misShaped.isEmpty }
}

extension Checkpoint {
    /// Copies into `module` the tensors of `file` that match its state by name and shape.
    ///
    /// - Parameter strict: when true (the default), any missing, unexpected or mis-shaped
    ///   tensor is an error that lists them all, and nothing is loaded; when false, what
    ///   matches is loaded and the rest reported.
    /// - Throws: `.doesNotMatch` (strict), `.unsupportedDType` for a tensor that cannot be
    ///   converted, `.nonFiniteValues` for a NaN or ±∞ among those that would be loaded.
    ///   Nothing is written into the module unless every check passes.
    @discardableResult
    public static func initialize<M: Module>(_ module: M, from file: SafetensorsFile,
                                             strict: Bool = true) throws(CheckpointError) -> InitializationReport {
        let state = module.namedState
        let stateNames = Set(state.map(\.name))
        var report = InitializationReport(loaded: [], missing: [], unexpected: [], misShaped: [])
        var matched: [(tensor: Tensor<M.Scalar>, entry: SafetensorsEntry)] = []
        for (name, tensor) in state {
            guard let entry = file[name] else { report.missing.append(name); continue }
            guard entry.shape == tensor.shape else {
                report.misShaped.append("\(name): \(entry.shape) for \(tensor.shape)")
                continue
            }
            report.loaded.append(name)
            matched.append((tensor, entry))
        }
        report.unexpected = file.names.filter {
            !stateNames.contains($0) && !$0.hasPrefix(optimizerPrefix) && !isIgnoredPyTorchBuffer($0)
        }
        if strict && !report.isExact {
            throw .doesNotMatch(file: file.path, missing: report.missing, unexpected: report.unexpected, misShaped: report.misShaped)
        }
        var values: [Tensor<M.Scalar>] = []
        for (_, entry) in matched {
            guard entry.dtype.isConvertible else {
                throw .unsupportedDType(file: file.path, tensor: entry.name, dtype: entry.dtype.rawValue)
            }
            let value = try file.tensor(entry, as: M.Scalar.self)
            try checkFinite(value, name: entry.name, file: file.path)
            values.append(value)
        }
        for ((tensor, _), value) in zip(matched, values) { tensor.assign(value) }
        return report
    }
}
