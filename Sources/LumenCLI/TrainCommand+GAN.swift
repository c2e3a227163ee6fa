// TrainCommand+GAN.swift — `lumen train gan-2d`: a GAN learns the ring of 8 Gaussians
// (Sources/Training/GAN2D.swift). It prints the losses every few hundred steps and, at the
// end, the mode coverage of 1,000 samples; it writes a frame every sixth of the run (real
// points, generated points and the discriminator's score over the plane, drawn by Plots'
// DecisionBoundaryPlot: class 0 = real, class 1 = generated) and the final picture.
//
// Read next: Sources/Training/GAN2D.swift.

import Engine
import Foundation
import Plots
import Training

struct GAN2DRun {
    static let name = "gan-2d"
    let steps: Int
    let seed: UInt64
    let learningRate: Double
    let batchSize: Int
    let output: String

    init(command: TrainCommand) throws {
        for (option, given) in [("--epochs", command.epochs != nil), ("--optimizer", command.optimizer != nil),
                                ("--resume", command.resume != nil), ("--data", command.data != nil),
                                ("--data-seed", command.dataSeed != nil), ("--init-seed", command.initSeed != nil),
                                ("--temperature", command.temperature != nil), ("--schedule", command.schedule != nil),
                                ("--warmup", command.warmup != nil), ("--clip-norm", command.clipNorm != nil),
                                ("--init-from", command.initFrom != nil), ("--strict", command.strict != nil),
                                ("--freeze", !command.freeze.isEmpty)] + command.playgroundOptionsGiven where given {
            throw fail("\(option) does not apply to \(Self.name)", hint: "use --steps, --seed, --lr, --batch-size and -o")
        }
        steps = command.steps ?? 1000
        guard steps >= 1 else { throw fail("--steps must be at least 1, got \(steps)") }
        seed = command.seed ?? 0
        learningRate = command.learningRate ?? 1e-3
        guard learningRate.isFinite && learningRate > 0 else { throw fail("--lr must be a number greater than 0, got \(learningRate)") }
        batchSize = command.batchSize ?? 256
        guard batchSize >= 1 else { throw fail("--batch-size must be at least 1, got \(batchSize)") }
        output = command.output ?? "lumen-out/\(Self.name)"
    }

    func run() throws {
        let gan: GAN2D
        do {
            gan = try GAN2D(seed: seed, learningRate: learningRate, batchSize: batchSize)
        } catch {
            throw fail(error.description)
        }
        do {
            try FileManager.default.createDirectory(atPath: output + "/frames", withIntermediateDirectories: true)
        } catch {
            throw fail("cannot make the folder \(output)/frames: \(error.localizedDescription)")
        }
        print("\(Self.name): generator 2 → 128 → 128 → 2, discriminator 2 → 128 → 128 → 1, Adam lr \(learningRate) "
              + "β₁ 0.5, batch \(batchSize), \(steps) steps, seed \(seed); data: 8 Gaussians (σ \(GaussianRing.sigma)) "
              + "on a circle of radius \(GaussianRing.radius)")
        let clock = ContinuousClock()
        let start = clock.now
        let frameEvery = max(1, steps / 6)
        try drawFrame(gan, name: "frames/step-\(String(format: "%05d", 0)).png")
        for step in 1...steps {
            let losses = gan.step()
            guard losses.discriminator.isFinite && losses.generator.isFinite else {
                throw fail("the losses became NaN or infinite at step \(step)", hint: "try a smaller --lr")
            }
            if step % frameEvery == 0 || step == steps {
                let coverage = GaussianRing.coveredModes(gan.samples(1000, seed: seed &+ 2000))
                print(String(format: "step %5d/%d  D loss %.4f  G loss %.4f  modes covered %d/8", step, steps,
                             losses.discriminator, losses.generator, coverage))
                try drawFrame(gan, name: "frames/step-\(String(format: "%05d", step)).png")
            }
        }
        let seconds = Double((clock.now - start).components.seconds)
            + Double((clock.now - start).components.attoseconds) * 1e-18
        let samples = gan.samples(1000, seed: seed &+ 2000)
        let counts = GaussianRing.countsNearModes(samples)
        print(String(format: "done: %d steps in %.1f s; ", steps, seconds)
              + "modes covered \(GaussianRing.coveredModes(samples))/8 (of 1,000 samples, within 3σ of each centre: "
              + "\(counts.map(String.init).joined(separator: " ")); a mode counts with at least 20)")
        for format in ["png", "svg"] { try drawFrame(gan, name: "samples.\(format)") }
    }

    /// 200 real and 200 generated points over the discriminator's score.
    private func drawFrame(_ gan: GAN2D, name: String) throws {
        var rng = SplitMix64(seed: seed &+ 4000)   // the same real points in every frame
        let real = GaussianRing.sample(200, using: &rng)
        let fake = gan.samples(200, seed: seed &+ 3000)
        var points: [DecisionBoundaryPlot.Point] = []
        for (label, values) in [(0, real), (1, fake)] {
            for i in stride(from: 0, to: values.count, by: 2) {
                points.append(.init(x: Double(values[i]), y: Double(values[i + 1]), label: label))
            }
        }
        let plot = DecisionBoundaryPlot(title: "\(Self.name) after \(gan.steps) steps: real (0) and generated (1) points, "
                                        + "the discriminator's logit", points: points)
        let path = "\(output)/\(name)"
        do {
            try plot.write(to: path) { x, y in gan.score(x, y) }
        } catch {
            throw fail(error.description, hint: error.hint)
        }
        print("wrote \(path)")
    }
}
