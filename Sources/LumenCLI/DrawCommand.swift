// DrawCommand.swift — `lumen draw`: an expression → its graph → backward → a picture.
//
// This is the whole pipeline of Docs/architecture.md in one command: Expressions parses the
// text into a `Value` graph, Engine runs backward, Viz writes DOT text, and Render draws it.
//
// Read next: TrainCommand.swift.

import ArgumentParser
import Engine
import Expressions
import Render
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

            Example:
              lumen draw "tanh(x*w + b)" --set x=2,w=-3,b=6.88 -o neuron.svg
            """
    )

    /// The neuron of Karpathy's micrograd lecture: the default picture of the quick start.
    static let exampleExpression = "tanh(x*w + b)"
    static let exampleValues = "x=2,w=-3,b=6.88"
    static let exampleOutputs = ["lumen-out/neuron.svg", "lumen-out/neuron.png"]

    @Argument(help: "The expression, in quotes, e.g. \"tanh(x*w + b)\".")
    var expression: String?

    @Option(name: .long, help: ArgumentHelp("The variables' values, e.g. x=2,w=-3,b=6.88.", valueName: "name=value,..."))
    var set: String?

    @Option(name: [.short, .long], help: ArgumentHelp("A file to write (.svg, .png or .dot); repeat for several.", valueName: "file"))
    var output: [String] = []

    @Flag(name: .long, help: "Draw the forward pass only: gradients show as —.")
    var noBackward = false

    @Flag(name: .long, help: "Label each edge with upstream × local = what backward sends along it.")
    var edgeLabels = false

    @Flag(name: .long, help: "Draw the built-in example, \(exampleExpression) with \(exampleValues).")
    var example = false

    mutating func validate() throws {
        if example && (expression != nil || set != nil) {
            throw ValidationError("--example draws the built-in expression; leave out the expression and --set")
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

        let graph: EvaluatedExpression
        do {
            let parsed = try ParsedExpression(parsing: text)
            let values = try Assignments(parsing: example ? DrawCommand.exampleValues : set ?? "")
            graph = try parsed.evaluate(values)
        } catch {
            throw fail("the expression cannot be drawn:\n\(error.description)")
        }
        for warning in graph.warnings { warn(warning) }

        if !noBackward { graph.output.backward() }
        report(graph)

        let dot = GraphDrawing(tracing: graph.output, edgeLabels: edgeLabels)
            .dot(options: DrawingOptions(title: text))
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

    private func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
