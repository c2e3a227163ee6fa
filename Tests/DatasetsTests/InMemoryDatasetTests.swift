// InMemoryDatasetTests.swift — building a data set checks its input; subsets, reshapes and
// the train/test split pick the rows they say.

import Datasets
import Testing

@Suite struct InMemoryDatasetTests {
    private func small() throws -> InMemoryDataset<Float> {
        // Example i is (10i, 10i + 1); labels 0, 1, 2, 0, 1.
        let features: [Float] = (0..<5).flatMap { (i: Int) -> [Float] in [Float(10 * i), Float(10 * i + 1)] }
        return try InMemoryDataset(features: features,
                                   labels: [0, 1, 2, 0, 1], exampleShape: [2], classCount: 3, classNames: ["a", "b", "c"])
    }

    @Test func readsBackWhatItWasGiven() throws {
        let data = try small()
        #expect(data.count == 5)
        #expect(data.exampleSize == 2)
        #expect(Array(data.example(at: 3)) == [30, 31])
        #expect(data.classCounts() == [2, 2, 1])
        #expect(data.classNames == ["a", "b", "c"])
    }

    @Test func badConstructionIsATypedError() {
        #expect(throws: DatasetError.featureCountMismatch(features: 5, examples: 2, exampleShape: [2])) {
            try InMemoryDataset<Float>(features: [1, 2, 3, 4, 5], labels: [0, 1], exampleShape: [2], classCount: 2)
        }
        #expect(throws: DatasetError.labelOutOfRange(label: 2, index: 1, classCount: 2)) {
            try InMemoryDataset<Float>(features: [1, 2], labels: [0, 2], exampleShape: [1], classCount: 2)
        }
        #expect(throws: DatasetError.labelOutOfRange(label: -1, index: 0, classCount: 2)) {
            try InMemoryDataset<Float>(features: [1], labels: [-1], exampleShape: [1], classCount: 2)
        }
        #expect(throws: DatasetError.classNameCountMismatch(names: 1, classCount: 2)) {
            try InMemoryDataset<Float>(features: [1], labels: [0], exampleShape: [1], classCount: 2, classNames: ["x"])
        }
        #expect(throws: DatasetError.invalidShape(exampleShape: [-1], classCount: 2)) {
            try InMemoryDataset<Float>(features: [], labels: [], exampleShape: [-1], classCount: 2)
        }
    }

    @Test func subsetsAndSplitsTakeTheNamedRowsInOrder() throws {
        let data = try small()
        let subset = try data.subset([4, 1, 1])
        #expect(subset.features == [40, 41, 10, 11, 10, 11])
        #expect(subset.labels == [1, 1, 1])
        let split = try data.split(order: [3, 0, 4, 2, 1], trainCount: 2)
        #expect(split.train.features == [30, 31, 0, 1])
        #expect(split.test.labels == [1, 2, 1])
        #expect(throws: DatasetError.indexOutOfRange(index: 5, position: 1, count: 5)) { try data.subset([0, 5]) }
        #expect(throws: DatasetError.invalidSplit(trainCount: 6, available: 5)) {
            try data.split(order: [0, 1, 2, 3, 4], trainCount: 6)
        }
    }

    @Test func aSeededSplitIsTheEpochOrderCut() throws {
        let data = try small()
        let split = try data.split(trainFraction: 0.6, seed: 11)
        let order = epochOrder(seed: 11, count: 5)
        #expect(split.train.count == 3 && split.test.count == 2)
        let trainFeatures: [Float] = order.prefix(3).flatMap { (i: Int) -> [Float] in [Float(10 * i), Float(10 * i + 1)] }
        #expect(split.train.features == trainFeatures)
        #expect(split.test.labels == order.suffix(2).map { [0, 1, 2, 0, 1][$0] })
        #expect(throws: DatasetError.invalidFraction(1.5)) { try data.split(trainFraction: 1.5, seed: 0) }
    }

    @Test func reshapingKeepsTheFeatures() throws {
        let data = try InMemoryDataset<Float>(features: (0..<8).map(Float.init), labels: [0, 1],
                                              exampleShape: [4], classCount: 2)
        let images = try data.reshapingExamples(to: [1, 2, 2])
        #expect(images.exampleShape == [1, 2, 2])
        #expect(images.features == data.features)
        #expect(throws: DatasetError.reshapeMismatch(from: [4], to: [3])) { try data.reshapingExamples(to: [3]) }
    }

    @Test func errorDescriptionsSayWhatToDo() {
        let text = DatasetError.labelOutOfRange(label: 7, index: 3, classCount: 5).description
        #expect(text.contains("label 7") && text.contains("position 3") && text.contains("0..<5"))
        #expect(DatasetError.invalidBatchSize(0).description == "the batch size 0 must be at least 1")
    }
}
