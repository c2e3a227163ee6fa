// AtomicFile.swift — writing a file so that it is never seen half-written.
//
// The bytes go to a new temporary file next to the destination (same directory, so the same
// file system), which is then renamed over the destination: rename(2) replaces it in one step.
// If anything fails, the temporary file is removed and the destination is left as it was.
// Plots has its own copy of this (Sources/Plots/AtomicFile.swift): the two targets share no
// dependency, by design of Package.swift.
//
// Read next: Tests/RenderTests, which check the error paths.

import Glibc

enum AtomicFile {
    /// Writes `bytes` to `path` atomically. The file gets mode 0644 (`rw-r--r--`).
    static func write(_ bytes: [UInt8], to path: String) throws(RenderError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path

        // mkstemp replaces the XXXXXX with a unique suffix and creates the file (mode 0600).
        var template = Array("\(directory)/.\(name).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw .unwritable(path: path, reason: systemError()) }
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
        if let failure { throw .unwritable(path: path, reason: failure) }

        guard rename(temporaryPath, path) == 0 else { throw .unwritable(path: path, reason: systemError()) }
        renamed = true
    }

    /// The text of the current `errno`, such as "No such file or directory".
    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
