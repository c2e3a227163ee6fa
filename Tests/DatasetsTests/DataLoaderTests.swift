// DataLoaderTests.swift — the loader: seeded shuffles, every example once per epoch, the
// partial last batch (kept or dropped), explicit orders, and the batch tensors' contents.

import Datasets
import Tensors
import Testing

/// n examples of shape [2]: example i is (i, −i), label i mod 3, so any row shows which example it is.
private func numbered(_ n: Int) throws -> InMemoryDataset<Double> {
    try InMemoryDataset(features: (0..<n).flatMap { [Double($0), -Double($0)] }, labels: (0..<n).map { $0 % 3 },
                        exampleShape: [2], classCount: 3)
}

/// A data set of its own, to show that the loader needs only the protocol: n one-pixel
/// "images" [1, 1] whose value is 2i, label i mod 2.
private struct Evens: Dataset {
    let count: Int
    var exampleShape: [Int] { [1, 1] }
    var classCount: Int { 2 }
    var classNames: [String]? { nil }
    var features: [Float] { (0..<count).map { Float(2 * $0) } }
    var labels: [Int] { (0..<count).map { $0 % 2 } }
}

@Suite struct DataLoaderTests {
    @Test func anyConformingDataSetCanBeLoaded() throws {
        let loader = try DataLoader(Evens(count: 5), batchSize: 2, ordering: .shuffled(seed: 1))
        let batches = loader.batches(epoch: 0)
        #expect(batches.map(\.count) == [2, 2, 1])
        for batch in batches {
            #expect(batch.inputs.shape == [batch.count, 1, 1])
            #expect(batch.inputs.scalars == batch.indices.map { Float(2 * $0) })
            #expect(batch.labels == batch.indices.map { $0 % 2 })
        }
    }


    @Test func epochOrderMatchesTheWorkloadCheckValues() {
        // WORKLOADS.md, W3: "epoch 0 order starts 310, 880, 945, 661" for epoch_order(3000, 1500).
        #expect(Array(epochOrder(seed: 3000, count: 1500).prefix(4)) == [310, 880, 945, 661])
    }

    @Test func epochOrderFollowsTheFisherYatesDefinitionByHand() {
        // n = 3, seed 0: out(0, 0) = 0xe220a8397b1dcdaf, out(0, 1) = 0x6e789e6aa1b965f4 (WORKLOADS.md).
        // k = 0: i = 2, j = out(0,0) mod 3; k = 1: i = 1, j = out(0,1) mod 2.
        var a = [0, 1, 2]
        a.swapAt(2, Int(UInt64(0xE220_A839_7B1D_CDAF) % 3))
        a.swapAt(1, Int(UInt64(0x6E78_9E6A_A1B9_65F4) % 2))
        #expect(epochOrder(seed: 0, count: 3) == a)
        #expect(epochOrder(seed: 7, count: 0) == [])
        #expect(epochOrder(seed: 7, count: 1) == [0])
    }

    @Test func theDefaultShuffleIsTheWorkloadOrderForSeedPlusEpoch() throws {
        let loader = try DataLoader(try numbered(1500), batchSize: 64, ordering: .shuffled(seed: 3000))
        #expect(Array(loader.order(epoch: 0).prefix(4)) == [310, 880, 945, 661])
        #expect(loader.order(epoch: 5) == epochOrder(seed: 3005, count: 1500))
    }

    @Test func shufflingIsSeeded() throws {
        let data = try numbered(100)
        let a = try DataLoader(data, batchSize: 10, ordering: .shuffled(seed: 42))
        let b = try DataLoader(data, batchSize: 10, ordering: .shuffled(seed: 42))
        let c = try DataLoader(data, batchSize: 10, ordering: .shuffled(seed: 43_000))
        #expect(a.order(epoch: 3) == b.order(epoch: 3))
        #expect(a.batches(epoch: 3).map(\.indices) == b.batches(epoch: 3).map(\.indices))
        #expect(a.order(epoch: 3) != c.order(epoch: 3))
        #expect(a.order(epoch: 0) != a.order(epoch: 1))
        #expect(a.order(epoch: 0) != Array(0..<100))
        let sequential = try DataLoader(data, batchSize: 10)
        #expect(sequential.order(epoch: 4) == Array(0..<100))
    }

