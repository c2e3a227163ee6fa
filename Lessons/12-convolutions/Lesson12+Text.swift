// Lesson12+Text.swift — the text of lesson 12, in Markdown: conv2d as a sliding window, the
// same thing as one matrix product (im2col), and a small CNN on the digits. Read next: Lesson12.swift.

extension Lesson12 {
    static let markdown = #"""
    # Convolutions

    Lesson 11's network saw a digit as 64 unrelated numbers: shuffle the pixels the same way in
    every picture and it would learn just as well. A **convolution** uses what we know about
    pictures: a stroke looks the same wherever it is. It slides one small set of weights, the
    **kernel**, over every position of the image.

    ## A window that slides

    Take a 5 × 5 image with a vertical edge (dark left, bright right) and a 3 × 3 kernel that
    subtracts the left column from the right one. At each of the 3 × 3 positions where the
    kernel fits, multiply the 9 pixels under it by the 9 weights and add them up:

    out[y][x] = Σᵢ Σⱼ kernel[i][j] · image[y + i][x + j]

    ```swift
    let image: [[Double]] = (0..<5).map { _ in [0, 0, 1, 1, 1] }
    let kernel: [[Double]] = [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]
    var slid = [[Double]](repeating: [0, 0, 0], count: 3)
    for y in 0..<3 {
        for x in 0..<3 {
            for i in 0..<3 {
                for j in 0..<3 { slid[y][x] += kernel[i][j] * image[y + i][x + j] }
            }
        }
    }
    for row in slid { out.print("  ", row.map { num($0) }.joined(separator: "  ")) }
    let lumen = try Tensor<Double>(shape: [1, 1, 5, 5], elements: image.flatMap { $0 })
        .conv2d(weight: try Tensor<Double>(shape: [1, 1, 3, 3], elements: kernel.flatMap { $0 }))
    out.print("Lumen's conv2d:", lumen.scalars.map { num($0) }.joined(separator: ", "))
    ```
    <!-- run: slide -->

    The output is large exactly where the edge is (columns 0 and 1, whose windows straddle it)
    and 0 where the image is flat. A network learns its kernels, so it learns which patterns
    to look for.

    ## The same thing as one matrix product: im2col

    Sliding loops are slow and their backward is fiddly. **im2col** ("image to columns")
    rewrites the convolution as lesson 8's matrix product: copy each 3 × 3 window into a
    column of 9 numbers, giving a 9 × 9 matrix (9 numbers per window, 9 windows). The kernel,
    flattened, is a 1 × 9 row, and row times matrix gives all 9 outputs at once. Lumen's
    `conv2d` works exactly so: `x.unfold(kernel: (3, 3))` builds the columns, and the rest is
    matmul, whose backward is lesson 8 again. unfold's own backward ("col2im") adds each
    column entry back to the pixel it was copied from, so a pixel under several windows
    collects the gradient of every window it was in.

    ```swift
    let image: [[Double]] = (0..<5).map { _ in [0, 0, 1, 1, 1] }
    let kernel: [Double] = [-1, 0, 1, -1, 0, 1, -1, 0, 1]
    var columns = [Double](repeating: 0, count: 9 * 9)
    for y in 0..<3 {
        for x in 0..<3 {
            for i in 0..<3 {
                for j in 0..<3 { columns[(i * 3 + j) * 9 + (y * 3 + x)] = image[y + i][x + j] }
            }
        }
    }
    let product = Tensor<Double>(kernel).reshape([1, 9]).matmul(try Tensor<Double>(shape: [9, 9], elements: columns))
    out.print("columns:", 9, "×", 9, "  (window values × windows)")
    out.print("kernel · columns:", product.scalars.map { num($0) }.joined(separator: ", "))
    ```
    <!-- run: im2col -->

    The frames walk a small `conv2d` backward. Its graph is exactly this recipe: `unfold`
    makes the columns, `@` multiplies them by the kernel as a row, and a reshape makes the
    result an image again; backward runs the same three steps in reverse.

    ## A small CNN on the digits

    Now a convolutional network for lesson 11's digits, as 1 × 8 × 8 images: 8 learned 3 × 3
    kernels (padding 1 keeps the 8 × 8 size), relu, a 2 × 2 **max pool** that keeps the
    strongest response in each 2 × 2 block (halving the size to 4 × 4), then a `Linear` layer
    from the 8 · 4 · 4 = 128 numbers to the 10 digit scores. Three epochs of the same loop.

    ```swift
    let split = try InMemoryDataset<Float>.digitsSplit(layout: .image)
    var rng = SplitMix64(seed: 12)
    let model = Sequential<Float>(
        Conv2d<Float>(inChannels: 1, outChannels: 8, kernelSize: (3, 3), padding: (1, 1), using: &rng),
        ReLU<Float>(), MaxPool2d<Float>(kernelSize: (2, 2)), Flatten<Float>(),
        Linear<Float>(in: 8 * 4 * 4, out: 10, using: &rng))
    out.print("parameters:", model.parameters.map { $0.scalars.count }.reduce(0, +), "  (8·9 + 8 + 128·10 + 10)")
    let optimizer = try Adam(model.parameters, learningRate: 0.01)
    let loader = try DataLoader(split.train, batchSize: 32, ordering: .shuffled(seed: 12))
    let testInputs = try Tensor<Float>(shape: [split.test.count, 1, 8, 8], elements: split.test.features)
    for epoch in 1...3 {
        for batch in loader.batches(epoch: epoch) {
            optimizer.zeroGrad()
            let loss = try model(batch.inputs).crossEntropy(labels: batch.labels)
            loss.backward()
            optimizer.step()
        }
        let scores = withoutGradients { model(testInputs) }
        let guesses = (0..<split.test.count).map { r in (0..<10).max { scores[r, $0] < scores[r, $1] }! }
        let accuracy = Double(zip(guesses, split.test.labels).filter { $0 == $1 }.count) / Double(split.test.count)
        out.print("epoch \(epoch):  test accuracy", num(accuracy))
    }
    ```
    <!-- run: cnn -->

    With fewer weights than lesson 11's MLP (1,370 against 2,410), the convolutional network
    reads the test digits about as well, because every kernel is reused at all 64 positions.

    ## What to remember

    > A convolution is one small set of weights slid over every position. im2col turns it into
    > a single matrix product, so its forward and backward are lesson 8's. Sharing weights
    > across positions is what makes networks for images small and good.
    """#
}
