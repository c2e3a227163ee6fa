// StepContext.swift — what a step's code writes to: lines of output, and backprop walked one
// node at a time, each node a frame with its own picture of the graph.
//
// The runner hands a fresh context to the step's code and keeps what it collected, so output
// is a value: shown on screen, re-run with `r`, exported to HTML, checked in tests.
// Read next: BackpropFrame.swift (one backward step, drawn).

import Engine
import Tensors
import Viz

/// One thing a step produced, in order.
public enum StepOutput: Sendable {
    /// A line of text, as `print` would have written it.
    case line(String)
    /// One step of backward, with its explanation and (if drawing worked) its picture.
    case frame(BackpropFrame)
    /// One step of a tensor backward (TensorBackpropFrame.swift).
    case tensorFrame(TensorBackpropFrame)
    /// A picture, not part of a backward walk: a graph before backward starts, a plot. `file`
    /// is its SVG, `png` the same picture as PNG, `svg` the SVG text (for the HTML export).
    case picture(title: String, file: String?, png: String?, svg: String?, problem: String?)
}

/// A backward step as the runner shows it: text lines and a picture. Scalar and tensor
/// frames both are one.
public protocol ShownFrame: Sendable {
    func lines(style: TerminalStyle) -> [String]
    var svg: String? { get }
    var problem: String? { get }
}

extension BackpropFrame: ShownFrame {}
extension TensorBackpropFrame: ShownFrame {}

extension StepOutput {
    /// The backward frame this output is, scalar or tensor; nil for lines and pictures.
    public var frame: (any ShownFrame)? {
        switch self {
        case .frame(let frame): frame
        case .tensorFrame(let frame): frame
        case .line, .picture: nil
        }
    }
}

/// Collects a step's output. Step code calls `print`, `show`, `draw` and `walkBackward`.
public final class StepContext {
    /// What the step produced so far.
    public private(set) var outputs: [StepOutput] = []
    let frames: FrameWriter?

    /// A context whose pictures go to `frames` (nil: no pictures, text only).
    public init(frames: FrameWriter?) {
        self.frames = frames
    }

    /// Writes one line made of `items` joined by `separator`, like Swift's `print`.
    public func print(_ items: Any..., separator: String = " ") {
        let text = items.map { item in
            if let x = item as? Double { return num(x) }
            return "\(item)"
        }.joined(separator: separator)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            outputs.append(.line(String(line)))
        }
    }

    /// How long `work` takes, in seconds, on a monotonic clock: for lessons that time code live.
    public func seconds(_ work: () throws -> Void) rethrows -> Double {
        let elapsed = try ContinuousClock().measure(work)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// Draws the graph that ends at `root` as it is now (values, and gradients if backward ran).
    public func draw(_ root: Value, title: String) {
        guard let frames else {
            outputs.append(.picture(title: title, file: nil, png: nil, svg: nil, problem: nil))
            return
        }
        let result = frames.write(root: root, title: title, caption: nil, highlighted: nil, done: nil)
        record(result, title: title)
    }

    /// Draws the tensor graph that ends at `root` as it is now: one box per tensor, its data
    /// and gradient as heat maps (`detail` as `lumen draw --detail`).
    public func draw<Scalar: TensorScalar>(_ root: Tensor<Scalar>, title: String, caption: String? = nil,
                                           detail: TensorDetail = .compact) {
        guard let frames else {
            outputs.append(.picture(title: title, file: nil, png: nil, svg: nil, problem: nil))
            return
        }
        record(frames.write(drawing: GraphDrawing(tracing: root, detail: detail),
                            options: DrawingOptions(title: title, caption: caption)), title: title)
    }

    /// Runs a tensor backward from `root` (one element) one node at a time through
    /// `TensorBackwardPass`, the same code path as `root.backward()`, and records one frame per
    /// node: its upstream gradient and what each input receives. Returns the number of steps.
    @discardableResult
    public func walkBackward<Scalar: TensorScalar>(from root: Tensor<Scalar>, title: String) -> Int {
        var pass = TensorBackwardPass(from: root)
        let total = pass.order.filter { !$0.isLeaf }.count
        var done = Set<Int>()
        var index = 0
        while let step = pass.next() {
            index += 1
            let frame = TensorBackpropFrame(step: step, index: index, total: total, title: title,
                                            done: done, root: root, writer: frames)
            outputs.append(.tensorFrame(frame))
            done.insert(step.node.id)
        }
        return index
    }

    /// Appends a written picture to the output.
    func record(_ picture: FrameWriter.Written, title: String) {
        outputs.append(.picture(title: title, file: picture.svgFile, png: picture.pngFile, svg: picture.svg, problem: picture.problem))
    }

    /// Runs backward from `root` one node at a time through `BackwardPass` — the same code path
    /// as `root.backward()` — and records one frame per node: the node, the gradient that
    /// arrived at it, and for each input the local derivative and the product sent on.
    /// Returns the number of steps taken.
    @discardableResult
    public func walkBackward(from root: Value, title: String) -> Int {
        var pass = BackwardPass(from: root)
        let total = pass.order.count
        var done = Set<Int>()
        var index = 0
        while let step = pass.next() {
            index += 1
            let frame = BackpropFrame(step: step, index: index, total: total, title: title,
                                      done: done, root: root, writer: frames)
            outputs.append(.frame(frame))
            done.insert(step.node.id)
        }
        return index
    }
}

/// A number as a lesson shows it: up to 4 decimals, trailing zeros dropped (`6`, `0.5`,
/// `-0.8814`), scientific notation for very small or very large magnitudes.
public func num(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    let magnitude = abs(x)
    if magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e7) {
        return formatScientific(x)
    }
    var rounded = (x * 10_000).rounded() / 10_000
    if rounded == 0 { rounded = 0 }  // no "-0"
    var text = "\(rounded)"
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
}

private func formatScientific(_ x: Double) -> String {
    let exponent = Int((log10Approx(abs(x))).rounded(.down))
    var mantissa = x / pow10(exponent)
    var e = exponent
    if abs(mantissa) >= 9.9995 { mantissa /= 10; e += 1 }
    var m = "\((mantissa * 1000).rounded() / 1000)"
    if m.hasSuffix(".0") { m.removeLast(2) }
    return "\(m)e\(e)"
}

private func pow10(_ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<abs(n) { result *= 10 }
    return n < 0 ? 1 / result : result
}

private func log10Approx(_ x: Double) -> Double {
    var e = 0.0
    var v = x
    while v >= 10 { v /= 10; e += 1 }
    while v < 1 { v *= 10; e -= 1 }
    return e
}
