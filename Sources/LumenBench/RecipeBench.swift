// RecipeBench.swift — `lumen-bench recipes`: one epoch of every `lumen train` recipe, timed
// against the same epoch in PyTorch (peers/recipes_torch.py), and W7, a names-gpt training
// step at its default size (Docs/performance.md defines both).
//
// The Lumen side is the `Trainer` that `lumen train` runs, with the recipe's default settings:
// the timed part is `trainEpoch`'s own clock (the batches, forward, loss, backward, step; not
// the evaluation after). Before its first run, each recipe writes a bundle for the peer:
// the training examples, epoch 0's order, the initial weights and the settings, so the peer
// trains the same model from the same weights on the same batches with the same optimizer.
// Both report the epoch's mean training loss, which must agree (`loss_check`).
//
// `gan-2d` has steps, not epochs: its "epoch" is the default run of 1,000 steps (batch 256).
// `mnist` trains on synthetic IDX files that the bench writes: W4's pixels rounded to bytes.
//
// Read next: peers/recipes_torch.py, the peer.

import Basics
import Checkpoints
import Datasets
import Foundation
import Layers
import Tensors
import Training
#if BLAS
import COpenBLAS
#endif

enum RecipeBench {
    /// Every recipe `lumen train` knows, in its order, then the GAN.
    static let recipeNames = Recipe.builtIn.map(\.name) + ["gan-2d"]
    /// W7: the first 300 training steps of names-gpt's epoch 0, reported per step.
    static let w7Steps = 300
    static let defaultDirectory = "/tmp/lumen-bench-recipes"
    static let defaultPython = "/tmp/peers/bin/python"
    static let peerScript = "Sources/LumenBench/peers/recipes_torch.py"

    /// One comparison: a recipe's epoch, or the first `steps` steps of it.
    struct Job: Equatable {
        let label: String
        let recipe: String
        let steps: Int?

        static func named(_ name: String) -> Job? {
            if name.lowercased() == "w7" { return Job(label: "W7", recipe: "names-gpt", steps: w7Steps) }
            return recipeNames.contains(name) ? Job(label: name, recipe: name, steps: nil) : nil
        }
    }

    // MARK: - One measurement (`lumen-bench measure recipe NAME`)

    static func measure(recipe name: String, directory: String, export: Bool, steps: Int?) throws(BenchError) -> ResultLine {
        let bundle = directory + "/" + name
        if export { try makeDirectory(bundle) }
        if name == "gan-2d" { return try measureGAN(bundle: bundle, export: export, steps: steps) }
        let trainer: Trainer
        do throws(TrainingError) {
            let recipe = try Recipe.named(name)
            let data = recipe.needsDataDirectory ? try SyntheticMNIST.directory(in: directory) : nil
            trainer = try Trainer(recipe: recipe, settings: recipe.defaults, dataDirectory: data)
        } catch {
            throw .recipeFailed(recipe: name, reason: "\(error)")
        }
        if export { try exportBundle(trainer, to: bundle) }

        var line = backendFields(steps == nil ? "recipe" : "W7")
        line["recipe"] = name
        let seconds: Double, loss: Double, count: Int
        if let steps {
            (seconds, loss, count) = firstSteps(trainer, steps)
        } else {
            let record: EpochRecord
            do throws(TrainingError) {
                record = try trainer.trainEpoch(progress: nil)
            } catch {
                throw .recipeFailed(recipe: name, reason: "\(error)")
            }
            (seconds, loss, count) = (record.seconds, record.trainLoss, trainer.loader.batchCount)
        }
        line["seconds"] = seconds
        line["ms_per_step"] = 1e3 * seconds / Double(count)
        line["train_loss"] = loss
        line["steps"] = count
        if steps == nil, let widths = mlpWidths(trainer.model),
           let bound = blasBound(widths: widths, batchSizes: batchSizes(trainer.data.train.count, trainer.settings.batchSize)) {
            line["blas_bound_s"] = bound
            line["blas_share"] = bound / seconds
        }
        return line
    }

