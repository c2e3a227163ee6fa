// Lesson10+Text.swift — the text of lesson 10, in Markdown: SGD, momentum and Adam on the same
// loss surface, with the losses and the paths drawn. Read next: Lesson10.swift.

extension Lesson10 {
    static let markdown = #"""
    # Optimizers side by side

    Backward tells every parameter which way is uphill. An **optimizer** decides how far to
    step the other way, and whether to remember earlier steps. Lesson 5 used the plainest rule,
    a fixed fraction of the gradient. This lesson races it against two better ones on a
    surface where the plain rule struggles.

    ## A long, narrow valley

    Take two parameters, x and y, and the loss f(x, y) = 0.01·x² + y². Its lowest point is
    (0, 0). Across the valley (along y) the walls are steep; along it (x) the floor is nearly
    flat. The gradient, (0.02·x, 2·y), is mostly about y, even when we are far away in x.

    ```swift
    let p = Tensor<Double>([-8, 2], requiresGrad: true)
    let loss = (p * p * Tensor<Double>([0.01, 1])).sum()
    loss.backward()
    out.print("loss at (-8, 2):", loss.item())
    out.print("gradient:", p.grad!.scalars.map { num($0) }.joined(separator: ", "))
    ```
    <!-- run: valley -->

    The picture shows the loss's graph with p's gradient: −0.16 along the valley, 4 across it.

    The gradient is 25 times larger across the valley than along it. A step size small enough
    not to bounce off the steep walls is far too small for the long flat floor.

    ## Three rules for a step

    - **SGD** (stochastic gradient descent): p ← p − lr·g. No memory.
    - **Momentum**: keep a velocity v ← β·v + g and step p ← p − lr·v. Gradients that keep
      pointing the same way (along the floor) add up; gradients that flip sign (bouncing
      between the walls) cancel out. β = 0.9 remembers roughly the last ten steps.
    - **Adam**: keep running averages of g (m) and of g² (v), correct them for starting at 0,
      and step p ← p − lr·m̂ / (√v̂ + ε). Dividing by √v̂ gives every parameter a step of about
      lr, however large or small its gradient: the flat direction gets as much as the steep one.

    Each is a class in Lumen's `Optimizers` (as PyTorch defines them), and all three drive the
    same loop: zero the gradients, compute the loss, backward, step.

    ```swift
    func descend(_ make: (Tensor<Double>) throws -> any Optimizer<Double>) throws -> (losses: [Double], xs: [Double], ys: [Double]) {
        let p = Tensor<Double>([-8, 2], requiresGrad: true)
        let optimizer = try make(p)
        var losses: [Double] = [], xs = [-8.0], ys = [2.0]
        for _ in 0..<60 {
            optimizer.zeroGrad()
            let loss = (p * p * Tensor<Double>([0.01, 1])).sum()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            xs.append(p[0])
            ys.append(p[1])
        }
        losses.append(0.01 * xs.last! * xs.last! + ys.last! * ys.last!)
        return (losses, xs, ys)
    }
    let runs = [
        ("SGD", try descend { try SGD([$0], learningRate: 0.4) }),
        ("momentum", try descend { try SGD([$0], learningRate: 0.4, momentum: 0.9) }),
        ("Adam", try descend { try Adam([$0], learningRate: 0.3) }),
    ]
    for (name, run) in runs {
        out.print(name + ":", "loss after 60 steps", num(run.losses.last!), "  at", num(run.xs.last!), num(run.ys.last!))
    }
    out.plotLines(title: "loss per step", xLabel: "step", yLabel: "loss",
                  series: runs.map { ($0.0, (0...60).map(Double.init), $0.1.losses) }, logarithmicY: true)
    out.plotLines(title: "paths through the valley (start at -8, 2)", xLabel: "x", yLabel: "y",
                  series: runs.map { ($0.0, $0.1.xs, $0.1.ys) })
    ```
    <!-- run: race -->

    Open the two pictures. SGD's loss drops at once (the y part) and then crawls: after 60
    steps it is still far out along the floor. Momentum overshoots, swings and settles much
    nearer the bottom. Adam heads for the bottom at about 0.3 per step in both directions,
    because it divides each gradient by its own size.

    ## What to remember

    > The gradient says which way; the optimizer decides how far. Momentum adds up gradients
    > that agree. Adam scales each parameter's step by the size of its own gradients. Neither
    > changes the loss or the backward: only the update.

    Next: all of this on real data, a network that reads handwritten digits.
    """#
}
