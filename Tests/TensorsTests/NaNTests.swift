// NaNTests.swift — a NaN is never hidden: relu, the max reduction, maximum and the two
// poolings give NaN wherever PyTorch does, on every backend. The oracle is PyTorch's
// documented behaviour, written out by hand: relu(NaN) = NaN, a max over a slice that holds a
// NaN is NaN, maximum(NaN, x) = maximum(x, NaN) = NaN, and a pooling window that holds a NaN
// gives NaN (max-pooling as the max of the window, average-pooling as its mean).

import Testing
@testable import Tensors

@Suite struct NaNTests {
    /// Every backend of this build.
    static var backends: [any Backend] {
        var all: [any Backend] = [ReferenceBackend()]
        #if BLAS
        all.append(BLASBackend())
        #endif
        return all
    }

    /// The elements as Double, with NaN kept (so that `==` on arrays can be replaced by this).
    private func same(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    /// Shapes that the fast loops take whole (contiguous) and row by row (a transposed view).
    @Test func reluKeepsNaN() {
        for backend in Self.backends {
            Backends.$scoped.withValue(backend) {
                let x = Tensor<Float>([.nan, -1, 0, 2, -.infinity, .infinity])
                #expect(same(x.relu().scalars, [.nan, 0, 0, 2, 0, .infinity]), "\(type(of: backend))")
                let m = try! Tensor<Float>(shape: [2, 3], elements: [1, .nan, -3, -4, 5, .nan]).transposed()
                #expect(same(m.relu().scalars, [1, 0, .nan, 5, 0, .nan]), "\(type(of: backend)), transposed")
            }
        }
    }

    /// max over an axis (the last, the first, all) and over a strided slice: NaN wherever a
    /// NaN is folded in, wherever it stands in the slice.
    @Test func maxReductionKeepsNaN() {
        for backend in Self.backends {
            Backends.$scoped.withValue(backend) {
                // Rows: NaN first, NaN last, NaN in the middle of a run longer than 8, no NaN.
                var elements = [Float](repeating: 1, count: 4 * 12)
                elements[0] = .nan
                elements[12 + 11] = .nan
                elements[24 + 5] = .nan
                elements[36 + 3] = 9
                let x = try! Tensor<Float>(shape: [4, 12], elements: elements)
                let name = "\(type(of: backend))"
                #expect(same(x.max(axis: 1).scalars, [.nan, .nan, .nan, 9]), "\(name): rows")
                let columns = x.max(axis: 0).scalars
                #expect(columns[0].isNaN && columns[11].isNaN && columns[5].isNaN && columns[3] == 9
                        && columns[1] == 1, "\(name): columns \(columns)")
                #expect(x.max().item().isNaN, "\(name): all")
                #expect(x.slice(axis: 1, 1, 12, step: 2).max(axis: 1).scalars[1].isNaN, "\(name): stepped slice")
                #expect(x.transposed().max(axis: 0).scalars[2].isNaN, "\(name): transposed")
            }
        }
    }

    @Test func maximumKeepsNaNFromEitherSide() {
        for backend in Self.backends {
            Backends.$scoped.withValue(backend) {
                let a = Tensor<Float>([.nan, 1, 5, .nan, -2, 3, 0, 1, 2])
                let b = Tensor<Float>([0, .nan, 2, .nan, -3, 4, 1, 1, 2])
                let expected: [Float] = [.nan, .nan, 5, .nan, -2, 4, 1, 1, 2]
                #expect(same(Tensor.maximum(a, b).scalars, expected), "\(type(of: backend))")
                #expect(same(Tensor.maximum(b, a).scalars, expected), "\(type(of: backend)), swapped")
                // Against a broadcast scalar, as relu-like code writes it.
                #expect(same(Tensor.maximum(a, Tensor(0)).scalars, [.nan, 1, 5, .nan, 0, 3, 0, 1, 2]))
            }
        }
    }

    /// Rows of nine 2 × 2 windows (the BLAS backend's four-at-a-time path), with NaN at the
    /// start, middle and end of windows: each window holding a NaN is NaN and sends its
    /// gradient to its last NaN (PyTorch's rule); ties go to the first max.
    @Test func poolingKeepsNaNInWideRows() {
        for backend in Self.backends {
            Backends.$scoped.withValue(backend) {
                var elements = [Float](repeating: 1, count: 2 * 18)   // 2 rows of 18: windows x = 0…8
                for x in [0, 5, 12, 17] { elements[x] = .nan }       // windows 0, 2, 6, 8, upper row
                elements[18 + 4] = .nan                               // window 2, lower row: its last NaN
                elements[18 + 7] = 3                                  // window 3: a plain max
                let x = try! Tensor<Float>(shape: [1, 1, 2, 18], elements: elements, requiresGrad: true)
                let pooled = x.maxPool2d(kernel: (2, 2))
                let name = "\(type(of: backend))"
                #expect(same(pooled.scalars, [.nan, 1, .nan, 3, 1, 1, .nan, 1, .nan]), "\(name): wide rows")
                pooled.sum().backward()
                // Window 1 and 4, 5, 7 tie at 1 everywhere: their first element (upper left) wins.
                let winners = [0, 2, 18 + 4, 18 + 7, 8, 10, 12, 14, 17]
                #expect(x.grad!.scalars == (0..<36).map { winners.contains($0) ? 1 : 0 }, "\(name): wide rows' gradient")
            }
        }
    }

    /// A 4 × 4 image with one NaN, pooled 2 × 2: only the window holding it is NaN.
    @Test func poolingKeepsNaN() {
        for backend in Self.backends {
            Backends.$scoped.withValue(backend) {
                var elements = (0..<16).map { Float($0) }
                elements[1 * 4 + 2] = .nan   // row 1, column 2: the top-right window
                let x = try! Tensor<Float>(shape: [1, 1, 4, 4], elements: elements)
                let name = "\(type(of: backend))"
                // Windows: {0,1,4,5}, {2,3,6,7}, {8,9,12,13}, {10,11,14,15}.
                #expect(same(x.maxPool2d(kernel: (2, 2)).scalars, [5, .nan, 13, 15]), "\(name): max")
                // The NaN is its window's arg-max (PyTorch's rule), so it gets that gradient, not the 7.
                let leaf = x.requiringGrad()
                leaf.maxPool2d(kernel: (2, 2)).sum().backward()
                #expect(leaf.grad!.scalars == (0..<16).map { [5, 6, 13, 15].contains($0) ? 1 : 0 }, "\(name): max's gradient")
                #expect(same(x.avgPool2d(kernel: (2, 2)).scalars, [2.5, .nan, 10.5, 12.5]), "\(name): average")
                // Padded and overlapping: every window that covers (1, 2) is NaN, the others not.
                let padded = x.maxPool2d(kernel: (3, 3), stride: (1, 1), padding: (1, 1)).scalars
                for y in 0..<4 {
                    for x in 0..<4 {
                        let covers = abs(y - 1) <= 1 && abs(x - 2) <= 1
                        #expect(padded[y * 4 + x].isNaN == covers, "\(name): padded window (\(y), \(x))")
                    }
                }
            }
        }
    }
}
