// ViewTests.swift — views share storage: writes through views, which ops copy and which
// do not, and gradients through views.

import Testing
@testable import Tensors

@Suite struct ViewTests {
    func matrix() throws -> Tensor<Double> {
        try Tensor(shape: [3, 4], elements: (0..<12).map(Double.init))
    }

    @Test func transposeIsAViewAndWritesGoThrough() throws {
        let m = try matrix()
        let t = m.transposed()
        #expect(t.storage === m.storage && t.shape == [4, 3] && t.strides == [1, 4])
        #expect(!t.isContiguous)
        #expect(t[3, 1] == 7)         // m[1, 3] = 1·4 + 3
        t[3, 1] = -1
        #expect(m[1, 3] == -1)
    }

    @Test func sliceWithStepIsAView() throws {
        let m = try matrix()
        let s = m.slice(axis: 1, 1, 4, step: 2)    // columns 1 and 3
        #expect(s.shape == [3, 2] && s.storage === m.storage)
        #expect(s.scalars == [1, 3, 5, 7, 9, 11])
        s[2, 0] = 100
        #expect(m[2, 1] == 100)
        #expect(m.slice(axis: 0, 5, 9).shape == [0, 4])           // clamped: empty
        #expect(m.slice(axis: -1, -2, 4).scalars == [2, 3, 6, 7, 10, 11])
    }

    @Test func assignWritesThroughAView() throws {
        let m = try matrix()
        m.slice(axis: 0, 0, 3, step: 2).assign(Tensor([-1, -2, -3, -4]))   // rows 0 and 2, broadcast
        #expect(m.scalars == [-1, -2, -3, -4, 4, 5, 6, 7, -1, -2, -3, -4])
    }

    @Test func expandSharesStorageWithZeroStride() {
        let v = Tensor<Double>([1, 2, 3])
        let e = v.expand([2, 3])
        #expect(e.strides == [0, 1] && e.storage === v.storage)
        #expect(e.scalars == [1, 2, 3, 1, 2, 3])
        v[1] = 20
        #expect(e[1, 1] == 20)
    }

    @Test func reshapeViewsContiguousAndCopiesOtherwise() throws {
        let m = try matrix()
        let r = m.reshape([2, 6])
        #expect(r.storage === m.storage)
        r[1, 0] = 50
        #expect(m[1, 2] == 50)                      // flat position 6
        let t = m.transposed().reshape([12])        // not contiguous: a copy
        #expect(t.storage !== m.storage)
        #expect(t.scalars == [0, 4, 8, 1, 5, 9, 2, 50, 10, 3, 7, 11])
        #expect(m.reshape([-1, 3]).shape == [4, 3])
    }

    @Test func contiguousCopiesOnlyWhenNeeded() throws {
        let m = try matrix()
        #expect(m.contiguous() === m)
        let c = m.transposed().contiguous()
        #expect(c.isContiguous && c.storage !== m.storage)
        #expect(c.scalars == m.transposed().scalars)
    }

    @Test func squeezeUnsqueezePermute() throws {
        let x = try Tensor<Double>(shape: [2, 1, 3], elements: [1, 2, 3, 4, 5, 6])
        #expect(x.squeeze(1).shape == [2, 3])
        #expect(x.squeeze().shape == [2, 3])
        #expect(x.unsqueeze(0).shape == [1, 2, 1, 3])
        #expect(x.unsqueeze(-1).shape == [2, 1, 3, 1])
        let p = x.permute([2, 0, 1])
        #expect(p.shape == [3, 2, 1] && p[2, 1, 0] == 6 && p[0, 1, 0] == 4)
    }

    /// Gradients flow back through a view to the right elements of the base.
    @Test func gradientsThroughViews() throws {
        let m = try matrix().requiringGrad()
        // Only column 1 and 3 of rows 0..2 are used, each multiplied by its transposed position.
        let picked = m.slice(axis: 1, 1, 4, step: 2)          // [3, 2]
        let weights = try Tensor<Double>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        (picked.transposed() * weights).sum().backward()
        // ∂/∂m[i, 1] = weights[0, i], ∂/∂m[i, 3] = weights[1, i], 0 elsewhere.
        #expect(m.grad!.scalars == [0, 1, 0, 4,
                                    0, 2, 0, 5,
                                    0, 3, 0, 6])
    }
}