    /// The sizes of an epoch's batches: full ones, then the rest.
    static func batchSizes(_ count: Int, _ batchSize: Int) -> [Int] {
        Array(repeating: batchSize, count: count / batchSize) + (count % batchSize == 0 ? [] : [count % batchSize])
    }

    /// The widths of a model made only of Linear layers and ReLUs, or nil.
    static func mlpWidths(_ model: Sequential<Float>) -> [Int]? {
        let parameters = model.namedParameters
        guard parameters.allSatisfy({ $0.tensor.rank <= 2 }), parameters.count % 2 == 0 else { return nil }
        let weights = parameters.filter { $0.name.hasSuffix(".weight") && $0.tensor.rank == 2 }.map(\.tensor.shape)
        guard weights.count * 2 == parameters.count, !weights.isEmpty else { return nil }
        return [weights[0][1]] + weights.map { $0[0] }
    }

    /// The first `steps` steps of epoch 0, as `Trainer.trainEpoch` runs them (without its
    /// progress report and checks): seconds, mean loss, steps taken.
    static func firstSteps(_ trainer: Trainer, _ steps: Int) -> (Double, Double, Int) {
        let batches = trainer.loader.batches(epoch: 0)
        let count = min(steps, batches.count)
        var lossSum = 0.0, seen = 0, correct = 0
        let start = monotonicSeconds()
        for index in 0..<count {
            let batch = batches[index]
            trainer.optimizer.zeroGrad()
            let logits = trainer.model(batch.inputs)
            let loss = try! logits.crossEntropy(labels: batch.labels)
            lossSum += Double(loss.item()) * Double(batch.count)
            correct += correctCount(logits, batch.labels)
            loss.backward()
            trainer.optimizer.step()
            seen += batch.count
        }
        let seconds = monotonicSeconds() - start
        precondition(correct >= 0)
        return (seconds, lossSum / Double(max(1, seen)), count)
    }

    /// Rows of `logits` whose first largest entry is at the label (what the Trainer counts).
    static func correctCount(_ logits: Tensor<Float>, _ labels: [Int]) -> Int {
        let values = logits.scalars, classes = logits.shape[1]
        var correct = 0
        for (row, label) in labels.enumerated() {
            var best = row * classes
            for index in best ..< (row + 1) * classes where values[index] > values[best] { best = index }
            if best == row * classes + label { correct += 1 }
        }
        return correct
    }

    /// gan-2d's default run (seed 0, lr 1e-3, batch 256, 1,000 steps), or its first `steps`.
    static func measureGAN(bundle: String, export: Bool, steps: Int?) throws(BenchError) -> ResultLine {
        let (seed, learningRate, batchSize) = (UInt64(0), 1e-3, 256)
        let total = steps ?? 1000
        let gan: GAN2D
        do throws(TrainingError) {
            gan = try GAN2D(seed: seed, learningRate: learningRate, batchSize: batchSize)
        } catch {
            throw .recipeFailed(recipe: "gan-2d", reason: "\(error)")
        }
        if export {
            let weights = gan.generator.namedParameters.map { ("generator." + $0.name, $0.tensor) }
                + gan.discriminator.namedParameters.map { ("discriminator." + $0.name, $0.tensor) }
            // GAN2D's data stream, drawn in the order `step()` draws it: the real batch, the
            // discriminator's noise, the generator's noise.
            var stream = SplitMix64(seed: seed &+ 1000)
            var real: [Float] = [], noise: [Float] = []
            for _ in 0..<total {
                real += GaussianRing.sample(batchSize, using: &stream)
                for _ in 0..<(2 * batchSize * GAN2D.noiseDimension) { noise.append(Float(stream.nextGaussian())) }
            }
            try writeWeights(weights, to: bundle + "/model.safetensors")
            try write(real, to: bundle + "/real.f32")
            try write(noise, to: bundle + "/noise.f32")
            try writeMeta(["recipe": "gan-2d", "steps": total, "batch_size": batchSize, "learning_rate": learningRate,
                           "optimizer": "adam"], to: bundle)
        }
        var lossSum = 0.0
        let start = monotonicSeconds()
        for _ in 0..<total {
            let (d, g) = gan.step()
            lossSum += d + g
        }
        let seconds = monotonicSeconds() - start
        var line = backendFields(steps == nil ? "recipe" : "W7")
        line["recipe"] = "gan-2d"
        line["seconds"] = seconds
        line["ms_per_step"] = 1e3 * seconds / Double(total)
        line["train_loss"] = lossSum / Double(total)
        line["steps"] = total
        return line
    }

