// RangeAndWorkTests.swift — numbers that a Double cannot hold are refused in both directions
// (1e999 would be ∞, 1e-999 would be 0), in the expression and in --set alike; 0 written any
// way, and the smallest subnormals, are fine. And a tensor expression's total work is counted
// before anything runs: each op's result elements, × the inner extent for @.

import Testing
@testable import Expressions

@Suite struct RangeAndWorkTests {
    @Test(arguments: ["1e-400", "0.0000001e-320", "1e-99999", "2.5E-330"])
    func aNumberThatUnderflowsIsRefusedLikeOneThatOverflows(text: String) {
        #expect(throws: ExpressionError.self) { try ParsedExpression(parsing: "x + \(text)") }
        do {
            _ = try Assignments(parsing: "x=-\(text)")
            Issue.record("x=-\(text) was accepted")
        } catch {
            #expect(error.kind == .numberOutOfRange("-\(text)"))
            #expect(error.description.contains("-\(text) is too small: it would round to 0"))
        }
    }

    @Test(arguments: [("0", 0.0), ("0.000", 0), ("0e-999", 0), ("5e-324", 5e-324), ("1e308", 1e308), ("-2.5e-310", -2.5e-310)])
    func zeroAndTheExtremesThatExistAreAccepted(text: String, value: Double) throws {
        #expect(try Assignments(parsing: "x=\(text)")["x"] == value)
        _ = try ParsedExpression(parsing: "x + (\(text))")
    }

    @Test func workIsCountedBeforeAnythingRuns() throws {
        let shapes = try TensorShapes(parsing: "a=64x32,b=32x16")
        // a @ b: 64·16 results × 32 = 32768; + 1: 1024; sum: 1024 inputs. Total 34816.
        let parsed = try ParsedExpression(parsing: "sum(a @ b + 1)", tensorSyntax: true)
        #expect(throws: ExpressionError.self) { try parsed.evaluateTensors(shapes: shapes, workLimit: 34815) }
        do {
            _ = try parsed.evaluateTensors(shapes: shapes, workLimit: 34815)
        } catch {
            #expect(error.kind == .tooMuchWork(estimate: 34816, limit: 34815))
        }
        #expect(try parsed.evaluateTensors(shapes: shapes, workLimit: 34816).output.count == 1)
    }

    @Test func theDefaultLimitStopsALongChainOfLargeProducts() throws {
        let chain = try ParsedExpression(parsing: "sum(a" + String(repeating: " @ b", count: 40) + ")", tensorSyntax: true)
        do {
            _ = try chain.evaluateTensors(shapes: TensorShapes(parsing: "a=2048x2048,b=2048x2048"))
            Issue.record("forty 2048 × 2048 products were run")
        } catch {
            let estimate: Int = 40 << 33 + 1 << 22
            #expect(error.kind == .tooMuchWork(estimate: estimate, limit: 1 << 30))
        }
    }
}
