// Lesson16+Text.swift — the text of lesson 16, in Markdown: a generative adversarial network on
// a ring of 8 Gaussians; where detach cuts the generator out of the discriminator's graph;
// frames of the samples and the decision surface; mode collapse and one remedy.
// Read next: Lesson16.swift.

extension Lesson16 {
    static let markdown = #"""
    # A GAN: two networks that train each other

    Every network so far learned to match labels. A **generative adversarial network**
    (Goodfellow et al. 2014) learns to make new samples that look like its data, with no labels
    at all, by setting two networks against each other. The **generator** G turns random noise
    z into a point. The **discriminator** D looks at a point and scores how real it seems. D is
    trained to tell real points from G's; G is trained to fool D. If both play well, G's points
    end up spread like the data.

    ## The data: a ring of 8 Gaussians

    The data is a ring: 8 small clouds (standard deviation 0.1) whose centres sit evenly on a
    circle of radius 2. It is easy to see, and hard in one specific way: a generator can fool a
    weak discriminator by covering only some of the clouds. A cloud, a **mode**, counts as
    covered when at least 2 % of 1,000 samples land within 3 standard deviations of its centre.

    ```swift
    var rng = SplitMix64(seed: 16)
    let points = Ring.sample(1000, using: &rng)                     // x₀ y₀ x₁ y₁ …
    out.print("points within 3σ of each centre:", Ring.countsNearModes(points).map(String.init).joined(separator: ", "))
    out.print("modes covered:", Ring.coveredModes(points), "of 8")
    let pairs = stride(from: 0, to: points.count, by: 2).map { [Double(points[$0]), Double(points[$0 + 1])] }
    out.plotBoundary(points: pairs, labels: [Double](repeating: 1, count: 1000), title: "1,000 samples of the ring") { x, y in
        0.3 - (0..<8).map { k in hypot(x - Ring.centre(k).x, y - Ring.centre(k).y) }.min()!
    }
    ```
    <!-- run: ring -->

    ## Two losses, and where detach cuts

    Both players are small MLPs (Lesson16+GAN.swift), and both losses are lesson 9's binary
    cross-entropy on D's logit:

    L_D = BCE(D(x), 1) + BCE(D(G(z)), 0)      L_G = BCE(D(G(z)), 1)

    D's step must change D only. But G(z) is the output of G's layers, so backward from L_D
    would run on into G and leave gradients there. `detach()` returns the same numbers as a new
    leaf with no history: backward stops at it. The first picture is L_D's graph with the fakes
    detached: they enter as a constant box, and no generator weight appears. The second is the
    same loss without detach: the graph now runs on through G's layers, and G's weights receive
    gradients they should not (they would point the wrong way: toward making fakes look fake).

    ```swift
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
    ```
    <!-- run: detach -->

    G's step needs no detach: it must go through D, to learn what D would call real, but only
    G's optimizer steps, and D's gradients are zeroed before D's next step.

    ## Training: one step each, in turn

    Each training step is one discriminator step on a fresh real batch and fresh fakes, then one
    generator step on fresh noise. The frames show 100 real points (class 1), 200 of G's points
    (class −1) and D's score as a tint: D believes the orange side of its zero line is real.

    ```swift
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
    ```
    <!-- run: train -->

    At the start G's points sit in a small blob at the centre, and D learns at once that the
    centre is fake. G's points are pushed outward along D's gradient toward the regions D calls
    real, D then learns the new fakes, and so on; the frames show the points spreading out to
    the clouds and D's surface following them. A GAN's losses do not fall steadily as a
    classifier's do: they are a game, and the frames and the mode count are what show progress.

    ## Mode collapse, and one remedy

    What if G gets ahead? Freeze D and train G alone: every fake point runs to wherever the
    frozen D scores highest, so G's points pile up on one spot (here between two clouds, on
    none of them). This is **mode collapse**: G has found a few points that fool D and has no reason to make anything else.
    In a real run it happens whenever D falls behind, and G then hops from mode to mode as D
    catches up.

    One remedy is to keep D ahead: several discriminator steps for each generator step (WGAN
    uses 5). A well-trained D soon scores a crowded spot as fake and the places where real data
    has no fakes as real, so its gradient pushes G's points apart again, toward the clouds they
    left.

    ```swift
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
    ```
    <!-- run: collapse -->

    ## What to remember

    > A GAN trains a generator and a discriminator against each other: D on real versus
    > generated points, G to make D call its points real. `detach()` keeps D's step from
    > reaching into G. Progress shows in samples and in mode coverage, not in a falling loss.
    > When D falls behind, G collapses onto a few modes; keeping D strong (several D steps per G
    > step) is one remedy.
    """#
}
