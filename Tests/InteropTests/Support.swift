// Support.swift — what the Interop tests share: temporary folders, a .npy writer (numpy is
// the oracle that reads it back), checkpoints of the recipes' models, and running `lumen`.
//
// Read next: SavedModelTests.swift.

import Checkpoints
import Foundation
import Layers
import Tensors
import Testing
import Training
import _TestSupport

/// A new, empty folder for one test.
func makeFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-interop-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

func removeFolder(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// The Fixtures folder.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// The bytes of a version-1 .npy file of little-endian float32 values (numpy.save's layout),
/// for handing inputs to numpy and onnxruntime.
func npyBytes(shape: [Int], values: [Float]) -> [UInt8] {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
    // Magic (6) + version (2) + length (2) + header + newline: a multiple of 64.
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
    bytes += [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
    bytes += Array(header.utf8)
    for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
    return bytes
}

func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Saves `model` as a self-describing checkpoint of `recipe` (as lumen train would, without
/// training it) and returns the path.
func saveCheckpoint(_ model: Sequential<Float>, recipeName: String?, inputShape: [Int], classNames: [String],
                    in folder: String, name: String = "model.safetensors") throws -> String {
    let path = folder + "/" + name
    var metadata = try ModelSpec(describing: model, inputShape: inputShape, classNames: classNames).metadata
    if let recipeName { metadata[Trainer.MetadataKey.recipe] = recipeName }
    try Checkpoint.save(model, to: path, metadata: metadata)
    return path
}

/// Runs the built `lumen` (LumenCLI is a dependency of this test target, so `swift test`
/// builds it next to the test runner).
struct Lumen {
    let status: Int32
    let stdout: String
    let stderr: String

    init(_ arguments: [String]) throws {
        let runner = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let binary = URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("lumen").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errors = Box()
        let drained = DispatchSemaphore(value: 0)
        let handle = err.fileHandleForReading
        Thread.detachNewThread {
            errors.data = handle.readDataToEndOfFile()
            drained.signal()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: output, as: UTF8.self)
        stderr = String(decoding: errors.data, as: UTF8.self)
    }
}

/// A digits-mlp run of one epoch on the bundled digits, trained once for the whole test
/// process and saved by `Trainer.saveCheckpoint`, as `lumen train` saves it.
enum TrainedDigits {
    nonisolated(unsafe) static let folder = try! makeFolder()
    nonisolated(unsafe) static let trainer: Trainer = {
        var settings = Recipe.digitsMLP.defaults
        settings.epochs = 1
        let trainer = try! Trainer(recipe: .digitsMLP, settings: settings)
        try! trainer.train(progress: nil, checkpointPath: path)
        return trainer
    }()
    nonisolated(unsafe) static let path = folder + "/digits-mlp.safetensors"
    /// The checkpoint, written by the first use of `trainer`.
    static var checkpoint: String {
        _ = trainer
        return path
    }
}
