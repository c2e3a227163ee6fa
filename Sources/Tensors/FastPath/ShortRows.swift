// ShortRows.swift — fast path, outside the reading order: copying the short rows of an
// unfold (im2col) as whole 32-byte vectors.
//
// Without padding, unfold is one copy per output row, OW numbers long: 11 Floats (44 bytes)
// for W6's second convolution, 26 for its first. A `memcpy` call that short costs more in
// its call and its size dispatch than in moving the bytes. Here a row moves as one to four
// 32-byte vector loads and stores, rounded up: the copy runs past the row's end, and the
// next row's copy (which starts there) overwrites the extra bytes. The caller checks that
// the rounded-up copy stays inside both buffers, and copies the last rows exactly. So the
// rows must be written in order by one thread: split across threads, a row's extra bytes
// could land on a row another thread has already written.
// Measured: Docs/performance.md, "Session 10".
//
// Read next: nothing; back to BLASBackend.swift's `unfold`.

/// A row of up to 128 bytes copied as 32-byte vectors, with its length rounded up.
struct ShortRowCopy {
    /// How many 32-byte vectors one row takes (1 to 4).
    let vectors: Int

    /// The copy for rows of `bytes` bytes, or nil if rows that long are left to `memcpy`.
    init?(rowBytes bytes: Int) {
        guard bytes > 0 && bytes <= 128 else { return nil }
        vectors = (bytes + 31) / 32
    }

    /// How many bytes a copy reads and writes: the row rounded up to whole vectors.
    var bytes: Int { vectors * 32 }

    /// Copies `self.bytes` bytes from `source` to `target` (the buffers do not overlap).
    @inline(__always)
    func copy(_ source: UnsafeRawPointer, to target: UnsafeMutableRawPointer) {
        typealias V = SIMD8<UInt32>  // 32 bytes, copied bit for bit
        // Every load before any store, each case written out: a loop over the vectors ran
        // slower than memcpy itself.
        switch vectors {
        case 1:
            target.storeBytes(of: source.loadUnaligned(as: V.self), as: V.self)
        case 2:
            let a = source.loadUnaligned(as: V.self), b = source.loadUnaligned(fromByteOffset: 32, as: V.self)
            target.storeBytes(of: a, as: V.self)
            target.storeBytes(of: b, toByteOffset: 32, as: V.self)
        case 3:
            let a = source.loadUnaligned(as: V.self), b = source.loadUnaligned(fromByteOffset: 32, as: V.self),
                c = source.loadUnaligned(fromByteOffset: 64, as: V.self)
            target.storeBytes(of: a, as: V.self)
            target.storeBytes(of: b, toByteOffset: 32, as: V.self)
            target.storeBytes(of: c, toByteOffset: 64, as: V.self)
        default:
            let a = source.loadUnaligned(as: V.self), b = source.loadUnaligned(fromByteOffset: 32, as: V.self),
                c = source.loadUnaligned(fromByteOffset: 64, as: V.self), d = source.loadUnaligned(fromByteOffset: 96, as: V.self)
            target.storeBytes(of: a, as: V.self)
            target.storeBytes(of: b, toByteOffset: 32, as: V.self)
            target.storeBytes(of: c, toByteOffset: 64, as: V.self)
            target.storeBytes(of: d, toByteOffset: 96, as: V.self)
        }
    }
}
