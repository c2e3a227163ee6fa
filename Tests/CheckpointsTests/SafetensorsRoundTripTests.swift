// SafetensorsRoundTripTests.swift — writing tensors and reading them back: every shape kind,
// both scalar types, special values bit for bit, metadata, layout written out by hand from
// the specification, and atomic writes.
//
// Read next: SafetensorsMalformedTests.swift.

import Foundation
import Testing
@testable import Checkpoints
import Tensors

@Suite struct SafetensorsRoundTripTests {
    /// Shapes covering a scalar, empty tensors, a vector, a matrix and a 3-d block.
    static let shapes: [[Int]] = [[], [0], [3], [2, 3], [2, 0, 4], [2, 3, 4], [1, 1, 1, 1]]

    /// Values from a formula, with the awkward ones (±0, ±∞, NaN, subnormal, extremes) first.
    static func values<Scalar: TensorScalar>(_ count: Int, _ type: Scalar.Type) -> [Scalar] {
        let special: [Scalar] = [-0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude,
                                 .greatestFiniteMagnitude, -.leastNormalMagnitude]
        return (0..<count).map { index in
            index < special.count ? special[index] : Scalar(Double(index) * 0.37 - 2.5)
        }
    }

    func roundTrip<Scalar: TensorScalar>(_ type: Scalar.Type, bits: (Scalar) -> UInt64) throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/t.safetensors"
        let tensors = Self.shapes.enumerated().map { index, shape in
            (name: "t\(index)", tensor: try! Tensor<Scalar>(shape: shape, elements: Self.values(shape.reduce(1, *), type)))
        }
        try Safetensors.write(tensors, to: path)
        let file = try Safetensors.read(from: path)
        #expect(Set(file.names) == Set(tensors.map(\.name)))
        for (name, original) in tensors {
            let entry = try #require(file[name])
            #expect(entry.dtype == SafetensorsDType.of(type))
            #expect(entry.shape == original.shape)
            let loaded = try file.tensor(name, as: type)
            #expect(loaded.shape == original.shape, "\(name)")
            #expect(loaded.scalars.map(bits) == original.scalars.map(bits), "\(name) differs")
        }
    }

    @Test func floatTensorsRoundTripBitForBit() throws {
        try roundTrip(Float.self) { UInt64($0.bitPattern) }
    }

    @Test func doubleTensorsRoundTripBitForBit() throws {
        try roundTrip(Double.self) { $0.bitPattern }
    }

    @Test func aStridedViewIsWrittenInRowMajorOrder() throws {
        let matrix = try Tensor<Float>(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        let bytes = try Safetensors.encode([(name: "t", tensor: matrix.transposed())])
        let file = try Safetensors.decode(bytes)
        let loaded = try file.tensor("t", as: Float.self)
        #expect(loaded.shape == [3, 2])
        #expect(loaded.scalars == [1, 4, 2, 5, 3, 6])
    }

    /// The whole file written out by hand from the specification: F64 before F32, names in
    /// byte order within a dtype, offsets back to back, spaces up to a multiple of 8.
    @Test func layoutMatchesTheSpecificationWrittenOutByHand() throws {
        let tensors: [(name: String, tensor: SafetensorsTensor)] = [
            ("b", SafetensorsTensor(Tensor<Float>([1, 2]))),
            ("a", SafetensorsTensor(Tensor<Float>(3))),
            ("z", SafetensorsTensor(Tensor<Double>([0.5]))),
        ]
        let header = #"{"z":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"#
            + #""a":{"dtype":"F32","shape":[],"data_offsets":[8,12]},"#
            + #""b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}}"#
        let padded = header + String(repeating: " ", count: (8 - header.utf8.count % 8) % 8)
        let expected = safetensorsBytes(header: padded, data: float64Bytes([0.5]) + float32Bytes([3, 1, 2]))
        #expect(try Safetensors.encode(tensors) == expected)
        #expect(padded.utf8.count % 8 == 0)
    }

    @Test(arguments: 1...16) func headerIsPaddedToAMultipleOfEight(nameLength: Int) throws {
        let bytes = try Safetensors.encode([(name: String(repeating: "n", count: nameLength), tensor: Tensor<Float>([1]))])
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(headerLength % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 4)
        let header = String(decoding: bytes[8..<8 + headerLength], as: UTF8.self)
        #expect(header.trimmingCharacters(in: .whitespaces).hasSuffix("}"))
        #expect(header.count - header.trimmingCharacters(in: .whitespaces).count < 8)
    }

    @Test func metadataRoundTripsIncludingEscapesAndUnicode() throws {
        let metadata = ["epoch": "3", "quote\"back\\slash": "tab\tnew\nline\u{1}", "naïve": "λ → ∞ 🙂"]
        let bytes = try Safetensors.encode([(name: "w", tensor: Tensor<Float>([1]))], metadata: metadata)
        let file = try Safetensors.decode(bytes)
        #expect(file.metadata == metadata)
        let header = String(decoding: bytes.dropFirst(8), as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"epoch":"3","naïve":"λ → ∞ 🙂","quote\"back\\slash":"tab\tnew\nline\u0001"},"#))
    }

    @Test func noMetadataMeansNoMetadataEntry() throws {
        let bytes = try Safetensors.encode([(name: "w", tensor: Tensor<Float>([1]))])
        #expect(!String(decoding: bytes, as: UTF8.self).contains("__metadata__"))
        #expect(try Safetensors.decode(bytes).metadata.isEmpty)
    }

    @Test func anEmptyFileRoundTrips() throws {
        let empty: [(name: String, tensor: Tensor<Float>)] = []
        let bytes = try Safetensors.encode(empty, metadata: ["k": "v"])
        #expect(bytes == safetensorsBytes(header: #"{"__metadata__":{"k":"v"}}      "#, data: []))
        let file = try Safetensors.decode(bytes)
        #expect(file.entries.isEmpty)
        #expect(file.metadata == ["k": "v"])
    }

    @Test func aDuplicateNameIsRefusedAndNothingIsWritten() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/dup.safetensors"
        #expect(throws: CheckpointError.duplicateName(file: path, name: "w")) {
            try Safetensors.write([(name: "w", tensor: Tensor<Float>([1])), (name: "w", tensor: Tensor<Float>([2]))], to: path)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func theMetadataKeyIsNotATensorName() throws {
        #expect(throws: CheckpointError.reservedName(file: "<memory>", name: "__metadata__")) {
            try Safetensors.encode([(name: "__metadata__", tensor: Tensor<Float>([1]))])
        }
    }

    @Test func writingIntoAMissingFolderFailsWithATypedError() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/no/such/folder/w.safetensors"
        do {
            try Safetensors.write([(name: "w", tensor: Tensor<Float>([1]))], to: path)
            Issue.record("expected writeFailed")
        } catch {
            guard case .writeFailed(let file, let reason) = error else { Issue.record("got \(error)"); return }
            #expect(file == path)
            #expect(reason.contains("No such file"))
            #expect(error.description.contains(path))
        }
    }

    @Test func overwritingReplacesTheWholeFileAndLeavesNoTemporaryFiles() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/w.safetensors"
        try Safetensors.write([(name: "long", tensor: Tensor<Float>(Array(repeating: 7, count: 100)))], to: path)
        try Safetensors.write([(name: "w", tensor: Tensor<Float>([1, 2]))], to: path)
        let file = try Safetensors.read(from: path)
        #expect(file.names == ["w"])
        #expect(try file.tensor("w", as: Float.self).scalars == [1, 2])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["w.safetensors"])
    }

    @Test func floatsReadAsDoublesAndDoublesAsFloats() throws {
        let bytes = try Safetensors.encode([(name: "f", tensor: SafetensorsTensor(Tensor<Float>([0.1, -3]))),
                                            (name: "d", tensor: SafetensorsTensor(Tensor<Double>([0.1, 1e300])))])
        let file = try Safetensors.decode(bytes)
        #expect(try file.tensor("f", as: Double.self).scalars == [Double(Float(0.1)), -3])
        #expect(try file.tensor("d", as: Float.self).scalars == [Float(0.1), .infinity])
    }

    @Test func readingAMissingNameIsATypedError() throws {
        let file = try Safetensors.decode(Safetensors.encode([(name: "w", tensor: Tensor<Float>([1]))]), file: "m.safetensors")
        #expect(throws: CheckpointError.noSuchTensor(file: "m.safetensors", tensor: "v")) {
            try file.tensor("v", as: Float.self)
        }
    }
}
