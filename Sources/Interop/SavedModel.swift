// SavedModel.swift — a checkpoint turned back into a working model: the file is read, its
// model description (Checkpoints/ModelSpec.swift) checked against its tensors, the model
// built and the weights loaded, in evaluation mode.
//
// A checkpoint written before checkpoints described themselves still loads when it names its
// recipe (`lumen.recipe`): the recipe builds the model, and `notes` says what was filled in.
// One that names neither is refused with a message that says so.
//
// Read next: Evaluation.swift, then Prediction.swift.

import Checkpoints
import FileFormats
import Layers
import Tensors
import Training

/// A model loaded from a checkpoint, with what the checkpoint says about it.
public struct SavedModel {
    /// The checkpoint's path.
    public let path: String
    /// The model, its weights loaded, in evaluation mode.
    public let model: Sequential<Float>
    /// Its layers, input shape and class names (from the file, or from its recipe).
    public let spec: ModelSpec
    /// The shape of one output example, e.g. `[10]`.
    public let outputShape: [Int]
    /// The recipe that trained it, when the file names a built-in one.
    public let recipe: Recipe?
    /// The file's metadata.
    public let metadata: [String: String]
    /// What had to be filled in for an older checkpoint, one sentence each (empty for a
    /// self-describing one).
    public let notes: [String]

    /// The number of input values one example has: the product of `spec.inputShape`.
    public var inputWidth: Int { spec.inputShape.reduce(1, *) }

    /// What the outputs mean: a regression's one output is the predicted number (its "class
    /// name" is the target's name); otherwise one score per class.
    public var task: TaskKind {
        metadata[Trainer.MetadataKey.task] == TaskKind.regression.rawValue ? .regression : .classification
    }

    /// The recipe that trained the model, remade (for a run on the user's own file, from that
    /// file, which is read again: `dataFile` says where it is now, when it has moved); nil
    /// when the checkpoint names none.
    ///
    /// - Throws: `TrainingError` when the recipe cannot be remade (the file is gone or changed).
    public func trainingRecipe(dataFile: String? = nil) throws(TrainingError) -> Recipe? {
        if let recipe { return recipe }
        return try Recipe.saved(in: metadata, path: path, dataFile: dataFile)
    }

    /// Loads the checkpoint at `path`.
    ///
    /// - Throws: `InteropError.checkpoint` for a file that cannot be read or whose tensors do
    ///   not fit the model, `.modelSpec` for a broken description, `.undescribedModel` for a
    ///   file that describes no model and names no recipe.
    public static func load(_ path: String) throws(InteropError) -> SavedModel {
        let file: SafetensorsFile
        do {
            // A quantized checkpoint (Quantization.swift) computes with its dequantized weights.
            file = try Quantization.dequantized(try Safetensors.read(from: path))
        } catch {
            throw .checkpoint(error)
        }
        let recipeName = file.metadata[Trainer.MetadataKey.recipe]
        // A built-in recipe, remade with the options it was trained with (--points, --noise
        // change its data); a run on the user's own file is remade only when asked
        // (`trainingRecipe()`), since that reads the file.
        let recipe = file.metadata[RecipeOptions.metadataKey]?.contains("\"dataFile\"") == true
            ? nil : recipeName.flatMap { _ in (try? Recipe.saved(in: file.metadata, path: path)) ?? nil }
        var notes: [String] = []
        let described: ModelSpec?
        do {
            described = try ModelSpec.read(from: file.metadata)
        } catch {
            throw .modelSpec(path: path, error)
        }
        let spec: ModelSpec
        if let described {
            spec = described
        } else {
            guard let recipe else {
                throw .undescribedModel(path: path, reason: recipeName.map {
                    "it has no \(ModelSpec.MetadataKey.architecture) metadata, and its recipe '\($0)' is not one Lumen knows"
                } ?? "it has neither \(ModelSpec.MetadataKey.architecture) nor \(Trainer.MetadataKey.recipe) metadata "
                    + "(was it written by lumen train?)")
            }
            do {
                spec = try Self.spec(of: recipe)
            } catch {
                throw .modelSpec(path: path, error)
            }
            notes.append("\(path) records no architecture (it was written before checkpoints described themselves); "
                         + "the model, input shape \(spec.inputShape) and class names come from its recipe '\(recipe.name)'")
        }

        let outputShape: [Int]
        do throws(ModelSpecError) {
            outputShape = try spec.outputShape()
        } catch {
            throw .modelSpec(path: path, error)
        }
        guard outputShape.count == 1, outputShape[0] == spec.classNames.count else {
            throw .modelSpec(path: path, .invalid(index: nil, layer: "the model",
                                                  problem: "gives outputs of shape \(outputShape) for \(spec.classNames.count) class names"))
        }
        // Every tensor the layers would own must be in the file with its shape before a layer
        // is built: so a description cannot ask for more memory than the file holds.
        let missing = spec.stateShapes.filter { file[$0.name] == nil }.map(\.name)
        if !missing.isEmpty { throw .checkpoint(.missingTensors(file: path, names: missing)) }
        for (name, shape) in spec.stateShapes where file[name]!.shape != shape {
            throw .checkpoint(.shapeMismatch(file: path, tensor: name, expected: shape, found: file[name]!.shape))
        }
        let model: Sequential<Float>
        do {
            model = try spec.makeModel(Float.self)
        } catch {
            throw .modelSpec(path: path, error)
        }
        do {
            try Checkpoint.load(file, into: model, convertingDTypes: true)
        } catch {
            throw .checkpoint(error)
        }
        model.eval()
        return SavedModel(path: path, model: model, spec: spec, outputShape: outputShape, recipe: recipe,
                          metadata: file.metadata, notes: notes)
    }

    /// The spec of an older checkpoint's recipe: its model's layers; its input shape from the
    /// recipe's first layer when that is a Linear layer, else from the recipe's data; class
    /// names 0, 1, … for each output.
    static func spec(of recipe: Recipe) throws(ModelSpecError) -> ModelSpec {
        let model = recipe.makeModel(seed: 0)
        var inputShape: [Int] = []
        if let first = model.layers.first as? Linear<Float> {
            inputShape = [first.inFeatures]
        } else if let data = try? recipe.loadData() {
            inputShape = data.train.exampleShape
        }
        let layers = try ModelSpec(describing: model, inputShape: inputShape, classNames: []).layers
        let outputs = (try? ModelSpec(layers: layers, inputShape: inputShape, classNames: []).outputShape()) ?? []
        return ModelSpec(layers: layers, inputShape: inputShape, classNames: (0 ..< (outputs.first ?? 0)).map(String.init))
    }
}

extension ModelSpec {
    /// Checks input values from a file against what the first layer reads: a model that starts
    /// with a TokenEmbedding reads token ids, each a whole number 0 ..< vocabularySize (a
    /// character model's contexts). Any finite numbers suit the other layers.
    ///
    /// - Throws: `FileFormatError.inputDoesNotFit` naming the file, the first bad value and
    ///   its place (example, position).
    public func checkInputValues(_ values: [Float], path: String) throws(FileFormatError) {
        guard case let .tokenEmbedding(vocabularySize, _, _)? = layers.first else { return }
        let width = max(1, inputShape.reduce(1, *))
        if let bad = values.firstIndex(where: { !($0 >= 0 && $0 < Float(vocabularySize) && $0 == $0.rounded()) }) {
            throw .inputDoesNotFit(path: path, found: "the value \(values[bad]) (example \(bad / width), position \(bad % width))",
                                   expected: "token ids, whole numbers 0 to \(vocabularySize - 1)")
        }
    }
}
