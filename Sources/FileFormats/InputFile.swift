// InputFile.swift — the inputs of `lumen predict`: a .csv or .npy file read whole (its size
// checked first), then cut into examples of the model's input shape.
//
// Read next: Sources/Interop/SavedModel.swift, where the model that reads these inputs comes from.

import Files
import Foundation

/// Reading input files.
public enum InputFile {
    /// The bytes of the file at `path`, after checking that it is a regular file (a FIFO, a
    /// device or a folder is refused without blocking) of at most `ReadLimit.maximumBytes`
    /// (1 GiB unless raised): Files/FileReading.swift.
    ///
    /// - Throws: `FileFormatError.unreadable` naming the file and the reason.
    public static func bytes(_ path: String) throws(FileFormatError) -> [UInt8] {
        let bytes: [UInt8], complete: Bool
        do throws(FileReadError) {
            let file = try ReadableFile(path: path)
            bytes = try file.read(file.size)
            let atEnd = try file.isAtEnd()
            complete = bytes.count == file.size && atEnd
        } catch {
            throw FileFormatError(error, path: path)
        }
        guard complete else { throw .unreadable(path: path, reason: "it changed size while being read") }
        return bytes
    }

    /// The examples in the file at `path` for a model whose one example has shape
    /// `inputShape`: returns how many, and their values row-major.
    ///
    /// A .csv file gives one example per row, each row `inputShape`'s product of numbers. A
    /// .npy array gives one example when its shape is `inputShape` (or that many values in
    /// one row), and N examples when it is `[N] + inputShape` or `[N, width]`. A .png picture
    /// is one example, for a model whose input is an image: [1, H, W], [H, W], or H · W
    /// values with H = W (PNGImage.swift).
    ///
    /// - Throws: `FileFormatError.unsupportedInput` for another extension, the readers' errors,
    ///   and `.inputDoesNotFit` naming the file, what it holds and what the model expects.
    public static func examples(_ path: String, inputShape: [Int],
                                invertImages: Bool = false) throws(FileFormatError) -> (count: Int, values: [Float]) {
        let width = inputShape.reduce(1, *)
        let expected = "\(width) values per example (input shape \(inputShape))"
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv":
            let table = try CSVTable.read(path)
            guard table.rowCount > 0 else { throw .inputDoesNotFit(path: path, found: "no rows of numbers", expected: expected) }
            guard table.width == width else {
                throw .inputDoesNotFit(path: path, found: "rows of \(table.width) values", expected: expected)
            }
            return (table.rowCount, table.values)
        case "npy":
            let array = try NPYFile.read(path)
            let shape = array.shape
            if shape == inputShape || shape == [width] { return (1, array.values) }
            if shape.count >= 1, Array(shape.dropFirst()) == inputShape || Array(shape.dropFirst()) == [width] {
                guard shape[0] > 0 else { throw .inputDoesNotFit(path: path, found: "an empty array of shape \(shape)", expected: expected) }
                return (shape[0], array.values)
            }
            throw .inputDoesNotFit(path: path, found: "an array of shape \(shape)",
                                   expected: "an array of shape \(inputShape), [N] + \(inputShape) or [N, \(width)]")
        case "png":
            guard let (height, width) = imageSize(inputShape) else {
                throw .inputDoesNotFit(path: path, found: "a picture",
                                       expected: "input shape \(inputShape), which is not one gray image ([1, H, W], [H, W] or a square number of values)")
            }
            return (1, try PNGImage.gray(path, height: height, width: width, invert: invertImages))
        default:
            throw .unsupportedInput(path: path)
        }
    }

    /// The height and width of a model input that is one gray image, or `nil`.
    static func imageSize(_ inputShape: [Int]) -> (height: Int, width: Int)? {
        switch inputShape.count {
        case 3 where inputShape[0] == 1: return (inputShape[1], inputShape[2])
        case 2: return (inputShape[0], inputShape[1])
        case 1:
            let side = Int(Double(inputShape[0]).squareRoot().rounded())
            return side * side == inputShape[0] ? (side, side) : nil
        default: return nil
        }
    }
}
