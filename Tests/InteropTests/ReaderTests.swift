// ReaderTests.swift — the .npy and CSV readers. numpy writes the .npy files (every dtype Lumen
// reads, the kinds it refuses) and lists their values, which Lumen must read exactly; damaged
// files, made here byte by byte, get typed errors naming the file and the place, and a header
// that claims more data than the file holds allocates nothing.
//
// Read next: CommandTests.swift.

import Engine
import Foundation
import Testing
import _TestSupport
@testable import FileFormats
@testable import Interop

@Suite struct NPYFileTests {
    @Test(.enabled(if: Python.interop != nil, Comment(rawValue: Python.interopMissing)))
    func everyArrayNumpyWritesReadsAsNumpyListedIt() throws {
        let python = try #require(Python.interop)
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let listing = try python.runJSON([fixtures + "/npy_cases.py", folder])
        let refused = try #require(listing["refused"] as? [String: String])
        var checked = 0
        for (name, entry) in listing where name != "refused" {
            let description = try #require(entry as? [String: Any])
            let array = try NPYFile.read(folder + "/" + name)
            #expect(array.shape == description["shape"] as? [Int], "\(name)")
            let values = try #require(description["values"] as? [String]).map { Float(try #require(Double($0))) }
            #expect(array.values == values, "\(name)")
            checked += 1
        }
        #expect(checked == 15)
        for (name, mention) in refused {
            do {
                _ = try NPYFile.read(folder + "/" + name)
                Issue.record("\(name) was read")
            } catch {
                #expect(error.description.contains(name) && error.description.contains(mention), "\(error)")
            }
        }
    }

    @Test func lumensOwnTestWriterRoundTrips() throws {
        let values: [Float] = [1.5, -0, .infinity, 3e-39, -7]
        let array = try NPYFile.decode(npyBytes(shape: [5, 1], values: values), path: "x.npy")
        #expect(array.shape == [5, 1])
        #expect(array.values.map(\.bitPattern) == values.map(\.bitPattern))
    }

    /// Damaged files: each is refused with the file's name and the words that say why.
    @Test(arguments: [
        ("empty", [], "magic bytes"),
        ("not npy", Array("PK\u{3}\u{4} a zip file".utf8), "magic bytes"),
        ("version 9", [0x93] + Array("NUMPY".utf8) + [9, 0, 0, 0], "versions 1, 2 and 3"),
        ("header beyond file", [0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0x00] + Array("{}".utf8), "only 2 follow"),
        ("truncated v2 length", [0x93] + Array("NUMPY".utf8) + [2, 0, 1, 0], "inside its header length"),
        ("huge v2 header", [0x93] + Array("NUMPY".utf8) + [2, 0, 0, 0, 0, 0x7F], "more than the 65536"),
    ] as [(String, [UInt8], String)])
    func damagedFilesAreRefused(label: String, bytes: [UInt8], mention: String) {
        do {
            _ = try NPYFile.decode(bytes, path: "\(label).npy")
            Issue.record("\(label) was read")
        } catch {
            #expect(error.description.contains("\(label).npy") && error.description.contains(mention), "\(error)")
        }
    }

    /// Headers that lie or are malformed. A shape of 10¹⁵ values over 12 bytes of data is
    /// refused by arithmetic, without allocating.
    @Test(arguments: [
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000000,), }", "more values than"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", "which is 16 bytes of data, but the file holds 12"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", "at most 18 digits"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (3, -1), }", "expected a size"),
        ("{'descr': '<f4', 'fortran_order': False, }", "no 'shape' tuple"),
        ("{'descr': '<f4', 'fortran_order': 'no', 'shape': (3,), }", "no 'fortran_order'"),
        ("{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", "appears twice"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), } trailing", "after the dict"),
        ("{'descr': '<f4, 'fortran_order': False, 'shape': (3,), }", "expected '}' at character 18"),
        ("{'descr': 'O', 'fortran_order': False, 'shape': (3,), }", "dtype 'O'"),
    ])
    func lyingHeadersAreRefused(header: String, mention: String) {
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8) + [UInt8](repeating: 0, count: 12)
        do {
            _ = try NPYFile.decode(bytes, path: "lie.npy")
            Issue.record("read \(header)")
        } catch {
            #expect(error.description.contains("lie.npy") && error.description.contains(mention), "\(error)")
        }
    }
}

@Suite struct CSVTableTests {
    @Test func rowsWithAHeaderBlankLinesQuotesAndCRLF() throws {
        let text = "a, b ,\"c\"\r\n1,2,3\r\n\r\n \"4.5\" , -6e-1,7\n\n8,9,1e3\n"
        let table = try CSVTable.decode(Array(text.utf8), path: "t.csv")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.width == 3 && table.rowCount == 3)
        #expect(table.values == [1, 2, 3, 4.5, -0.6, 7, 8, 9, 1000])
        #expect(table.lines == [2, 4, 6])
    }

    @Test func numbersOnlyHaveNoHeader() throws {
        let table = try CSVTable.decode(Array("0.5,1\n2,3".utf8), path: "n.csv")
        #expect(table.header == nil && table.values == [0.5, 1, 2, 3])
    }

    @Test(arguments: [
        ("1,2,3\n4,5\n", "line 2: the row has 2 values, but the first row has 3"),
        ("1,2\n3,x\n", "line 2, column 2: 'x' is not a finite number"),
        ("x,y\n1,2\nname,3\n", "line 3, column 1: 'name' is not a finite number"),
        ("1,nan\n", "line 1, column 2: 'nan' is not a finite number"),
        ("1,inf\n", "line 1, column 2: 'inf' is not a finite number"),
        ("1,2,3\n1,,2\n", "line 2, column 2: '' is not a finite number"),
        ("a,b,c\n1,2\n", "line 1: the header has 3 names, but the rows have 2 values"),
        ("1,2\n" + String(repeating: "9", count: 40) + "z,1\n", "line 2, column 1: '" + String(repeating: "9", count: 24) + "…' is not a finite number"),
    ])
    func malformedRowsNameTheLineAndColumn(text: String, message: String) {
        do {
            _ = try CSVTable.decode(Array(text.utf8), path: "bad.csv")
            Issue.record("read \(text)")
        } catch {
            #expect(error.description == "bad.csv, " + message)
        }
    }

    @Test func notUTF8IsRefused() {
        #expect(throws: FileFormatError.self) { try CSVTable.decode([0x31, 0x2C, 0xFF, 0x0A], path: "bin.csv") }
    }
}

