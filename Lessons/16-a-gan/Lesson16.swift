// Lesson16.swift — the code that lesson 16's steps run. The lines between `lesson-code` markers
// are exactly the ```swift blocks of Lesson16+Text.swift (checked by LessonsTests).
// Read next: ../../Sources/Training/GAN2D.swift (the `lumen train gan-2d` recipe).

import Engine
import Foundation
import LessonKit
import Layers
import Optimizers
import Tensors

enum Lesson16 {
    static let lesson = Lesson(id: 16, markdown: markdown, code: [
        "ring": ring, "detach": detach, "train": train, "collapse": collapse,
    ])

    /// Draws the real points (+1), the generated ones (−1) and the discriminator's score.
    static func frame(_ gan: RingGAN, _ out: StepContext, title: String) {
        var rng = SplitMix64(seed: 7)
        let real = Ring.sample(200, using: &rng), fake = Array(gan.samples().prefix(400))
        // Flat x₀ y₀ x₁ y₁ … lists as [x, y] pairs.
        func pairs(_ flat: [Float]) -> [[Double]] {
            stride(from: 0, to: flat.count, by: 2).map { k in [Double(flat[k]), Double(flat[k + 1])] }
        }
        let points = pairs(real) + pairs(fake)
        let labels = [Double](repeating: 1, count: real.count / 2) + [Double](repeating: -1, count: fake.count / 2)
        out.plotBoundary(points: points, labels: labels, title: title) { x, y in gan.score(x, y) }
    }

    static let ring: StepCode = { out in
        // lesson-code: ring
        var rng = SplitMix64(seed: 16)
        let points = Ring.sample(1000, using: &rng)                     // x₀ y₀ x₁ y₁ …
        out.print("points within 3σ of each centre:", Ring.countsNearModes(points).map(String.init).joined(separator: ", "))
        out.print("modes covered:", Ring.coveredModes(points), "of 8")
        let pairs = stride(from: 0, to: points.count, by: 2).map { [Double(points[$0]), Double(points[$0 + 1])] }
        out.plotBoundary(points: pairs, labels: [Double](repeating: 1, count: 1000), title: "1,000 samples of the ring") { x, y in
            0.3 - (0..<8).map { k in hypot(x - Ring.centre(k).x, y - Ring.centre(k).y) }.min()!
        }
        // end lesson-code
    }

    static let detach: StepCode = { out in
        // lesson-code: detach
        let gan = try RingGAN(seed: 16)
        let lossD = gan.discriminatorLoss(4)                            // the fakes enter detached
        lossD.backward()
        let first = gan.generator.parameters[0]
        out.print("after L_D's backward, the generator's first weight has a gradient:", first.grad != nil)
        out.draw(lossD, title: "L_D with detach: the generator is not in the graph")
        gan.discriminator.zeroGrad()
        let leaky = gan.discriminator(gan.generator(gan.noise(4))).binaryCrossEntropy(logitsAgainst: .zeros([4, 1]))
        leaky.backward()                                                 // no detach this time
        out.print("without detach, it has one:", first.grad != nil, "  of size", num(first.grad!.scalars.map { Double($0 * $0) }.reduce(0, +).squareRoot()))
        out.draw(leaky, title: "without detach: backward runs on into the generator")
        // end lesson-code
    }

    static let train: StepCode = { out in
        // lesson-code: train
        let gan = try RingGAN(seed: 16)
        frame(gan, out, title: "before training: real (class 1), generated (class −1)")
        for step in 1...400 {
            gan.discriminatorOptimizer.zeroGrad()
            let lossD = gan.discriminatorLoss(64)                      // D: real → 1, fake → 0
            lossD.backward()
            gan.discriminatorOptimizer.step()
            gan.generatorOptimizer.zeroGrad()
            let lossG = gan.generatorLoss(64)                          // G: make D say 1
            lossG.backward()
            gan.generatorOptimizer.step()
            if step % 100 == 0 {
                out.print("step \(step):  L_D \(num(Double(lossD.item())))  L_G \(num(Double(lossG.item())))  modes covered \(Ring.coveredModes(gan.samples())) of 8")
                frame(gan, out, title: "after \(step) steps")
            }
        }
        // end lesson-code
    }

    static let collapse: StepCode = { out in
        // lesson-code: collapse
        let gan = try RingGAN(seed: 16)
        for _ in 1...100 {                                               // the generator alone, D frozen
            gan.generatorOptimizer.zeroGrad()
            gan.generatorLoss(64).backward()
            gan.generatorOptimizer.step()
        }
        out.print("generator trained alone:  modes covered", Ring.coveredModes(gan.samples()), "of 8  ",
                  Ring.countsNearModes(gan.samples()).map(String.init).joined(separator: ", "))
        frame(gan, out, title: "collapse: G alone, against a frozen D")
        for round in 1...100 {                                           // the remedy: D back in, 5 steps per G step
            for _ in 1...5 {
                gan.discriminatorOptimizer.zeroGrad()
                gan.discriminatorLoss(64).backward()
                gan.discriminatorOptimizer.step()
            }
            gan.generatorOptimizer.zeroGrad()
            gan.generatorLoss(64).backward()
            gan.generatorOptimizer.step()
            if round % 25 == 0 { out.print("round \(round):  modes covered", Ring.coveredModes(gan.samples()), "of 8") }
        }
        frame(gan, out, title: "after 100 rounds of 5 D steps per G step")
        // end lesson-code
    }
}
