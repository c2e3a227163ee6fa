// TensorStorageTests.swift — the block pool's bookkeeping (FreeBlocks): exact-size reuse, its
// cap, and which blocks it lets go of when full. Addresses here are plain numbers: FreeBlocks
// only lists them, so no memory is touched.

import Testing
@testable import Tensors

@Suite struct FreeBlocksTests {
    @Test func takesBackOnlyABlockOfTheSameSize() {
        var pool = FreeBlocks(capacity: 100)
        #expect(pool.keep(1000, 30) { _ in Issue.record("nothing should be let go") })
        #expect(pool.take(20) == nil)
        #expect(pool.take(30) == 1000)
        #expect(pool.take(30) == nil)
        #expect(pool.bytes == 0)
    }

    @Test func aBlockLargerThanThePoolIsNotKept() {
        var pool = FreeBlocks(capacity: 100)
        #expect(!pool.keep(1000, 101) { _ in })
        #expect(pool.bytes == 0 && pool.take(101) == nil)
    }

    /// Keeping a block that does not fit lets go of the size asked for least recently, all
    /// its blocks, then of the next stalest, until the block fits.
    @Test func whenFullTheStalestSizesGo() {
        var pool = FreeBlocks(capacity: 100)
        _ = pool.take(40)   // asked for 40 first…
        _ = pool.take(30)   // …then 30
        var released: [Int] = []
        #expect(pool.keep(1, 40) { released.append($0) } && pool.keep(2, 30) { released.append($0) })
        // 70 + 50 > 100: 40 goes (asked before 30), and that is enough.
        #expect(pool.keep(3, 50) { released.append($0) })
        #expect(released == [1] && pool.bytes == 80)
        #expect(pool.take(40) == nil && pool.take(50) == 3)   // 50 is now the latest asked
        #expect(pool.keep(4, 50) { released.append($0) } && pool.bytes == 80)
        // 80 + 60 > 100: first 30 goes (asked second), then 50 (asked last) too.
        released = []
        #expect(pool.keep(5, 60) { released.append($0) })
        #expect(released == [2, 4] && pool.bytes == 60 && pool.take(60) == 5)
    }

    /// A pool full of one size cannot make room for another block of that size.
    @Test func aPoolFullOfOneSizeKeepsNoMoreOfIt() {
        var pool = FreeBlocks(capacity: 100)
        #expect(pool.keep(1, 50) { _ in } && pool.keep(2, 50) { _ in })
        var released: [Int] = []
        #expect(!pool.keep(3, 50) { released.append($0) })
        #expect(released.isEmpty && pool.bytes == 100)
    }
}
