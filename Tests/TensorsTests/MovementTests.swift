// MovementTests.swift — concat, stack, pad, indexSelect, expand: values placed by hand.

import Testing
@testable import Tensors

@Suite struct MovementTests {
    @Test func concatAlongEachAxis() throws {
        let a = try Tensor<Double>(shape: [2, 2], elements: [1, 2, 3, 4])
        let b = try Tensor<Double>(shape: [2, 1], elements: [5, 6])
        #expect(Tensor.concat([a, b], axis: 1).scalars == [1, 2, 5, 3, 4, 6])
        #expect(Tensor.concat([a, a], axis: 0).shape == [4, 2])
        #expect(Tensor.concat([a, Tensor.zeros([0, 2])], axis: 0).scalars == a.scalars)
    }

    @Test func stackAddsAnAxis() {
        let a = Tensor<Double>([1, 2, 3]), b = Tensor<Double>([4, 5, 6])
        #expect(Tensor.stack([a, b]).shape == [2, 3])
        let columns = Tensor.stack([a, b], axis: 1)
        #expect(columns.shape == [3, 2] && columns.scalars == [1, 4, 2, 5, 3, 6])
    }

    @Test func padWithConstant() throws {
        let x = try Tensor<Double>(shape: [1, 2], elements: [1, 2])
        let p = x.pad([(1, 0), (1, 2)], value: 9)
        #expect(p.shape == [2, 5])
        #expect(p.scalars == [9, 9, 9, 9, 9,
                              9, 1, 2, 9, 9])
    }

    @Test func indexSelectRepeatsAndAccumulates() throws {
        let table = try Tensor<Double>(shape: [3, 2], elements: [10, 11, 20, 21, 30, 31], requiresGrad: true)
        let rows = table.indexSelect(axis: 0, [2, 0, 2])
        #expect(rows.scalars == [30, 31, 10, 11, 30, 31])
        rows.backward(gradient: try Tensor(shape: [3, 2], elements: [1, 2, 3, 4, 5, 6]))
        // Row 2 was picked twice: it receives rows 0 and 2 of the gradient, added.
        #expect(table.grad!.scalars == [3, 4, 0, 0, 6, 8])
        #expect(table.indexSelect(axis: 1, [1, 1]).scalars == [11, 11, 21, 21, 31, 31])
    }

    @Test func expandFollowsNumPyRules() {
        let x = Tensor<Double>([7, 8]).reshape([2, 1])
        let e = x.expand([3, 2, 4])
        #expect(e.shape == [3, 2, 4] && e[2, 1, 3] == 8 && e[0, 0, 0] == 7)
    }

    @Test func floatTensorsDifferentiateToo() {
        let w = Tensor<Float>([0.5, -0.25], requiresGrad: true)
        let x = Tensor<Float>([2, 4])
        (w * x).tanh().sum().backward()
        let expected = zip([0.5, -0.25], [2.0, 4.0]).map { w, x in x * (1 - Foundation.tanh(w * x) * Foundation.tanh(w * x)) }
        for (got, want) in zip(w.grad!.scalars, expected) {
            #expect(Swift.abs(Double(got) - want) < 1e-6)
        }
    }
}

import Foundation
