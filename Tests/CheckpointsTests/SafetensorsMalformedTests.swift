// SafetensorsMalformedTests.swift — every way a file can be broken, each built byte by byte
// here and each expected to give its own typed error (never a crash or a huge allocation).
//
// Read next: JSONParserTests.swift.

import Foundation
import Testing
@testable import Checkpoints
import Tensors

@Suite struct SafetensorsMalformedTests {
    let name = "bad.safetensors"

    func decodeError(_ bytes: [UInt8]) -> CheckpointError? {
        do {
            _ = try Safetensors.decode(bytes, file: name)
            return nil
        } catch {
            return error
        }
    }

    /// A well-formed one-tensor header for `w`, shape [2], F32, 8 bytes.
    let goodEntry = #""w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#
    let eightBytes = float32Bytes([1, 2])

    // MARK: - The length and the header

    @Test func aWellFormedHandMadeFileIsAccepted() throws {
        let file = try Safetensors.decode(safetensorsBytes(header: "{\(goodEntry)}", data: eightBytes), file: name)
        #expect(try file.tensor("w", as: Float.self).scalars == [1, 2])
    }

    @Test(arguments: [0, 1, 7]) func aFileShorterThanTheLengthFieldIsTruncated(size: Int) {
        #expect(decodeError([UInt8](repeating: 0, count: size)) == .tooShortForHeaderLength(file: name, fileSize: size))
    }

    @Test func aHeaderLengthAboveTheCapIsRefusedBeforeAnythingIsRead() {
        let bytes = littleEndian(UInt64(1) << 62) + Array("{}".utf8)
        #expect(decodeError(bytes) == .headerTooLarge(file: name, headerLength: UInt64(1) << 62, limit: 100_000_000))
        let justOver = littleEndian(100_000_001) + Array("{}".utf8)
        #expect(decodeError(justOver) == .headerTooLarge(file: name, headerLength: 100_000_001, limit: 100_000_000))
    }

    @Test func aHeaderLengthBeyondTheFileIsRefused() {
        let header = Array("{\(goodEntry)}".utf8)
        let bytes = littleEndian(UInt64(header.count + 100)) + header + eightBytes
        #expect(decodeError(bytes) == .headerBeyondFile(file: name, headerLength: UInt64(header.count + 100), fileSize: bytes.count))
    }

    @Test func aHeaderThatIsNotJSONIsCorrupt() {
        guard case .corruptHeader(let file, let problem)? = decodeError(safetensorsBytes(header: "{w: 1}", data: [])) else {
            Issue.record("expected corruptHeader"); return
        }
        #expect(file == name)
        #expect(problem.contains("not valid JSON"))
        #expect(problem.contains("header byte 1"))
    }

    @Test func anEmptyHeaderIsCorrupt() {
        guard case .corruptHeader? = decodeError(littleEndian(0) + eightBytes) else { Issue.record("expected corruptHeader"); return }
    }

