// ScalarExpansionTests.swift — a tensor expression rebuilt from scalar Values computes the
// same value and, after backward, the same gradient for every element of every variable.
//
// The oracle is the tensor graph itself (Tensors' own backward), an independent code path:
// nothing in ParsedExpression+Scalars.swift runs in it.

import Engine
import Expressions
import Tensors
import Testing

@Suite struct ScalarExpansionTests {
    @Test(arguments: [
        ("x @ W", "x=2x3,W=3x2"),
        ("sum(tanh(x @ W + b))", "x=2x3,W=3x2,b=2"),
        ("mean((x - y)^2)", "x=3x1,y=3"),            // broadcasting 3×1 against 3 → 3×3
        ("sum(relu(x * x + s) / 2)", "x=2x2,s=1"),   // reuse of x, a scalar broadcast
        ("sum(sigmoid(v @ M) * exp(v @ M))", "v=3,M=3x2"),  // a vector on the left, reused product
    ])
    func sameValueAndGradientsAsTheTensorGraph(expression: String, shapeList: String) throws {
        let parsed = try ParsedExpression(parsing: expression, tensorSyntax: true)
        let tensors = try parsed.evaluateTensors(shapes: try TensorShapes(parsing: shapeList), seed: 5)
        let (root, leaves) = try tensors.asScalars(of: parsed)
        tensors.output.backward(gradient: Tensor.ones(tensors.output.shape))
        root.backward()
        // The scalar root is the sum of the tensor output's elements.
        let expected = tensors.output.scalars.reduce(0.0) { $0 + $1 }
        #expect(abs(root.data - expected) <= 1e-12 * max(1, abs(expected)))
        for variable in tensors.variables {
            let name = try #require(variable.label)
            let scalars = try #require(leaves[name])
            let gradient = try #require(variable.grad).scalars
            #expect(scalars.count == gradient.count)
            for (value, g) in zip(scalars, gradient) {
                #expect(abs((value.grad ?? 0) - g) <= 1e-12 * max(1, abs(g)), "\(name): \(value.grad ?? .nan) vs \(g)")
            }
        }
    }

    @Test func bigExpressionsAreRefusedWithAReason() throws {
        let parsed = try ParsedExpression(parsing: "sum(x @ W)", tensorSyntax: true)
        let tensors = try parsed.evaluateTensors(shapes: try TensorShapes(parsing: "x=10x10,W=10x10"))
        #expect(throws: ScalarExpansionError.tooManyNodes(limit: 300)) { try tensors.asScalars(of: parsed) }
        let sine = try ParsedExpression(parsing: "sum(sin(x))", tensorSyntax: true)
        let small = try sine.evaluateTensors(shapes: try TensorShapes(parsing: "x=2"))
        #expect(throws: ScalarExpansionError.unsupported("sin")) { try small.asScalars(of: sine) }
    }
}
