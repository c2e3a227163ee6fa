// Checkpoint.swift — a model's state (and, for `--resume`, its optimizer's) saved to a
// safetensors file under PyTorch's `state_dict()` names, and loaded back all or nothing.
//
// Read next: Safetensors+Reading.swift, the file format and its checks.

import Layers
import Tensors

/// Saving and loading whole models.
///
/// A checkpoint is one safetensors file:
/// - the model's state under its dotted names (`"0.weight"`, `"fc1.bias"`), in `namedState` order;
/// - optionally the optimizer's state (momentum buffers, Adam's moments) as more tensors,
///   each under `Checkpoint.optimizerPrefix` + a name the optimizer chooses, e.g.
///   `"__optimizer__.state.0.momentum_buffer"` (the names of `Optimizer.state`: parameter 0's buffer);
/// - optionally `__metadata__` strings (epoch, step, recipe, optimizer settings, the
///   random generator's state), which is how `lumen train --resume` knows where to carry on.
///
/// To load a Lumen checkpoint that carries optimizer state into PyTorch, leave those
/// tensors out:
///
///     state = {k: v for k, v in load_file(path).items() if not k.startswith("__optimizer__.")}
///     model.load_state_dict(state)
public enum Checkpoint {
    /// The prefix of the optimizer's tensors. Lumen's layers never name a parameter, buffer or
    /// child with a leading double underscore, so it does not clash with a model's state names.
    public static let optimizerPrefix = "__optimizer__."

    /// Writes `module.namedState`, then `optimizerState` under `optimizerPrefix`, and
    /// `metadata`, to `path` atomically (a temporary file, then a rename).
    ///
    /// - Throws: `.writeFailed` naming the file; `.duplicateName` if two tensors share a name.
    public static func save<M: Module>(_ module: M, to path: String, metadata: [String: String] = [:],
                                       optimizerState: [(name: String, tensor: Tensor<M.Scalar>)] = []) throws(CheckpointError) {
        try Safetensors.write(tensors(of: module, optimizerState: optimizerState), metadata: metadata, to: path)
    }

    /// The bytes `save` would write, for callers that keep checkpoints in memory.
    public static func encode<M: Module>(_ module: M, metadata: [String: String] = [:],
                                         optimizerState: [(name: String, tensor: Tensor<M.Scalar>)] = []) throws(CheckpointError) -> [UInt8] {
        try Safetensors.encode(tensors(of: module, optimizerState: optimizerState), metadata: metadata)
    }

    private static func tensors<Scalar: TensorScalar>(of module: some Module<Scalar>,
                                                      optimizerState: [(name: String, tensor: Tensor<Scalar>)])
        -> [(name: String, tensor: Tensor<Scalar>)] {
        module.namedState + optimizerState.map { (optimizerPrefix + $0.name, $0.tensor) }
    }

    /// Reads `path` and copies its tensors into `module`'s state by name.
    ///
    /// All or nothing: every check is made before any tensor is written, so when this throws
    /// the module is exactly as it was. The checks: the file itself (see
    /// `Safetensors.decode`); every state name present (`.missingTensors`, listing them all);
    /// in `strict` mode no other tensors except the optimizer's and PyTorch's batch-norm
    /// counters (`.unexpectedTensors`; see `isIgnoredPyTorchBuffer`); for
    /// each tensor the same shape (`.shapeMismatch`) and the module's own dtype, `F32` for
    /// Float and `F64` for Double (`.dtypeMismatch`), unless `convertingDTypes`, which
    /// accepts any convertible dtype (`.unsupportedDType` otherwise). Optimizer tensors are
    /// checked and converted the same way. Last, every value must be finite
    /// (`.nonFiniteValues`, naming the first tensor with a NaN or ±∞), unless `allowingNonFinite`:
    /// a NaN weight would make every later loss NaN, and an optimizer's NaN moment every later
    /// weight.
    ///
    /// - Returns: the file's metadata and optimizer state, for the caller to hand on.
    @discardableResult
    public static func load<M: Module>(_ path: String, into module: M, strict: Bool = true,
                                       convertingDTypes: Bool = false,
                                       allowingNonFinite: Bool = false) throws(CheckpointError) -> LoadedCheckpoint<M.Scalar> {
        try load(Safetensors.read(from: path), into: module, strict: strict, convertingDTypes: convertingDTypes,
                 allowingNonFinite: allowingNonFinite)
    }