    // MARK: - The bundle the peer reads

    static func exportBundle(_ trainer: Trainer, to bundle: String) throws(BenchError) {
        let train = trainer.data.train
        try write(train.features, to: bundle + "/x.f32")
        try write(train.labels.map(Int64.init), to: bundle + "/y.i64")
        try write(trainer.loader.order(epoch: 0).map(Int64.init), to: bundle + "/order.i64")
        let parameters = trainer.model.namedParameters
        try writeWeights(parameters, to: bundle + "/model.safetensors")
        // The widths of an MLP: the first weight's inputs, then every weight's outputs.
        let weights = parameters.filter { $0.name.hasSuffix("weight") && $0.tensor.rank == 2 }.map(\.tensor.shape)
        let widths = weights.isEmpty ? [] : [weights[0][1]] + weights.map { $0[0] }
        try writeMeta(["recipe": trainer.recipe.name, "batch_size": trainer.settings.batchSize,
                       "learning_rate": trainer.settings.learningRate, "optimizer": trainer.settings.optimizer.rawValue,
                       "example_shape": train.exampleShape, "count": train.count, "widths": widths], to: bundle)
    }

    static func makeDirectory(_ path: String) throws(BenchError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .dataUnreadable(path: path, reason: "cannot create the folder: \(error)")
        }
    }

    /// `values` as raw little-endian bytes (this machine's order).
    static func write<T: BitwiseCopyable>(_ values: [T], to path: String) throws(BenchError) {
        let data = values.withUnsafeBytes { Data($0) }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .dataUnreadable(path: path, reason: "cannot write: \(error)")
        }
    }

    static func writeWeights(_ weights: [(name: String, tensor: Tensor<Float>)], to path: String) throws(BenchError) {
        do throws(CheckpointError) {
            try Safetensors.write(weights, to: path)
        } catch {
            throw .dataUnreadable(path: path, reason: "\(error)")
        }
    }

    static func writeMeta(_ meta: [String: Any], to bundle: String) throws(BenchError) {
        do {
            let data = try JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys])
            try data.write(to: URL(fileURLWithPath: bundle + "/meta.json"), options: .atomic)
        } catch {
            throw .dataUnreadable(path: bundle + "/meta.json", reason: "cannot write: \(error)")
        }
    }
}

/// MNIST-shaped IDX files from W4's synthetic data: pixel k·784 + j is the top byte of
/// SplitMix64 out(4001, k·784 + j) (⌊256 · u24⌋), and the label is the teacher's argmax over
/// the pixels as the recipe reads them (byte / 255), as W4 labels its rows. Test rows use
/// seed 4003. Written once into `<dir>/mnist-synthetic` and reused.
enum SyntheticMNIST {
    static let (features, classes) = (784, 10)

    static func directory(in parent: String) throws(TrainingError) -> String {
        let directory = parent + "/mnist-synthetic"
        let files = [(MNIST.Part.train, 4001 as UInt64, 60_000), (.test, 4003, 10_000)]
        for (part, seed, rows) in files {
            let images = directory + "/" + MNIST.acceptedFileNames(part: part, labels: false)[0]
            let labels = directory + "/" + MNIST.acceptedFileNames(part: part, labels: true)[0]
            if FileManager.default.fileExists(atPath: images) && FileManager.default.fileExists(atPath: labels) { continue }
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let (pixels, classes) = make(seed: seed, rows: rows)
            do {
                try (idxHeader([rows, 28, 28]) + pixels).write(to: URL(fileURLWithPath: images), options: .atomic)
                try (idxHeader([rows]) + classes).write(to: URL(fileURLWithPath: labels), options: .atomic)
            } catch {
                throw .invalidOption(option: "--dir", value: directory, allowed: "a folder lumen-bench can write: \(error)")
            }
        }
        return directory
    }

