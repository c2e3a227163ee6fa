// DrawCommand.swift — `lumen draw`: an expression → its graph → backward → a picture.
//
// This is the whole pipeline of Docs/architecture.md in one command: Expressions parses the
// text into a `Value` graph, Engine runs backward, Viz writes DOT text, and Render draws it.
//
// Read next: TrainCommand.swift.

import ArgumentParser
import Engine
import Expressions
import Foundation
import LessonKit
import Render
import Tensors
import Viz

struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw the graph of an expression, with every value and gradient.",
        discussion: """
            The expression uses + - * / ^, parentheses, numbers, variables, and the functions \
            exp, log, tanh, sigmoid, relu and pow(x, c). The exponent of ^ and pow must be a \
            constant. Variables are the graph's leaves: give each a value with --set.

            The format follows the extension of each --output: .svg, .png or .dot.

            With --shape the variables are tensors and the expression may also use @ (the \
            matrix product, binding as tightly as * and /, with NumPy's rules for vectors and \
            batches), the functions sqrt, abs, sin, cos, softplus, gelu, and the reductions \
            sum and mean over all elements. + - * / broadcast as in NumPy. A variable with a \
            shape gets random values from N(0, 1), drawn with --seed (0 by default), or every \
            element equal to its --set value; a variable with only a --set value is a scalar. \
            A result with more than one element is differentiated as the sum of its elements. \
            Each tensor is one box with its op, its shape, and its data and gradient as small \
            heat maps (blue < 0 < red, the range under each); --detail values writes the \
            numbers instead (up to 16), --detail stats their min, mean, max and norm, and \
            --detail full all of it. A box is coloured by its gradient's largest absolute element. \
            The whole expression may take at most 2^30 (about a billion) operations, counted before it runs.

            Examples:
              lumen draw "tanh(x*w + b)" --set x=2,w=-3,b=6.88 -o neuron.svg
              lumen draw "sum(relu(x @ W + b))" --shape x=2x3,W=3x4,b=4 --seed 1 -o mlp.svg

            Given a file ending in .onnx instead of an expression, it draws that ONNX model's \
            graph (from PyTorch's exporter, lumen export or any other tool): one box per \
            operator with its weights' and output's shapes, each module's operators framed:
              lumen draw model.onnx -o model.svg
            """
    )

    /// The neuron of Karpathy's micrograd lecture: the default picture of the quick start.
    static let exampleExpression = "tanh(x*w + b)"
    static let exampleValues = "x=2,w=-3,b=6.88"
    static let exampleOutputs = ["lumen-out/neuron.svg", "lumen-out/neuron.png"]

    // Collected as "all unrecognized" words rather than one argument, so that an expression
    // starting with a minus ("-x^2") is taken as the expression and not as an option.
    @Argument(parsing: .allUnrecognized,
              help: ArgumentHelp("The expression, in quotes, e.g. \"tanh(x*w + b)\" or \"-x^2\".", valueName: "expression"))
    var expressionWords: [String] = []

    /// The expression, when one was given (`validate` has checked there is at most one).
    var expression: String? { expressionWords.first }

    // Repeatable, so that `--set x=1 --set x=2` reaches the check for a name given twice
    // instead of silently keeping the last.
    @Option(name: .customLong("set"), help: ArgumentHelp("The variables' values, e.g. x=2,w=-3,b=6.88.", valueName: "name=value,..."))
    var setLists: [String] = []

    /// Every --set list, joined into one.
    var set: String? { setLists.isEmpty ? nil : setLists.joined(separator: ",") }

    @Option(name: .long, help: ArgumentHelp("Tensor shapes: the variables become tensors, e.g. x=2x3,W=3x4,b=4.", valueName: "name=AxB,..."))
    var shape: String?

    @Option(name: .long, help: ArgumentHelp("The seed of the random tensor values (with --shape).", valueName: "n"))
    var seed: UInt64?

    @Option(name: [.short, .long], help: ArgumentHelp("A file to write (.svg, .png or .dot); repeat for several.", valueName: "file"))
    var output: [String] = []

    @Flag(name: .long, help: "Draw the forward pass only: gradients show as —.")
    var noBackward = false

    @Flag(name: .long, help: "Label each edge with upstream × local = what backward sends along it.")
    var edgeLabels = false

    @Flag(name: .long, help: "Draw the built-in example, \(exampleExpression) with \(exampleValues).")
    var example = false

    @Option(name: .long, help: ArgumentHelp("How much of each tensor to show: compact (heat maps), values, stats or full.", valueName: "level"))
    var detail: TensorDetail?

    @Option(name: .long, help: ArgumentHelp("Layout direction: LR (inputs left, the default) or TB (inputs on top).", valueName: "LR|TB"))
    var rankdir: DrawingOptions.Direction = .leftToRight

    @Flag(name: .long, help: "With --shape: draw the same computation as a graph of scalar Values (at most 300 nodes).")
    var asScalars = false

    @Option(name: .long, help: ArgumentHelp("Write backward, one node per frame, as a one-file HTML page with a slider (as lumen learn --html does).", valueName: "file.html"))
    var steps: String?

    mutating func validate() throws {
        if let word = expressionWords.first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("unknown option '\(word)'; see lumen draw --help")
        }
        if expressionWords.count > 1 {
            throw ValidationError("give one expression, in quotes, e.g. lumen draw \"x*w + b\"; found \(expressionWords.count) words: "
                                  + expressionWords.map { "'\($0)'" }.joined(separator: " "))
        }
        if let expression, Self.isONNXFile(expression) {
            try validateONNX()  // DrawCommand+ONNX.swift
            return
        }
        if example && (expression != nil || set != nil) {
            throw ValidationError("--example draws the built-in expression; leave out the expression and --set")
        }
        if seed != nil && shape == nil {
            throw ValidationError("--seed chooses random tensor values: give the tensors' shapes with --shape, e.g. --shape x=2x3")
        }
        if example && shape != nil {
            throw ValidationError("--example draws the built-in scalar expression; leave out --shape")
        }
        if edgeLabels && shape != nil && !asScalars {
            throw ValidationError("--edge-labels works for scalar expressions only; leave it out with --shape (or add --as-scalars)")
        }
        if let steps, !steps.lowercased().hasSuffix(".html") {
            throw ValidationError("--steps writes an HTML page: give it a file name ending in .html, e.g. --steps backward.html")
        }
        if steps != nil && noBackward {
            throw ValidationError("--steps shows backward step by step; leave out --no-backward")
        }
        if asScalars && shape == nil {
            throw ValidationError("--as-scalars rebuilds a tensor expression from scalars: give the tensors' shapes with --shape")
        }
        if asScalars && detail != nil {
            throw ValidationError("--detail chooses how tensors are shown, and --as-scalars draws no tensors; leave out one of them")
        }
        if detail != nil && shape == nil {
            throw ValidationError("--detail chooses how tensors are shown: give the tensors' shapes with --shape, e.g. --shape x=2x3")
        }
        if !example && expression == nil {
            throw ValidationError("give an expression, e.g. lumen draw \"tanh(x*w + b)\" --set x=2,w=-3,b=6.88, or use --example")
        }
    }

    func run() throws {
        let text = example ? DrawCommand.exampleExpression : expression ?? ""
        let outputs = !output.isEmpty ? output : example ? DrawCommand.exampleOutputs : ["graph.svg"]

        // Check every output's extension before any work, so a typo costs nothing.
        for path in outputs {
            do { _ = try GraphFileFormat(path: path) } catch { throw fail(error.description, hint: error.hint) }
        }
        if let expression, Self.isONNXFile(expression) {
            try drawONNX(expression, outputs: outputs)  // DrawCommand+ONNX.swift
            return
        }

        if let shape {
            try drawTensors(text, shapes: shape, outputs: outputs)
            return
        }

        let graph: EvaluatedExpression
        do {
            let parsed = try ParsedExpression(parsing: text)
            let values = try Assignments(parsing: example ? DrawCommand.exampleValues : set ?? "")
            graph = try parsed.evaluate(values)
        } catch {
            throw fail("the expression cannot be drawn:\n\(error.description)")
        }
        for warning in graph.warnings { warn(warning) }

        if let steps {
            let root = graph.output
            try writeSteps(to: steps, title: text) { out in out.walkBackward(from: root, title: text) }
        }
        if !noBackward && steps == nil { graph.output.backward() }  // (the walk ran backward already)
        report(graph)

        // The leaves that are not variables are the numbers written in the expression.
        let variables = Set(graph.variables.map(\.id))
        let constants = Set(graph.output.topologicalOrder().filter { $0.isLeaf && !variables.contains($0.id) }.map(\.id))
        let dot = GraphDrawing(tracing: graph.output, edgeLabels: edgeLabels, constants: constants)
            .dot(options: DrawingOptions(title: text, direction: rankdir))
        try write(dot, to: outputs)
    }

    /// `lumen draw ... --shape`: the same pipeline over a `Tensor` graph.
    private func drawTensors(_ text: String, shapes shapeList: String, outputs: [String]) throws {
        let graph: EvaluatedTensorExpression
        do {
            let parsed = try ParsedExpression(parsing: text, tensorSyntax: true)
            let shapes = try TensorShapes(parsing: shapeList)
            let values = try Assignments(parsing: set ?? "")
            graph = try parsed.evaluateTensors(shapes: shapes, values: values, seed: seed ?? 0)
        } catch {
            throw fail("the expression cannot be drawn:\n\(error.description)")
        }
        for warning in graph.warnings { warn(warning) }

        if asScalars {
            let parsed = try ParsedExpression(parsing: text, tensorSyntax: true)
            let scalars: Value
            do {
                scalars = try graph.asScalars(of: parsed).root
            } catch {
                throw fail("--as-scalars: \(error.description)")
            }
            if let steps {
                try writeSteps(to: steps, title: text) { out in out.walkBackward(from: scalars, title: text) }
            } else if !noBackward {
                scalars.backward()
            }
            if !noBackward && graph.output.requiresGrad {
                graph.output.backward(gradient: Tensor.ones(graph.output.shape))
            }
            report(graph)
            let dot = GraphDrawing(tracing: scalars, edgeLabels: edgeLabels)
                .dot(options: DrawingOptions(title: text + "  (as scalars)", direction: rankdir))
            try write(dot, to: outputs)
            return
        }
        if let steps {
            guard graph.output.requiresGrad, graph.output.count == 1 else {
                throw fail(graph.output.requiresGrad
                    ? "--steps walks backward from a one-element result, but this one has shape \(GraphDrawing.formatShape(graph.output.shape))"
                    : "--steps needs a variable to differentiate by, and this expression has none",
                    hint: "wrap the expression in sum(...) or mean(...)")
            }
            let root = graph.output
            try writeSteps(to: steps, title: text) { out in out.walkBackward(from: root, title: text) }
        }
        // Backward needs a variable to differentiate by; a constant expression has none.
        if !noBackward && steps == nil && graph.output.requiresGrad {
            if graph.output.count != 1 {
                warn("the result has shape \(GraphDrawing.formatShape(graph.output.shape)): backward differentiates the sum of its elements")
            }
            graph.output.backward(gradient: Tensor.ones(graph.output.shape))
        }
        report(graph)

        let dot = GraphDrawing(tracing: graph.output, detail: detail ?? .compact)
            .dot(options: DrawingOptions(title: text, direction: rankdir))
        try write(dot, to: outputs)
    }

    /// `--steps`: runs `walk` (a backward walk) as the one step of a page and writes the page,
    /// the same player `lumen learn N --html` writes. The frames' picture files go to a
    /// temporary folder, removed afterwards: the page holds every picture inline.
    private func writeSteps(to path: String, title: String, walk: @escaping (StepContext) -> Void) throws {
        nonisolated(unsafe) let walk = walk
        let lesson = Lesson(id: 0, markdown: "# \(title)\n\n## Backward, one node at a time\n\n<!-- run: walk -->\n",
                            code: ["walk": { out in walk(out) }])
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-steps-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let runner = LessonRunner(lesson: lesson, frameRoot: scratch, style: TerminalStyle(width: 100, color: false))
        do {
            try AtomicWrite.write(Data(runner.html().utf8), to: path)
        } catch {
            throw fail("cannot write \(path): \(error.localizedDescription)", hint: "pass --steps a file in a folder you can write to")
        }
        print("wrote \(path)")
    }

    /// Writes the drawing to each output, with Graphviz's errors as typed failures.
    func write(_ dot: String, to outputs: [String]) throws {
        for path in outputs {
            if example { try makeDirectory(directoryOf(path)) }
            do {
                try Graphviz.write(dot: dot, to: path)
            } catch {
                var hint = error.hint
                switch error {
                case .layoutPluginMissing, .formatPluginMissing, .layoutFailed, .renderFailed:
                    hint += "\nA .dot file needs no Graphviz: try -o graph.dot"
                default: break
                }
                throw fail(error.description, hint: hint)
            }
            print("wrote \(path)")
        }
    }

    /// The value, and each variable's gradient: what the picture shows, as text.
    private func report(_ graph: EvaluatedExpression) {
        print("\(expression ?? DrawCommand.exampleExpression) = \(GraphDrawing.format(graph.output.data))")
        for variable in graph.variables {
            let name = variable.label ?? "?"
            let gradient = variable.grad.map(GraphDrawing.format) ?? GraphDrawing.notReached
            print("  \(name) = \(GraphDrawing.format(variable.data))    ∂/∂\(name) = \(gradient)")
        }
    }

    /// The value and each variable's gradient of a tensor expression: numbers for up to 16
    /// elements, otherwise the shape and the summary the drawing shows.
    private func report(_ graph: EvaluatedTensorExpression) {
        print("\(expression ?? "") = \(describe(graph.output.scalars, shape: graph.output.shape))")
        for variable in graph.variables {
            let name = variable.label ?? "?"
            let gradient = variable.grad.map { describe($0.scalars, shape: $0.shape) } ?? GraphDrawing.notReached
            print("  \(name): \(GraphDrawing.formatShape(variable.shape))    ∂/∂\(name) = \(gradient)")
        }
    }

    private func describe(_ elements: [Double], shape: [Int]) -> String {
        if elements.count <= GraphDrawing.maxElementsShown {
            return GraphDrawing.formatElements(elements, shape: shape)
        }
        let summary = TensorSummary(elements)
        return "\(GraphDrawing.formatShape(shape)), min \(GraphDrawing.format(summary.min)), "
            + "mean \(GraphDrawing.format(summary.mean)), max \(GraphDrawing.format(summary.max)), "
            + "norm \(GraphDrawing.format(summary.norm))"
    }

    private func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}

extension TensorDetail: ExpressibleByArgument {}

extension DrawingOptions.Direction: ExpressibleByArgument {
    /// `LR` or `TB`, in either case.
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}
