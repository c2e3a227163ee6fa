// EpochOrder.swift — the seeded shuffle behind every epoch: Fisher–Yates driven by SplitMix64,
// exactly as ../shared/bench/WORKLOADS.md defines `epoch_order`, so Lumen visits examples in
// the same order as the peer benchmarks (PyTorch, numpy, tinygrad).
//
// Read next: DataLoader.swift.

import Basics

/// A permutation of 0..<count fixed by `seed`.
///
/// Start with a = [0, 1, …, n − 1]. For k = 0 … n − 2: i = n − 1 − k,
/// j = out(seed, k) mod (i + 1), swap a[i] and a[j]. Here out(seed, k) is the k-th output of
/// SplitMix64 started at `seed`. Each of the n! orders is (up to the modulo's tiny bias)
/// equally likely. Check value (WORKLOADS.md, W3): seed 3000, n = 1500 starts 310, 880, 945, 661.
public func epochOrder(seed: UInt64, count: Int) -> [Int] {
    trapUnless(count >= 0, "epochOrder(seed: \(seed), count: \(count)): the count must not be negative")
    var order = Array(0..<count)
    var generator = SplitMix64(seed: seed)
    var i = count - 1
    while i > 0 {
        let j = Int(generator.next() % UInt64(i + 1))
        order.swapAt(i, j)
        i -= 1
    }
    return order
}
