// TensorTests.swift — construction, reading, typed errors and view semantics.

import Testing
@testable import Tensors

@Suite struct TensorConstructionTests {
    @Test func rowMajorLayout() throws {
        let t = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        #expect(t.strides == [3, 1])
        #expect(t[1, 0] == 4)
        #expect(t[0, 2] == 3)
        #expect(t.count == 6 && t.rank == 2 && t.isContiguous)
    }

    /// `Tensor(shape:filling:)` hands over the tensor's own zeroed storage, in row-major order.
    @Test func fillingWritesStraightIntoStorage() throws {
        let t = try Tensor<Double>(shape: [2, 3]) { elements in
            #expect(elements.count == 6 && elements.allSatisfy { $0 == 0 })
            for i in elements.indices { elements[i] = Double(10 * i) }
        }
        #expect(t.shape == [2, 3] && t.isContiguous)
        #expect(t[1, 0] == 30 && t[0, 2] == 20)
        #expect(throws: TensorError.negativeExtent(shape: [2, -1])) {
            try Tensor<Double>(shape: [2, -1]) { _ in }
        }
    }

    @Test func countMismatchThrowsTypedError() {
        #expect(throws: TensorError.elementCountMismatch(shape: [2, 3], expected: 6, given: 5)) {
            try Tensor<Float>(shape: [2, 3], elements: [1, 2, 3, 4, 5])
        }
        #expect(throws: TensorError.negativeExtent(shape: [2, -1])) {
            try Tensor<Float>(shape: [2, -1], elements: [])
        }
        #expect(throws: TensorError.raggedRows(rowLengths: [2, 1])) {
            try Tensor<Float>(rows: [[1, 2], [3]])
        }
    }
}