    static func make(seed: UInt64, rows: Int) -> (pixels: Data, labels: Data) {
        let teacher = (0..<(features * classes)).map { 2 * WorkloadRandom.u64(4002, $0) - 1 }
        var pixels = Data(count: rows * features), labels = Data(count: rows)
        var scores = [Double](repeating: 0, count: classes)
        for k in 0..<rows {
            for c in 0..<classes { scores[c] = 0 }
            for j in 0..<features {
                let byte = UInt8(truncatingIfNeeded: WorkloadRandom.out(seed, k * features + j) >> 56)
                pixels[k * features + j] = byte
                let centered = Double(byte) / 255 - 0.5
                for c in 0..<classes { scores[c] += centered * teacher[j * classes + c] }
            }
            var best = 0
            for c in 1..<classes where scores[c] > scores[best] { best = c }
            labels[k] = UInt8(best)
        }
        return (pixels, labels)
    }

    /// The IDX header of unsigned bytes: two zero bytes, type 0x08, the rank, then each
    /// extent as a big-endian UInt32.
    static func idxHeader(_ shape: [Int]) -> Data {
        var header = Data([0, 0, 0x08, UInt8(shape.count)])
        for extent in shape { withUnsafeBytes(of: UInt32(extent).bigEndian) { header.append(contentsOf: $0) } }
        return header
    }
}

// MARK: - The sitting (`lumen-bench recipes`)

extension RecipeBench {
    struct Options: Equatable {
        var runs = 3
        var directory = RecipeBench.defaultDirectory
        var python = ProcessInfo.processInfo.environment["LUMEN_BENCH_PYTHON"] ?? RecipeBench.defaultPython
        var peerScript: String?
        var maxWait = 60.0
    }

    /// Each job: one Lumen run that also writes the peer's bundle (a warm-up, not counted),
    /// then `runs` rounds of Lumen and the peer, one fresh process each, interleaved so that
    /// both see the same machine. One RESULT line per job; true when every job's losses agree.
    static func summarize(_ jobs: [Job], options: Options) throws(BenchError) -> Bool {
        let script = try locatePeerScript(options.peerScript)
        guard FileManager.default.isExecutableFile(atPath: options.python) else {
            throw .dataNotFound(path: options.python, tried: [options.python])
        }
        let harness = Harness(runs: options.runs, maxWait: options.maxWait)
        let threads = String(Backends.threads)
        var passed = true
        for job in jobs {
            let steps = job.steps.map { ["--steps", String($0)] } ?? []
            let lumenArguments = ["recipe", job.recipe, "--dir", options.directory] + steps
            printError("\(job.label): export and warm-up")
            _ = try harness.run(executable: nil, arguments: ["measure"] + lumenArguments + ["--export"])
            var lumen: [Run] = [], peer: [Run] = []
            for round in 1...options.runs {
                lumen.append(try harness.run(executable: nil, arguments: ["measure"] + lumenArguments))
                peer.append(try harness.run(executable: options.python,
                                            arguments: [script, options.directory + "/" + job.recipe] + steps,
                                            environment: ["PEER_THREADS": threads]))
                printError("  round \(round): lumen \(lumen.last!.fields["seconds"] ?? "?") s, "
                           + "torch \(peer.last!.fields["seconds"] ?? "?") s, foreign load "
                           + String(format: "%.2f / %.2f", lumen.last!.foreignCores, peer.last!.foreignCores) + " core")
            }
            let line = summary(job, lumen: lumen, peer: peer)
            print(line.text)
            passed = line["loss_check"] as? String == "ok" && passed
        }
        return passed
    }

