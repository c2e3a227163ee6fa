// MaxPool.swift — fast path, outside the reading order: max-pooling and its backward's
// scatter in the BLAS backend.
//
// The reference loops (ReferenceBackend.swift, `maxPool` and `scatterAdd`) are what these
// compute, element for element and in the same order. A default reached through the
// `Backend` protocol from BLASBackend runs generic code, every comparison and index through
// the type's witness table: measured on W6, the reference `maxPool` took a third of the
// step (Docs/performance.md, "Session 7"). Here both are compiled for Float and Double, and
// a window that lies inside the image (no padding, pooling's usual case) is walked without
// clamping its rows and columns. `ParityTests` checks both against the reference.
//
// Read next: BLASBackend.swift.

#if BLAS
extension BLASBackend {
    /// Matches the default `maxPool`: the same maxima and the same arg-max (the first largest
    /// in row-major window order, a NaN replacing any number and any earlier NaN). Every
    /// update is a select, not a branch: on W6's activations a branch per window element is
    /// mispredicted about half the time, and a loop with branches took six times as long.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func maxPool<S: TensorScalar>(_ g: WindowGeometry, _ input: StridedBuffer<S>,
                                         into output: UnsafeMutablePointer<S>, argmax: UnsafeMutablePointer<Int>) {
        let (strideN, strideC, strideH, strideW) = (input.strides[0], input.strides[1], input.strides[2], input.strides[3])
        if g.padHeight > 0 || g.padWidth > 0 {
            return ReferenceBackend().maxPool(g, input, into: output, argmax: argmax)  // (specialized here)
        }
        let halves = S.self == Float.self && strideW == 1 && g.kernelHeight == 2 && g.kernelWidth == 2
            && g.strideHeight == 2 && g.strideWidth == 2 && g.outWidth >= 4
            && g.batch * g.channels * g.height * g.width < Int(Int32.max)
        let (ow, step) = (g.outWidth, g.strideWidth * strideW)
        var k = 0
        for n in 0..<g.batch {
            for c in 0..<g.channels {
                let image = input.base + n * strideN + c * strideC
                let plane = (n * g.channels + c) * g.height * g.width
                for y in 0..<g.outHeight {
                    let top = y * g.strideHeight
                    let best = output + k, at = argmax + k
                    k += ow
                    if halves {
                        // 2 × 2 windows at stride 2 along contiguous rows, eight or four at a time.
                        MaxPool2x2.row(UnsafeRawPointer(image + top * strideH), rowStride: strideH,
                                       count: ow, firstIndex: plane + top * g.width, width: g.width,
                                       into: UnsafeMutableRawPointer(best), argmax: at)
                        continue
                    }
                    // Row by row: every window of the row starts at its tap (0, 0), then
                    // takes each later tap in row-major order where it is larger or NaN.
                    let first = image + top * strideH, firstAt = plane + top * g.width
                    for x in 0..<ow {
                        best[x] = first[x &* step]
                        at[x] = firstAt &+ x &* g.strideWidth
                    }
                    for i in 0..<g.kernelHeight {
                        for j in 0..<g.kernelWidth where i > 0 || j > 0 {
                            let tap = image + (top + i) * strideH + j * strideW
                            let tapAt = plane + (top + i) * g.width + j
                            for x in 0..<ow {
                                let v = tap[x &* step]
                                let take = v > best[x] || v.isNaN
                                best[x] = take ? v : best[x]
                                at[x] = take ? tapAt &+ x &* g.strideWidth : at[x]
                            }
                        }
                    }
                }
            }
        }
    }

    /// Matches the default `scatterAdd`: the same additions in the same order (an index that
    /// repeats receives its entries in increasing i).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func scatterAdd<S: TensorScalar>(_ indices: [Int], outer: Int, extent: Int, inner: Int,
                                            from input: UnsafePointer<S>, into output: UnsafeMutablePointer<S>) {
        indices.withUnsafeBufferPointer { indices in
            for o in 0..<outer {
                let source = input + o * indices.count * inner, target = output + o * extent * inner
                if inner == 1 {
                    for (i, index) in indices.enumerated() { target[index] += source[i] }
                } else {
                    for (i, index) in indices.enumerated() {
                        let from = source + i * inner, to = target + index * inner
                        for j in 0..<inner { to[j] += from[j] }
                    }
                }
            }
        }
    }
}

/// Float max-pooling of 2 × 2 windows at stride 2, four windows at a time in SIMD4 lanes (the
/// width of every x86-64 vector unit, so the compiler never splits a vector or its mask): the
/// eight consecutive numbers of each of the two rows split into their even and odd halves (the
/// windows' left and right columns), and the same select as above. Which tap won is carried as
/// an integer offset stored in a Float lane's bits, so that the select on it is the same
/// bitwise blend as on the values.
enum MaxPool2x2 {
    /// The `count` (≥ 4) windows of one output row: `top` points at the first of the two
    /// image rows, `firstIndex` is the arg-max index of its element 0 (indices below 2³¹).
    /// The last group overlaps the one before when `count` is not a multiple of 4 (it writes
    /// the same values again).
    static func row(_ top: UnsafeRawPointer, rowStride: Int, count: Int, firstIndex: Int, width: Int,
                    into output: UnsafeMutableRawPointer, argmax: UnsafeMutablePointer<Int>) {
        let bottom = top + rowStride * MemoryLayout<Float>.stride
        // The taps' offsets from the window's top-left element, as bit patterns.
        let right = Float(bitPattern: 1), below = Float(bitPattern: UInt32(width)),
            belowRight = Float(bitPattern: UInt32(width + 1))
        var x = 0
        while true {
            let (upper0, upper1) = (top.loadUnaligned(fromByteOffset: 8 * x, as: SIMD4<Float>.self),
                                    top.loadUnaligned(fromByteOffset: 8 * x + 16, as: SIMD4<Float>.self))
            let (lower0, lower1) = (bottom.loadUnaligned(fromByteOffset: 8 * x, as: SIMD4<Float>.self),
                                    bottom.loadUnaligned(fromByteOffset: 8 * x + 16, as: SIMD4<Float>.self))
            var best = SIMD4(upper0[0], upper0[2], upper1[0], upper1[2]), offset = SIMD4<Float>()
            @inline(__always) func take(_ v: SIMD4<Float>, _ tap: Float) {
                let wins = (v .> best) .| (v .!= v)
                best.replace(with: v, where: wins)
                offset.replace(with: tap, where: wins)
            }
            take(SIMD4(upper0[1], upper0[3], upper1[1], upper1[3]), right)
            take(SIMD4(lower0[0], lower0[2], lower1[0], lower1[2]), below)
            take(SIMD4(lower0[1], lower0[3], lower1[1], lower1[3]), belowRight)
            output.storeBytes(of: best, toByteOffset: 4 * x, as: SIMD4<Float>.self)
            let left = SIMD4<Int32>(0, 2, 4, 6) &+ Int32(truncatingIfNeeded: firstIndex + 2 * x)
            let at = left &+ unsafeBitCast(offset, to: SIMD4<Int32>.self)
            for l in 0..<4 { argmax[x + l] = Int(at[l]) }
            if x == count - 4 { return }
            x = Swift.min(x + 4, count - 4)
        }
    }
}
#endif
