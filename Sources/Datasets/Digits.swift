// Digits.swift — the 8 × 8 handwritten digits, bundled with Lumen: 1,797 images, the UCI
// optdigits test set as scikit-learn ships it (Resources/README.md names source and licence),
// and the fixed train/test split the peer benchmarks use (WORKLOADS.md, W3).
//
// Read next: IDXFile.swift and MNIST.swift (the same for files the user has).

import Files
import Foundation

/// Facts about the bundled digits, and the files they are read from.
public enum Digits {
    /// The number of images.
    public static let count = 1797
    /// The training-set size of the standard split; the other 297 images are the test set.
    public static let trainCount = 1500
    /// The largest pixel value: each pixel counts the set pixels in a 4 × 4 block of the
    /// original 32 × 32 bitmap, so it is in 0...16.
    public static let maximumPixel = 16
    /// The class names, "0" … "9".
    public static let classNames = (0..<10).map(String.init)

    /// The order of the standard split: numpy's `RandomState(0).permutation(1797)`, shipped
    /// as Resources/digits_perm_seed0.txt. It starts 1081, 1707, 927, 713, 262.
    /// Train = the rows `splitOrder[0 ..< 1500]` in that order, test = `splitOrder[1500...]`.
    public static func splitOrder() throws(DataFileError) -> [Int] {
        let (path, text) = try resourceText("digits_perm_seed0", "txt")
        var order = [Int]()
        order.reserveCapacity(count)
        var seen = [Bool](repeating: false, count: count)
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty && order.count == count { continue }
            guard let index = Int(line), index >= 0, index < count, !seen[index] else {
                throw .malformedText(path: path, line: offset + 1,
                                     reason: "expected an index in 0..<\(count) not seen before, found \"\(line)\"")
            }
            seen[index] = true
            order.append(index)
        }
        guard order.count == count else {
            throw .malformedText(path: path, line: order.count + 1, reason: "the permutation ends after \(order.count) of \(count) indices")
        }
        return order
    }
}

/// How to shape one example of an image data set.
public enum ImageLayout: Sendable {
    /// One flat vector of pixels, `[rows · columns]`, for a multilayer perceptron.
    case flat
    /// One channel of rows × columns, `[1, rows, columns]`, for a convolution.
    case image
}

extension InMemoryDataset {
    /// The bundled digits: 1,797 examples, features pixel/16 in [0, 1] (as WORKLOADS.md's W3
    /// scales them), labels 0 … 9, in the file's order.
    ///
    /// - Parameter layout: `.flat` gives examples of shape [64], `.image` [1, 8, 8].
    /// - Throws: `DataFileError` only if the bundled files are missing or damaged.
    @_specialize(where Scalar == Float)
    public static func digits(layout: ImageLayout = .flat) throws(DataFileError) -> InMemoryDataset {
        let (path, text) = try resourceText("digits", "csv")
        var features = [Scalar]()
        features.reserveCapacity(Digits.count * 64)
        var labels = [Int]()
        labels.reserveCapacity(Digits.count)
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 65 else {
                throw .malformedText(path: path, line: offset + 1,
                                     reason: "expected 64 pixels and a label, found \(fields.count) fields")
            }
            for field in fields.dropLast() {
                guard let pixel = Int(field), pixel >= 0, pixel <= Digits.maximumPixel else {
                    throw .malformedText(path: path, line: offset + 1,
                                         reason: "pixel \"\(field)\" is not an integer in 0...\(Digits.maximumPixel)")
                }
                // Exact in Float and Double: pixel/16 is a multiple of 2⁻⁴.
                features.append(Scalar(pixel) / Scalar(Digits.maximumPixel))
            }
            guard let label = Int(fields[64]), label >= 0, label <= 9 else {
                throw .malformedText(path: path, line: offset + 1, reason: "label \"\(fields[64])\" is not a digit 0...9")
            }
            labels.append(label)
        }
        guard labels.count == Digits.count else {
            throw .malformedText(path: path, line: labels.count + 1,
                                 reason: "expected \(Digits.count) rows, found \(labels.count)")
        }
        return InMemoryDataset(checkedFeatures: features, labels: labels,
                               exampleShape: layout == .flat ? [64] : [1, 8, 8],
                               classCount: 10, classNames: Digits.classNames)
    }

    /// The digits cut by the standard split (`Digits.splitOrder()`): 1,500 training examples
    /// and 297 test examples, each set in the permutation's order. This is the split of the
    /// peer benchmarks (WORKLOADS.md, W3), so accuracies compare directly.
    public static func digitsSplit(layout: ImageLayout = .flat) throws(DataFileError) -> TrainTestSplit<Scalar> {
        let all = try digits(layout: layout)
        let order = try Digits.splitOrder()
        // The order is a checked permutation of 0..<1797, so the split cannot fail.
        return try! all.split(order: order, trainCount: Digits.trainCount)
    }
}

/// The text of Resources/<name>.<ext>, and its path.
///
/// SwiftPM copies Resources/ into a bundle `Lumen_Datasets.resources` next to the built
/// executable (`.build/release/lumen`) and the test bundle. This looks there, then next to the
/// executable's real file when it was started through a symbolic link, then in this source
/// tree's Resources/ (the files as committed). SwiftPM's generated `Bundle.module` looks in
/// the first and then in the build folder, but stops the program when it finds neither;
/// here a broken install is a typed error instead.
func resourceText(_ name: String, _ ext: String) throws(DataFileError) -> (path: String, text: String) {
    let bundleName = "Lumen_Datasets.resources"
    var folders = [Bundle.main.bundleURL]
    if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
        folders.append(executable.deletingLastPathComponent())
    }
    let inBundles = folders.lazy.compactMap { Bundle(url: $0.appendingPathComponent(bundleName)) }
        .compactMap { $0.url(forResource: name, withExtension: ext, subdirectory: "Resources") }
    let inSources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources/\(name).\(ext)")
    guard let url = inBundles.first
            ?? (FileManager.default.fileExists(atPath: inSources.path) ? inSources : nil) else {
        throw .missingResource(name: "Resources/\(name).\(ext)")
    }
    // Read like any outside file: its kind and size checked first (a broken install could
    // leave anything at that path), then exactly its bytes.
    let bytes: [UInt8]
    do {
        let file = try ReadableFile(path: url.path)
        bytes = try file.read(file.size)
    } catch {
        throw .unreadable(path: url.path, reason: error.reason)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
        throw .malformedText(path: url.path, line: 1, reason: "the file is not UTF-8 text")
    }
    return (url.path, text)
}