    /// PyTorch's batch norm also saves `num_batches_tracked`, an integer count of the batches
    /// it has seen. It changes nothing unless the momentum is unset (a cumulative average),
    /// which Lumen's BatchNorm does not offer, so Lumen keeps no such buffer: a file from
    /// PyTorch that has one still loads in strict mode, and the count is ignored. (PyTorch
    /// loads Lumen's files without it, even with `strict=True`.)
    static func isIgnoredPyTorchBuffer(_ name: String) -> Bool {
        name == "num_batches_tracked" || name.hasSuffix(".num_batches_tracked")
    }

    /// Copies the tensors of an already read file into `module`; see
    /// `load(_:into:strict:convertingDTypes:allowingNonFinite:)`.
    @discardableResult
    public static func load<M: Module>(_ file: SafetensorsFile, into module: M, strict: Bool = true,
                                       convertingDTypes: Bool = false,
                                       allowingNonFinite: Bool = false) throws(CheckpointError) -> LoadedCheckpoint<M.Scalar> {
        let state = module.namedState
        let stateNames = Set(state.map(\.name))

        let missing = state.map(\.name).filter { file[$0] == nil }
        if !missing.isEmpty { throw .missingTensors(file: file.path, names: missing) }
        if strict {
            let unexpected = file.names.filter {
                !stateNames.contains($0) && !$0.hasPrefix(optimizerPrefix) && !isIgnoredPyTorchBuffer($0)
            }
            if !unexpected.isEmpty { throw .unexpectedTensors(file: file.path, names: unexpected) }
        }

        // Check everything first.
        let wanted = SafetensorsDType.of(M.Scalar.self)
        func check(_ entry: SafetensorsEntry) throws(CheckpointError) {
            if entry.dtype == wanted { return }
            if !convertingDTypes {
                throw .dtypeMismatch(file: file.path, tensor: entry.name, expected: wanted.rawValue, found: entry.dtype.rawValue)
            }
            if !entry.dtype.isConvertible {
                throw .unsupportedDType(file: file.path, tensor: entry.name, dtype: entry.dtype.rawValue)
            }
        }
        for (name, tensor) in state {
            let entry = file[name]!
            guard entry.shape == tensor.shape else {
                throw .shapeMismatch(file: file.path, tensor: name, expected: tensor.shape, found: entry.shape)
            }
            try check(entry)
        }
        let optimizerEntries = file.entries.filter { $0.name.hasPrefix(optimizerPrefix) }
        for entry in optimizerEntries { try check(entry) }

        // Convert everything and check the values, then write into the module.
        var optimizerState: [(name: String, tensor: Tensor<M.Scalar>)] = []
        for entry in optimizerEntries {
            optimizerState.append((String(entry.name.dropFirst(optimizerPrefix.count)),
                                   try file.tensor(entry, as: M.Scalar.self)))
        }
        var values: [Tensor<M.Scalar>] = []
        for (name, _) in state { values.append(try file.tensor(file[name]!, as: M.Scalar.self)) }
        if !allowingNonFinite {
            let named = zip(state.map(\.name), values).map { ($0, $1) }
                + optimizerState.map { (optimizerPrefix + $0.name, $0.tensor) }
            for (name, tensor) in named { try checkFinite(tensor, name: name, file: file.path) }
        }
        for ((_, tensor), value) in zip(state, values) { tensor.assign(value) }
        return LoadedCheckpoint(metadata: file.metadata, optimizerState: optimizerState)
    }
}

extension Checkpoint {
    /// Throws `.nonFiniteValues` when `tensor` holds a NaN or ±∞, with their counts.
    static func checkFinite<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>, name: String,
                                                  file: String) throws(CheckpointError) {
        var nanCount = 0, infiniteCount = 0
        for value in tensor.scalars where !value.isFinite {
            if value.isNaN { nanCount += 1 } else { infiniteCount += 1 }
        }
        if nanCount + infiniteCount > 0 {
            throw .nonFiniteValues(file: file, tensor: name, nanCount: nanCount, infiniteCount: infiniteCount)
        }
    }
}

/// What a checkpoint holds besides the model's state.
public struct LoadedCheckpoint<Scalar: TensorScalar> {
    /// The file's `__metadata__` strings (empty when it has none).
    public let metadata: [String: String]
    /// The optimizer's tensors, in file order, under their names with
    /// `Checkpoint.optimizerPrefix` removed; empty when the file has none.
    public let optimizerState: [(name: String, tensor: Tensor<Scalar>)]

    /// The optimizer tensor called `name` (without the prefix), or `nil`.
    public func optimizerTensor(_ name: String) -> Tensor<Scalar>? {
        optimizerState.first { $0.name == name }?.tensor
    }
}
