// AtomicFile.swift — writing a file so that it is never seen half-written.
//
// The bytes go to a new temporary file next to the destination (same directory, so the same
// file system), which is then renamed over the destination: rename(2) replaces it in one step.
// If anything fails, the temporary file is removed and the destination is left as it was.
// Render (graphs), Plots (curves) and LessonKit (frames, progress) all write through this one
// function, and each turns `FileWriteError` into its own typed error.
//
// Read next: Sources/Render/Graphviz+Files.swift, one of its callers.

import Glibc

/// A file could not be written: which one, and the system's reason.
public struct FileWriteError: Error, Equatable, Sendable {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// Writing files all at once or not at all.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically. The file gets mode 0644 (`rw-r--r--`).
    public static func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path

        // mkstemp replaces the XXXXXX with a unique suffix and creates the file (mode 0600).
        var template = Array("\(directory)/.\(name).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: systemError()) }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)

        var renamed = false
        defer { if !renamed { unlink(temporaryPath) } }

        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = systemError()
                    return
                }
                offset += written
            }
        }
        if failure == nil && fchmod(descriptor, 0o644) != 0 { failure = systemError() }
        if close(descriptor) != 0 && failure == nil { failure = systemError() }
        if let failure { throw FileWriteError(path: path, reason: failure) }

        guard rename(temporaryPath, path) == 0 else { throw FileWriteError(path: path, reason: systemError()) }
        renamed = true
    }

    /// The text of the current `errno`, such as "No such file or directory".
    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