    static func summary(_ job: Job, lumen: [Run], peer: [Run]) -> ResultLine {
        var line = ResultLine()
        line["workload"] = job.steps == nil ? "recipe" : "W7"
        line["recipe"] = job.recipe
        for key in ["backend", "threads", "blas_core"] { line[key] = lumen[0].fields[key] }
        let key = job.steps == nil ? "seconds" : "ms_per_step"
        let lumenTimes = lumen.compactMap { $0.number(key) }, peerTimes = peer.compactMap { $0.number(key) }
        Spread(lumenTimes).write(into: &line, key: "lumen_" + key)
        Spread(peerTimes).write(into: &line, key: "torch_" + key)
        // Above 1: Lumen is faster than PyTorch.
        line["ratio"] = median(peerTimes) / median(lumenTimes)
        let lumenLoss = lumen[0].number("train_loss") ?? .nan, peerLoss = peer[0].number("train_loss") ?? .nan
        line["lumen_loss"] = lumenLoss
        line["torch_loss"] = peerLoss
        line["steps"] = lumen[0].fields["steps"]
        let bounds = lumen.compactMap { $0.number("blas_bound_s") }, shares = lumen.compactMap { $0.number("blas_share") }
        if !bounds.isEmpty {
            line["blas_bound_s"] = median(bounds)
            line["blas_share"] = median(shares)
        }
        line["torch"] = peer[0].fields["torch"]
        line["runs"] = lumen.count
        line["max_foreign_cores"] = (lumen + peer).map(\.foreignCores).max()
        line["load_before"] = (lumen + peer).map(\.loadBefore).max()
        line["loadavg"] = loadAverage()
        line["loss_check"] = abs(lumenLoss - peerLoss) <= lossTolerance * max(1, abs(peerLoss)) ? "ok" : "FAIL"
        return line
    }

    /// The 1-minute load average (/proc/loadavg), for the record.
    static func loadAverage() -> Double {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").first.flatMap { Double($0) } ?? .nan
    }

    /// How far the two epochs' mean training losses may differ (relative, at least 1): they
    /// start from the same weights, but float32 sums in another order drift apart a little
    /// over hundreds of steps.
    static let lossTolerance = 0.02

    /// The peer script: `--peer-script`, or its place in the repository, from the current
    /// folder or from where this file was compiled.
    static func locatePeerScript(_ given: String?) throws(BenchError) -> String {
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let candidates = given.map { [$0] } ?? [peerScript, sourceRoot + "/" + peerScript]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw .dataNotFound(path: given ?? peerScript, tried: candidates)
        }
        return found
    }
}

// MARK: - The BLAS bound of an MLP recipe

extension RecipeBench {
    /// The exact-shape BLAS bound of one epoch of an MLP (Linear layers with `widths`, batches
    /// of `batchSizes`): the seconds that bare `cblas_sgemm` calls take for exactly the
    /// products a training step needs, with the layouts Lumen uses, summed over the epoch's
    /// batches. Per layer of n inputs and m outputs on a batch of b rows:
    ///     forward  y = x·Wᵀ       b × m × n   (NoTrans, Trans)
    ///     weight   ∇W = ∇yᵀ·x     m × n × b   (Trans, NoTrans)
    ///     input    ∇x = ∇y·W      b × n × m   (NoTrans, NoTrans), not for the first layer
    /// Each product's time is the best of 3 sweeps over the epoch, on buffers allocated once,
    /// so the bound leaves out everything but the multiply-adds: the bias, ReLU, loss and
    /// optimizer, and each allocation. nil without BLAS or for a model that is not an MLP.
    static func blasBound(widths: [Int], batchSizes: [Int]) -> Double? {
        #if BLAS
        guard widths.count >= 2 else { return nil }
        var counts: [Int: Int] = [:]
        for size in batchSizes { counts[size, default: 0] += 1 }
        var shapes: [GemmShape] = []
        for (rows, times) in counts.sorted(by: { $0.key < $1.key }) {
            for (layer, (n, m)) in zip(widths, widths.dropFirst()).enumerated() {
                shapes.append(GemmShape(transposeA: false, transposeB: true, m: rows, n: m, k: n, lda: n, ldb: n, count: times))
                shapes.append(GemmShape(transposeA: true, transposeB: false, m: m, n: n, k: rows, lda: m, ldb: n, count: times))
                if layer > 0 {
                    shapes.append(GemmShape(transposeA: false, transposeB: false, m: rows, n: n, k: m, lda: m, ldb: n, count: times))
                }
            }
        }
        return bareSgemmSeconds(shapes, repeats: 3)
        #else
        return nil
        #endif
    }
}