    @Test(arguments: [(n: 10, b: 3), (n: 12, b: 4), (n: 1, b: 5), (n: 1500, b: 64), (n: 0, b: 2), (n: 7, b: Int.max)])
    func everyExampleOncePerEpochWithThePartialBatchLast(n: Int, b: Int) throws {
        let loader = try DataLoader(try numbered(n), batchSize: b, ordering: .shuffled(seed: 9))
        let batches = loader.batches(epoch: 2)
        let expectedCount = n / b + (n % b == 0 ? 0 : 1)
        #expect(batches.count == expectedCount)
        #expect(loader.batchCount == expectedCount)
        let sizes = batches.map(\.count)
        #expect(sizes.dropLast().allSatisfy { $0 == b })
        if n % b != 0 { #expect(sizes.last == n % b) }
        let seen = batches.flatMap(\.indices)
        #expect(seen.sorted() == Array(0..<n))
        #expect(seen == loader.order(epoch: 2))
    }

    @Test func dropLastLeavesOutOnlyThePartialBatch() throws {
        let loader = try DataLoader(try numbered(10), batchSize: 3, ordering: .shuffled(seed: 1), dropLast: true)
        let batches = loader.batches(epoch: 0)
        #expect(batches.count == 3)
        #expect(loader.batchCount == 3)
        #expect(batches.map(\.count) == [3, 3, 3])
        #expect(batches.flatMap(\.indices) == Array(loader.order(epoch: 0).prefix(9)))
        let exact = try DataLoader(try numbered(12), batchSize: 4, dropLast: true)
        #expect(exact.batches(epoch: 0).count == 3)
    }

    @Test func batchTensorsHoldTheRowsOfTheirIndices() throws {
        let loader = try DataLoader(try numbered(7), batchSize: 4, ordering: .shuffled(seed: 5))
        for batch in loader.batches(epoch: 0) {
            #expect(batch.inputs.shape == [batch.count, 2])
            let expected = batch.indices.flatMap { [Double($0), -Double($0)] }
            #expect(batch.inputs.scalars == expected)
            #expect(batch.labels == batch.indices.map { $0 % 3 })
        }
    }

    @Test func anExplicitOrderIsCutIntoConsecutiveSlices() throws {
        let loader = try DataLoader(try numbered(1500), batchSize: 64)
        let order = epochOrder(seed: 3000, count: 1500)
        let batches = try loader.batches(order: order)
        // WORKLOADS.md, W3: 23 full batches and a last one of 28.
        #expect(batches.count == 24)
        #expect(batches[23].count == 28)
        #expect(Array(batches[0].indices.prefix(4)) == [310, 880, 945, 661])
        #expect(batches[0].inputs.scalars[0] == 310)
        #expect(batches.flatMap(\.indices) == order)
        // Orders need not be permutations: repeats and subsets are served as given.
        let repeated = try loader.batches(order: [5, 5, 2])
        #expect(repeated.count == 1 && repeated[0].indices == [5, 5, 2])
    }

    @Test func badLoaderInputIsATypedError() throws {
        let data = try numbered(4)
        #expect(throws: DatasetError.invalidBatchSize(0)) { try DataLoader(data, batchSize: 0) }
        let loader = try DataLoader(data, batchSize: 2)
        #expect(throws: DatasetError.indexOutOfRange(index: 4, position: 1, count: 4)) {
            try loader.batches(order: [0, 4, 1])
        }
        #expect(throws: DatasetError.indexOutOfRange(index: -1, position: 0, count: 4)) {
            try loader.batches(order: [-1])
        }
        #expect(throws: DatasetError.indexOutOfRange(index: 9, position: 0, count: 4)) { try data.gather([9]) }
    }

    @Test func imageShapedExamplesBatchWithTheirShape() throws {
        let data = try InMemoryDataset<Float>(features: (0..<24).map(Float.init), labels: [0, 1, 0],
                                              exampleShape: [2, 2, 2], classCount: 2)
        let batch = try data.gather([2, 0])
        #expect(batch.inputs.shape == [2, 2, 2, 2])
        let expected: [Float] = (16..<24).map { Float($0) } + (0..<8).map { Float($0) }
        #expect(batch.inputs.scalars == expected)
    }
}
