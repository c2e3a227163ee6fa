// LumenRun.swift — running the built `lumen` in a child process and reading what it printed.
//
// LumenCLITests depends on the LumenCLI target, so `swift test` builds `lumen` into the folder
// that holds the test runner itself (/proc/self/exe). Read next: DrawCommandTests.swift.

import Foundation
import XCTest

struct LumenRun {
    let status: Int32
    let stdout: String
    let stderr: String

    static func binary() throws -> String {
        let runner = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let path = URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("lumen").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("no built lumen at \(path); run swift build first")
        }
        return path
    }

    /// Runs `lumen arguments...` in `directory`, with `environment` added to this process's.
    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try LumenRun.binary())
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain standard error on another thread while reading standard output here, so a
        // chatty child cannot fill one pipe and block.
        final class Box: @unchecked Sendable { var data = Data() }
        let errors = Box()
        let drained = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        Thread.detachNewThread {
            errors.data = errHandle.readDataToEndOfFile()
            drained.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errors.data, as: UTF8.self)
        status = process.terminationStatus
    }
}

/// A new empty folder for one test.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