    @Test func aHeaderThatIsNotUTF8IsCorrupt() {
        let header: [UInt8] = Array(#"{"w"#.utf8) + [0xFF, 0xFE] + Array(#"":{}}"#.utf8)
        guard case .corruptHeader(_, let problem)? = decodeError(littleEndian(UInt64(header.count)) + header) else {
            Issue.record("expected corruptHeader"); return
        }
        #expect(problem.contains("UTF-8"))
    }

    @Test func aHeaderThatIsJSONButNotAnObjectIsCorrupt() {
        #expect(decodeError(safetensorsBytes(header: "[1, 2]", data: []))
                == .corruptHeader(file: name, problem: "it is an array, not a JSON object"))
        #expect(decodeError(safetensorsBytes(header: "\"w\"", data: []))
                == .corruptHeader(file: name, problem: "it is a string, not a JSON object"))
    }

    @Test func textAfterTheHeaderObjectIsCorrupt() {
        guard case .corruptHeader(_, let problem)? = decodeError(safetensorsBytes(header: "{\(goodEntry)}}", data: eightBytes)) else {
            Issue.record("expected corruptHeader"); return
        }
        #expect(problem.contains("after the end"))
    }

    @Test func aDuplicateTensorNameIsCorrupt() {
        guard case .corruptHeader(_, let problem)? = decodeError(safetensorsBytes(header: "{\(goodEntry),\(goodEntry)}", data: eightBytes)) else {
            Issue.record("expected corruptHeader"); return
        }
        #expect(problem.contains("\"w\" appears twice"))
    }

    /// 200 000 nested arrays: refused at the nesting limit, without recursing that deep.
    @Test func deepNestingIsRefusedWithoutOverflowingTheStack() {
        let header = "{\"w\":" + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000) + "}"
        guard case .corruptHeader(_, let problem)? = decodeError(safetensorsBytes(header: header, data: [])) else {
            Issue.record("expected corruptHeader"); return
        }
        #expect(problem.contains("nesting deeper than 32"))
    }

    // MARK: - Bad entries

    @Test func anEntryThatIsNotAnObjectIsBad() {
        #expect(decodeError(safetensorsBytes(header: #"{"w":3}"#, data: []))
                == .badEntry(file: name, tensor: "w", problem: "it is the number 3, not an object"))
    }

    @Test(arguments: ["dtype", "shape", "data_offsets"]) func anEntryWithoutARequiredFieldIsBad(field: String) {
        let fields = [#""dtype":"F32""#, #""shape":[2]"#, #""data_offsets":[0,8]"#].filter { !$0.hasPrefix("\"\(field)\"") }
        let header = "{\"w\":{" + fields.joined(separator: ",") + "}}"
        #expect(decodeError(safetensorsBytes(header: header, data: eightBytes))
                == .badEntry(file: name, tensor: "w", problem: "it has no \"\(field)\" field"))
    }

    @Test func anUnknownDTypeIsBad() {
        let header = #"{"w":{"dtype":"X32","shape":[2],"data_offsets":[0,8]}}"#
        #expect(decodeError(safetensorsBytes(header: header, data: eightBytes))
                == .badEntry(file: name, tensor: "w", problem: "\"dtype\" is \"X32\", which is no safetensors dtype"))
    }

    @Test(arguments: ["-1", "1.5", "2e0", "\"2\"", "null"]) func aShapeThatIsNotNonNegativeIntegersIsBad(extent: String) {
        let header = #"{"w":{"dtype":"F32","shape":["# + extent + #"],"data_offsets":[0,8]}}"#
        guard case .badEntry(_, "w", let problem)? = decodeError(safetensorsBytes(header: header, data: eightBytes)) else {
            Issue.record("expected badEntry for \(extent)"); return
        }
        #expect(problem.contains("\"shape\" holds"))
        #expect(problem.contains("not a non-negative integer"))
    }

    @Test func aHugeNumberIsQuotedShortly() {
        let digits = String(repeating: "9", count: 100_000)
        let header = #"{"w":{"dtype":"F32","shape":["# + digits + #"],"data_offsets":[0,8]}}"#
        guard case .badEntry(_, "w", let problem)? = decodeError(safetensorsBytes(header: header, data: eightBytes)) else {
            Issue.record("expected badEntry"); return
        }
        #expect(problem.contains("(100000 characters)"))
        #expect(problem.count < 200)
    }

    @Test(arguments: ["[0]", "[0,4,8]", "[]", "8"]) func offsetsThatAreNotTwoIntegersAreBad(offsets: String) {
        let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":"# + offsets + "}}"
        guard case .badEntry(_, "w", let problem)? = decodeError(safetensorsBytes(header: header, data: eightBytes)) else {
            Issue.record("expected badEntry for \(offsets)"); return
        }
        #expect(problem.contains("\"data_offsets\""))
    }

    @Test func metadataThatIsNotAMapOfStringsIsBad() {
        let header = #"{"__metadata__":{"epoch":3},"# + goodEntry + "}"
        #expect(decodeError(safetensorsBytes(header: header, data: eightBytes))
                == .badEntry(file: name, tensor: "__metadata__", problem: "the value of 'epoch' is the number 3, not a string"))
        let notObject = #"{"__metadata__":["a"],"# + goodEntry + "}"
        #expect(decodeError(safetensorsBytes(header: notObject, data: eightBytes))
                == .badEntry(file: name, tensor: "__metadata__", problem: "it is an array, not an object of strings"))
    }

    @Test func unknownFieldsInAnEntryAreIgnoredAsByTheReference() throws {
        let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"note":[1,{"x":null}]}}"#
        let file = try Safetensors.decode(safetensorsBytes(header: header, data: eightBytes))
        #expect(try file.tensor("w", as: Float.self).scalars == [1, 2])
    }

    // MARK: - The data buffer

    @Test func offsetsThatEndBeforeTheyBeginAreOutOfRange() {
        let header = #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#
        #expect(decodeError(safetensorsBytes(header: header, data: eightBytes))
                == .offsetsOutOfRange(file: name, tensor: "w", begin: 8, end: 0))
    }

    @Test func offsetsBeyondAnyFileAreBad() {
        let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551615]}}"#
        guard case .badEntry(_, "w", let problem)? = decodeError(safetensorsBytes(header: header, data: eightBytes)) else {
            Issue.record("expected badEntry"); return
        }
        #expect(problem.contains("beyond any file"))
    }

    @Test func aRangeOfTheWrongSizeForItsShapeAndDTypeIsRefused() {
        let header = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        #expect(decodeError(safetensorsBytes(header: header, data: eightBytes))
                == .sizeMismatch(file: name, tensor: "w", dtype: "F32", shape: [3], byteCount: 8))
    }

    @Test func aShapeWhoseElementCountOverflowsIsRefused() {
        let header = #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#
        #expect(decodeError(safetensorsBytes(header: header, data: eightBytes))
                == .sizeMismatch(file: name, tensor: "w", dtype: "F32", shape: [4_294_967_296, 4_294_967_296], byteCount: 8))
    }

    @Test func overlappingTensorsAreRefused() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(decodeError(safetensorsBytes(header: header, data: eightBytes))
                == .overlappingTensors(file: name, first: "a", second: "b"))
    }

    @Test func anEmptyTensorInsideAnotherOverlapsIt() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}"#
        #expect(decodeError(safetensorsBytes(header: header, data: eightBytes))
                == .overlappingTensors(file: name, first: "a", second: "e"))
    }

    @Test func aGapBetweenTensorsIsRefused() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        #expect(decodeError(safetensorsBytes(header: header, data: float32Bytes([1, 2, 3])))
                == .uncoveredBytes(file: name, start: 4, end: 8))
    }

    @Test func bytesAfterTheLastTensorAreRefused() {
        #expect(decodeError(safetensorsBytes(header: "{\(goodEntry)}", data: eightBytes + [0, 0]))
                == .uncoveredBytes(file: name, start: 8, end: 10))
    }

    @Test func dataCutShortIsTruncated() {
        #expect(decodeError(safetensorsBytes(header: "{\(goodEntry)}", data: Array(eightBytes.prefix(5))))
                == .truncated(file: name, expectedBytes: 8, actualBytes: 5))
    }

    /// A header claiming 4 TB of data in a tiny file: refused from the header alone.
    @Test func aHostileSizeIsRefusedWithoutAllocatingIt() {
        let header = #"{"w":{"dtype":"F32","shape":[1099511627776],"data_offsets":[0,4398046511104]}}"#
        #expect(decodeError(safetensorsBytes(header: header, data: eightBytes))
                == .truncated(file: name, expectedBytes: 4_398_046_511_104, actualBytes: 8))
    }

    // MARK: - Files on disk

    @Test func aFileCutShortOnDiskIsTruncated() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = folder + "/cut.safetensors"
        let whole = try Safetensors.encode([(name: "w", tensor: Tensor<Float>([1, 2, 3]))])
        try Data(whole.dropLast(3)).write(to: URL(fileURLWithPath: path))
        #expect(throws: CheckpointError.truncated(file: path, expectedBytes: 12, actualBytes: 9)) {
            try Safetensors.read(from: path)
        }
        try Data(whole.prefix(20)).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Safetensors.read(from: path)
            Issue.record("expected headerBeyondFile")
        } catch {
            guard case .headerBeyondFile(path, _, 20) = error else { Issue.record("got \(error)"); return }
        }
    }

    @Test func aMissingFileIsNotFound() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        #expect(throws: CheckpointError.fileNotFound(file: folder + "/none.safetensors")) {
            try Safetensors.read(from: folder + "/none.safetensors")
        }
    }

    @Test func aFolderIsUnreadable() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        #expect(throws: CheckpointError.unreadable(file: folder, reason: "it is a folder, not a regular file")) {
            try Safetensors.read(from: folder)
        }
    }

    @Test func aDeviceIsNotARegularFile() {
        #expect(throws: CheckpointError.unreadable(file: "/dev/null", reason: "it is a character device, not a regular file")) {
            try Safetensors.read(from: "/dev/null")
        }
    }

    // MARK: - Messages

    /// Every error names its file, and says what to do (or that nothing changed).
    @Test func everyMessageNamesTheFileAndAFix() {
        let file = "x/model.safetensors"
        let errors: [CheckpointError] = [
            .fileNotFound(file: file), .unreadable(file: file, reason: "Permission denied"),
            .writeFailed(file: file, reason: "No space left on device"),
            .tooShortForHeaderLength(file: file, fileSize: 3),
            .headerTooLarge(file: file, headerLength: 1 << 40, limit: 100_000_000),
            .headerBeyondFile(file: file, headerLength: 99, fileSize: 20),
            .corruptHeader(file: file, problem: "it is an array, not a JSON object"),
            .badEntry(file: file, tensor: "w", problem: "it has no \"dtype\" field"),
            .offsetsOutOfRange(file: file, tensor: "w", begin: 8, end: 0),
            .sizeMismatch(file: file, tensor: "w", dtype: "F32", shape: [3], byteCount: 8),
            .overlappingTensors(file: file, first: "a", second: "b"),
            .uncoveredBytes(file: file, start: 4, end: 8),
            .truncated(file: file, expectedBytes: 8, actualBytes: 5),
            .missingTensors(file: file, names: ["0.weight", "0.bias"]),
            .unexpectedTensors(file: file, names: ["extra"]),
            .shapeMismatch(file: file, tensor: "0.weight", expected: [2, 3], found: [3, 2]),
            .dtypeMismatch(file: file, tensor: "0.weight", expected: "F32", found: "F64"),
            .unsupportedDType(file: file, tensor: "0.weight", dtype: "C64"),
            .noSuchTensor(file: file, tensor: "w"),
            .duplicateName(file: file, name: "w"), .reservedName(file: file, name: "__metadata__"),
        ]
        for error in errors {
            let message = error.description
            #expect(message.hasPrefix(file + ":"), "\(message)")
            let advises = ["write it again", "Check", "Nothing was", "nothing was", "Load", "no tensor named", "copy"]
            #expect(advises.contains { message.contains($0) }, "\(message)")
        }
        #expect(CheckpointError.missingTensors(file: file, names: ["0.weight", "0.bias"]).description.contains("0.weight, 0.bias"))
        #expect(CheckpointError.shapeMismatch(file: file, tensor: "0.weight", expected: [2, 3], found: [3, 2]).description
                .contains("has shape [3, 2] in the file but [2, 3] in the model"))
    }
}