@Suite struct InputFileTests {
    @Test func examplesAreCutToTheInputShape() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let values = (0..<128).map(Float.init)
        for (name, shape) in [("a.npy", [2, 1, 8, 8]), ("b.npy", [2, 64])] {
            try write(npyBytes(shape: shape, values: values), to: folder + "/" + name)
            let (count, read) = try InputFile.examples(folder + "/" + name, inputShape: [1, 8, 8])
            #expect(count == 2 && read == values)
        }
        try write(npyBytes(shape: [1, 8, 8], values: Array(values[..<64])), to: folder + "/one.npy")
        #expect(try InputFile.examples(folder + "/one.npy", inputShape: [1, 8, 8]).count == 1)

        try write(npyBytes(shape: [2, 63], values: Array(values[..<126])), to: folder + "/narrow.npy")
        try write(Array("1,2,3\n".utf8), to: folder + "/narrow.csv")
        try write(Array("x\n".utf8), to: folder + "/header-only.csv")
        try write(Array("1,2".utf8), to: folder + "/data.txt")
        for (name, mention) in [("narrow.npy", "an array of shape [2, 63]"), ("narrow.csv", "rows of 3 values"),
                                ("header-only.csv", "no rows of numbers"), ("data.txt", "expected a .csv, .npy or .png file"),
                                ("missing.npy", "no such file")] {
            do {
                _ = try InputFile.examples(folder + "/" + name, inputShape: [1, 8, 8])
                Issue.record("\(name) was read")
            } catch {
                #expect(error.description.contains(name) && error.description.contains(mention), "\(error)")
            }
        }
        #expect(throws: FileFormatError.self) { try InputFile.examples(folder, inputShape: [64]) }
    }

    /// Inputs are opened through Files' bounded reader: a FIFO (which would block an open()
    /// waiting for its writer) and a device are refused at once, naming what they are.
    @Test func aFIFOOrADeviceIsRefusedWithoutBlocking() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let fifo = folder + "/pipe.npy"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: FileFormatError.unreadable(path: fifo, reason: "it is a FIFO (named pipe), not a regular file")) {
            try InputFile.examples(fifo, inputShape: [64])
        }
        #expect(throws: FileFormatError.unreadable(path: "/dev/zero.csv", reason: "no such file")) {
            try InputFile.examples("/dev/zero.csv", inputShape: [64])
        }
        #expect(throws: FileFormatError.unreadable(path: "/dev/zero", reason: "it is a character device, not a regular file")) {
            try InputFile.bytes("/dev/zero")
        }
    }
}

/// Beside the libFuzzer targets (Fuzz/Targets/npy.swift, csv.swift): many seeded random damages of valid files (bytes
/// changed, cut, repeated), each read without a trap; what reads holds the values its shape
/// says. A trap would stop this test process.
@Suite struct DamagedInputTests {
    static func damaged(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var copy = bytes
        switch rng.next() % 4 {
        case 0:
            for _ in 0 ..< 1 + Int(rng.next() % 4) where !copy.isEmpty {
                copy[Int(rng.next() % UInt64(copy.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
        case 1:
            copy = Array(copy.prefix(Int(rng.next() % UInt64(copy.count + 1))))
        case 2:
            let at = Int(rng.next() % UInt64(copy.count + 1))
            copy.insert(contentsOf: Array("(9999999999,".utf8).prefix(1 + Int(rng.next() % 12)), at: at)
        default:
            let at = Int(rng.next() % UInt64(copy.count + 1))
            copy += copy[at...]
        }
        return copy
    }

    @Test func damagedNpyFilesNeverTrap() {
        var rng = SplitMix64(seed: 11)
        let valid = npyBytes(shape: [3, 4], values: (0..<12).map(Float.init))
        var read = 0
        for _ in 0 ..< 20_000 {
            let bytes = Self.damaged(valid, &rng)
            if let array = try? NPYFile.decode(bytes, path: "fuzz.npy") {
                #expect(array.values.count == array.shape.reduce(1, *))
                read += 1
            }
        }
        #expect(read > 0)  // some damages (a changed value) leave a valid file
    }

    @Test func damagedCSVFilesNeverTrap() {
        var rng = SplitMix64(seed: 12)
        let valid = Array("a,b,c\n1,2.5,-3\n4e2,\"5\",6\r\n\n7,8,9\n".utf8)
        for _ in 0 ..< 20_000 {
            if let table = try? CSVTable.decode(Self.damaged(valid, &rng), path: "fuzz.csv") {
                #expect(table.values.count == table.rowCount * table.width && table.lines.count == table.rowCount)
            }
        }
    }
}
