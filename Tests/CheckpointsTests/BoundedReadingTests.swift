// BoundedReadingTests.swift — reading a checkpoint from a path without trusting the file: a
// FIFO, a device or a folder is refused at once; a huge (sparse) file is refused from its
// header or its size, before its data is read; NaN and ±∞ weights are refused, naming the
// tensor. (The same files through `lumen train --resume`, with the memory measured in a child
// process, are in Tests/LumenCLITests/HostileFileTests.swift.)

import Files
import Foundation
import Glibc
import Tensors
import Testing
@testable import Checkpoints

@Suite struct BoundedReadingTests {
    func readError(_ path: String) -> CheckpointError? {
        do {
            _ = try Safetensors.read(from: path)
            return nil
        } catch {
            return error
        }
    }

    /// A sparse file of `size` bytes that begins with `prefix` (the rest reads as zeros and
    /// takes no disk space).
    func sparseFile(_ path: String, size: Int, prefix: [UInt8]) {
        let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        #expect(prefix.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == prefix.count)
        #expect(ftruncate(descriptor, off_t(size)) == 0)
        close(descriptor)
    }

    @Test func aFIFOAFolderAndADeviceAreRefusedWithoutBlocking() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let fifo = folder + "/model.safetensors"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(readError(fifo) == .unreadable(file: fifo, reason: "it is a FIFO (named pipe), not a regular file"))
        #expect(readError(folder) == .unreadable(file: folder, reason: "it is a folder, not a regular file"))
        #expect(readError("/dev/zero") == .unreadable(file: "/dev/zero", reason: "it is a character device, not a regular file"))
        #expect(readError(folder + "/absent") == .fileNotFound(file: folder + "/absent"))
    }

    @Test func a50GBSparseFileIsRefusedFromItsHeaderAlone() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/zeros.safetensors"
        sparseFile(path, size: 50 << 30, prefix: [])
        // Above the size limit: refused before a byte is read.
        #expect(readError(path) == .tooLarge(file: path, size: 50 << 30, limit: 1 << 30))
        // With the limit raised, the header (length 0: empty) is refused; the 50 GB are never read.
        let clock = ContinuousClock()
        let start = clock.now
        let error = ReadLimit.$maximumBytes.withValue(100 << 30) { readError(path) }
        guard case .corruptHeader(path, _) = error else {
            Issue.record("expected a corrupt header, got \(String(describing: error))")
            return
        }
        #expect(clock.now - start < .seconds(5))
    }

    @Test func aHeaderClaimingMoreDataThanTheFileHoldsIsRefusedBeforeTheData() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/claims.safetensors"
        // The header describes 4 GiB of F32; the file holds 8 bytes of data.
        let header = #"{"w":{"dtype":"F32","shape":[1073741824],"data_offsets":[0,4294967296]}}"#
        try Data(safetensorsBytes(header: header, data: float32Bytes([1, 2]))).write(to: URL(fileURLWithPath: path))
        #expect(readError(path) == .truncated(file: path, expectedBytes: 4 << 30, actualBytes: 8))
    }

    @Test func aSparseFileWithAValidHeaderIsRefusedByTheLimitAndReadWhenRaised() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/big.safetensors"
        // 2 MiB of F32 zeros, described exactly; over a 1 MiB limit, within a 4 MiB one.
        let count = 1 << 19
        let header = #"{"w":{"dtype":"F32","shape":[\#(count)],"data_offsets":[0,\#(count * 4)]}}"#
        let prefix = safetensorsBytes(header: header, data: [])
        sparseFile(path, size: prefix.count + count * 4, prefix: prefix)
        ReadLimit.$maximumBytes.withValue(1 << 20) {
            #expect(readError(path) == .tooLarge(file: path, size: prefix.count + count * 4, limit: 1 << 20))
        }
        let file = try ReadLimit.$maximumBytes.withValue(4 << 20) { try Safetensors.read(from: path) }
        #expect(try file.tensor("w", as: Float.self).scalars.allSatisfy { $0 == 0 })
    }

    @Test func theTooLargeMessageSaysHowToRaiseTheLimit() {
        #expect(CheckpointError.tooLarge(file: "m.safetensors", size: 50 << 30, limit: 1 << 30).description
                == "m.safetensors: the file is 50 GiB, above the limit of 1 GiB that Lumen reads. If it really is a "
                + "checkpoint that large, raise the limit with --max-data-size; otherwise it is not a checkpoint.")
    }

    // MARK: - NaN and ±∞

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func aNonFiniteWeightIsRefusedNamingTheTensor(bad: Float) throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/nan.safetensors"
        let source = TinyModule<Float>(start: 1)
        source.inner.weight.assign(try Tensor(shape: source.inner.weight.shape,
                                              elements: [1, bad] + [Float](repeating: 0, count: source.inner.weight.count - 2)))
        try Checkpoint.save(source, to: path)

        let target = TinyModule<Float>(start: 100)
        let before = target.namedState.map { $0.tensor.scalars }
        #expect(throws: CheckpointError.nonFiniteValues(file: path, tensor: "inner.weight",
                                                         nanCount: bad.isNaN ? 1 : 0, infiniteCount: bad.isNaN ? 0 : 1)) {
            try Checkpoint.load(path, into: target)
        }
        // All or nothing: the model is as it was.
        #expect(target.namedState.map { $0.tensor.scalars } == before)
        // On request, they load.
        try Checkpoint.load(path, into: target, allowingNonFinite: true)
        #expect(target.inner.weight.scalars[1].isNaN == bad.isNaN)
    }

    @Test func aNonFiniteOptimizerTensorIsRefusedToo() throws {
        let module = TinyModule<Float>(start: 1)
        let bytes = try Checkpoint.encode(module, optimizerState: [("state.0.exp_avg", Tensor<Float>([Float.nan, 1]))])
        #expect(throws: CheckpointError.nonFiniteValues(file: "<memory>", tensor: "__optimizer__.state.0.exp_avg",
                                                         nanCount: 1, infiniteCount: 0)) {
            try Checkpoint.load(Safetensors.decode(bytes), into: TinyModule<Float>(start: 100))
        }
    }

    @Test func theNonFiniteMessageCountsAndAdvises() {
        #expect(CheckpointError.nonFiniteValues(file: "m", tensor: "0.weight", nanCount: 3, infiniteCount: 1).description
                == "m: tensor '0.weight' holds 3 NaN and 1 infinite values. The run that saved it had diverged, or the "
                + "file is damaged; resume from an earlier checkpoint or train afresh. Nothing was loaded.")
    }
}
