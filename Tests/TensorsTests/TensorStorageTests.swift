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

    /// Shapes that keep changing (a new size asked for every time) do not grow the pool's
    /// bookkeeping without end: it remembers about as many sizes as it holds blocks of.
    @Test func everChangingSizesAreNotRememberedForever() {
        var pool = FreeBlocks(capacity: 10_000)
        for size in 1...5_000 {
            _ = pool.take(size)
            _ = pool.keep(size, size) { _ in }
        }
        #expect(pool.rememberedSizes <= 2 * pool.blocks.count + 65, "\(pool.rememberedSizes) sizes remembered")
        #expect(pool.blocks.count < 10, "only a few blocks fit in 10,000 bytes")
        // Taking the last block of a size forgets the size's (empty) list too.
        let held = pool.blocks.keys.first!
        while pool.take(held) != nil {}
        #expect(pool.blocks[held] == nil)
    }
}
