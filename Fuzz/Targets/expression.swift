// expression.swift — the libFuzzer target for the expression language: the input is split at
// its first two newlines into an expression, a --set list and a --shape list. Parsing, then
// evaluating and backward (scalar, or tensor when the shapes parse), must give a result or an
// `ExpressionError`, never a crash. (The work limit is lowered to 2¹² operations so that each
// input runs in well under a millisecond.)
//
// Built and run by Scripts/fuzz.sh expression SECONDS; seeds in Fuzz/Corpus/expression.

import Expressions
import Tensors

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    let expression = parts[0]
    let setList = parts.count > 1 ? parts[1] : ""
    guard let values = try? Assignments(parsing: setList) else {
        _ = try? ParsedExpression(parsing: expression)
        return 0
    }
    if parts.count > 2 {
        guard let parsed = try? ParsedExpression(parsing: expression, tensorSyntax: true),
              let shapes = try? TensorShapes(parsing: parts[2]),
              let graph = try? parsed.evaluateTensors(shapes: shapes, values: values, seed: 1,
                                                           workLimit: 1 << 12) else { return 0 }
        if graph.output.requiresGrad { graph.output.backward(gradient: Tensor.ones(graph.output.shape)) }
    } else {
        guard let parsed = try? ParsedExpression(parsing: expression),
              let graph = try? parsed.evaluate(values) else { return 0 }
        graph.output.backward()
    }
    return 0
}
