// MNIST.swift — MNIST and Fashion-MNIST from the IDX files a user already has (`--data DIR`):
// finding the files under their usual names, plain or .gz, and checking that images and
// labels belong together. Lumen does not download them.
//
// Read next: DataLoader.swift (to batch what this returns).

import Foundation

/// The names, parts and classes of MNIST-style data sets.
public enum MNIST {
    /// Which of the two files pairs to read.
    public enum Part: String, Sendable, CaseIterable {
        /// 60,000 examples: train-images-idx3-ubyte, train-labels-idx1-ubyte.
        case train
        /// 10,000 examples: t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.
        case test

        var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// The two data sets that share the format and the file names; they differ in their classes.
    public enum Variant: String, Sendable, CaseIterable {
        /// Handwritten digits 0 … 9 (LeCun, Cortes and Burges).
        case digits
        /// Zalando's Fashion-MNIST: ten kinds of clothing (Xiao, Rasul and Vollgraf, 2017).
        case fashion

        /// The name of each class, by label.
        public var classNames: [String] {
            switch self {
            case .digits:
                (0..<10).map(String.init)
            case .fashion:
                ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
            }
        }
    }

    /// The file names accepted for a part's images or labels, in the order they are tried:
    /// the original name (train-images-idx3-ubyte), the dotted one some mirrors use
    /// (train-images.idx3-ubyte), and each with ".gz".
    public static func acceptedFileNames(part: Part, labels: Bool) -> [String] {
        let kind = labels ? "labels" : "images"
        let rank = labels ? "idx1-ubyte" : "idx3-ubyte"
        let stems = ["\(part.filePrefix)-\(kind)-\(rank)", "\(part.filePrefix)-\(kind).\(rank)"]
        return stems.flatMap { [$0, $0 + ".gz"] }
    }

    /// The path of the first accepted file name present in `directory`.
    static func locate(in directory: String, part: Part, labels: Bool) throws(DataFileError) -> String {
        let names = acceptedFileNames(part: part, labels: labels)
        let folder = URL(fileURLWithPath: directory)
        for name in names {
            let path = folder.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw .missingFile(directory: directory, expected: names)
    }
}

extension InMemoryDataset {
    /// One part of MNIST or Fashion-MNIST, read from `directory`.
    ///
    /// The images file must hold unsigned bytes in 3 dimensions (count × rows × columns, 28 × 28
    /// for both data sets, though other sizes are accepted); the labels file unsigned bytes in
    /// 1 dimension, one label 0 … 9 per image. Features are pixel/255 in [0, 1].
    ///
    /// - Parameter layout: `.flat` gives examples of shape [rows · columns], `.image`
    ///   [1, rows, columns].
    /// - Throws: `DataFileError` naming the file and the problem (missing with the accepted
    ///   names listed, bad header, wrong type or rank, truncated, corrupt gzip, count mismatch,
    ///   label out of range).
    @_specialize(where Scalar == Float)
    public static func mnist(directory: String, part: MNIST.Part, variant: MNIST.Variant = .digits,
                             layout: ImageLayout = .flat) throws(DataFileError) -> InMemoryDataset {
        let imagesPath = try MNIST.locate(in: directory, part: part, labels: false)
        let labelsPath = try MNIST.locate(in: directory, part: part, labels: true)
        let images = try IDXFile.read(path: imagesPath)
        try expect(images, path: imagesPath, rank: 3)
        let labelFile = try IDXFile.read(path: labelsPath)
        try expect(labelFile, path: labelsPath, rank: 1)
        let (count, rows, columns) = (images.shape[0], images.shape[1], images.shape[2])
        guard rows >= 1 && columns >= 1 else {
            throw .wrongShape(path: imagesPath, expected: "count × rows × columns with rows, columns ≥ 1",
                              found: images.shape)
        }
        guard labelFile.shape[0] == count else {
            throw .countMismatch(imagesPath: imagesPath, images: count, labelsPath: labelsPath, labels: labelFile.shape[0])
        }
        let classNames = variant.classNames
        var labels = [Int]()
        labels.reserveCapacity(count)
        for (index, byte) in labelFile.data.enumerated() {
            guard Int(byte) < classNames.count else {
                throw .labelOutOfRange(path: labelsPath, index: index, label: Int(byte), classCount: classNames.count)
            }
            labels.append(Int(byte))
        }
        let features = images.data.map { Scalar($0) / 255 }
        return InMemoryDataset(checkedFeatures: features, labels: labels,
                               exampleShape: layout == .flat ? [rows * columns] : [1, rows, columns],
                               classCount: classNames.count, classNames: classNames)
    }

    private static func expect(_ array: IDXArray, path: String, rank: Int) throws(DataFileError) {
        guard array.dataType == .unsignedByte else {
            throw .wrongDataType(path: path, expected: .unsignedByte, found: array.dataType)
        }
        guard array.shape.count == rank else { throw .wrongRank(path: path, expected: rank, found: array.shape.count) }
    }
}
