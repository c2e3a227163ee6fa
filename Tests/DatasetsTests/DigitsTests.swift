// DigitsTests.swift — the bundled digits: read independently here with a tiny parser of the
// committed CSV, and checked against facts about the data set (its size, its class counts,
// its first image) and the peers' split (WORKLOADS.md, W3).

import Datasets
import Foundation
import Testing

/// The committed CSV, parsed here without the library: rows of 64 pixels and a label.
private let csvRows: [[Int]] = {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Datasets/Resources/digits.csv").standardized
    let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map { $0.split(separator: ",").map { Int($0)! } }
}()

@Suite struct DigitsTests {
    @Test func theDigitsAreTheCSVScaledBySixteen() throws {
        let digits = try InMemoryDataset<Float>.digits()
        #expect(digits.count == 1797 && csvRows.count == 1797)
        #expect(digits.exampleShape == [64] && digits.classCount == 10)
        #expect(digits.classNames == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
        #expect(digits.labels == csvRows.map { $0[64] })
        let scaled: [Float] = csvRows.flatMap { (row: [Int]) -> [Float] in row.prefix(64).map { Float($0) / 16 } }
        #expect(digits.features == scaled)
        let pixelSum = csvRows.reduce(0) { $0 + $1.prefix(64).reduce(0, +) }
        #expect(digits.features.reduce(0.0) { $0 + Double($1) } * 16 == Double(pixelSum))
        // scikit-learn: int(load_digits().data.sum()).
        #expect(pixelSum == 561_718)
    }

    @Test func factsAboutTheDataSetHold() throws {
        let digits = try InMemoryDataset<Double>.digits()
        // scikit-learn's load_digits: per-class counts of the optdigits test set.
        #expect(digits.classCounts() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        // The first image is a 0; its first row of pixels is 0 0 5 13 9 1 0 0.
        #expect(digits.labels[0] == 0)
        let firstRow: [Double] = [0, 0, 5, 13, 9, 1, 0, 0].map { (v: Double) -> Double in v / 16 }
        #expect(Array(digits.example(at: 0).prefix(8)) == firstRow)
        #expect(digits.features.min() == 0 && digits.features.max() == 1)
    }

    @Test func theStandardSplitIsThePeersSplit() throws {
        let order = try Digits.splitOrder()
        #expect(Array(order.prefix(5)) == [1081, 1707, 927, 713, 262])
        #expect(order.sorted() == Array(0..<1797))
        let split = try InMemoryDataset<Float>.digitsSplit()
        #expect(split.train.count == 1500 && split.test.count == 297)
        #expect(Array(split.train.example(at: 0)) == csvRows[1081].prefix(64).map { Float($0) / 16 })
        #expect(split.train.labels[1] == csvRows[1707][64])
        #expect(split.test.labels == order.suffix(297).map { csvRows[$0][64] })
    }

    @Test func theImageLayoutIsOneChannelOfEightByEight() throws {
        let images = try InMemoryDataset<Float>.digits(layout: .image)
        #expect(images.exampleShape == [1, 8, 8])
        let batch = try images.gather([0, 1])
        #expect(batch.inputs.shape == [2, 1, 8, 8])
    }
}
