// AtomicFile.swift — writing a file so that it is never seen half-written, even after a crash
// or a power loss.
//
// The bytes go to a new temporary file next to the destination (same directory, so the same
// file system); the file is flushed to the disk (fsync), renamed over the destination —
// rename(2) replaces it in one step — and then the directory itself is flushed, so that the
// rename is on the disk too. If anything fails, the temporary file is removed and the
// destination is left as it was. A process killed mid-save cannot remove its temporary file;
// the next save into that folder does (see `removeLeftovers`).
// Render (graphs), Plots (curves), Checkpoints and LessonKit (frames, progress) all write
// through this one function, and each turns `FileWriteError` into its own typed error.
//
// Read next: FileReading.swift (the other direction), then Sources/Render/Graphviz+Files.swift,
// one of this file's callers.

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
    /// Writes `bytes` to `path` atomically and durably. The file gets mode 0644 (`rw-r--r--`).
    ///
    /// The steps, each of which a crash may interrupt without harm to `path`:
    /// 1. remove the temporary files that earlier, interrupted saves to `path` left behind;
    /// 2. create `.<name>.XXXXXX` in the same folder and lock it (`flock`), which marks it
    ///    as in use, so that step 1 of a concurrent save leaves it alone;
    /// 3. write the bytes, then `fsync` the file: its contents are on the disk;
    /// 4. `rename` it over `path`: readers see the old file or the new one, never a mix;
    /// 5. `fsync` the folder: the rename itself is on the disk, so a power loss cannot bring
    ///    back the old file, or lose both.
    public static func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path

        removeLeftovers(of: name, in: directory)

        // mkstemp replaces the XXXXXX with a unique suffix and creates the file (mode 0600).
        var template = Array("\(directory)/\(temporaryPrefix(of: name))XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: systemError()) }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Held until the descriptor is closed (or the process dies): "a save is using this file".
        _ = flock(descriptor, LOCK_EX | LOCK_NB)

        var renamed = false
        var closed = false
        defer {
            if !closed { close(descriptor) }
            if !renamed { unlink(temporaryPath) }
        }

        var failure: String?
        // The test hook "write" stops the process after half the bytes: a save cut short.
        let stopsMidWrite = TestHook.isSet(to: .write)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let wanted = stopsMidWrite ? max(1, buffer.count / 2) : buffer.count - offset
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, wanted)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = systemError()
                    return
                }
                offset += written
                if stopsMidWrite { TestHook.stop(at: .write) }
            }
        }
        TestHook.stop(at: .write)
        if failure == nil && fchmod(descriptor, 0o644) != 0 { failure = systemError() }
        if failure == nil && fsync(descriptor) != 0 { failure = systemError() }
        TestHook.stop(at: .fsync)
        if let failure { throw FileWriteError(path: path, reason: failure) }

        guard rename(temporaryPath, path) == 0 else { throw FileWriteError(path: path, reason: systemError()) }
        renamed = true
        TestHook.stop(at: .rename)
        closed = true
        if close(descriptor) != 0 { throw FileWriteError(path: path, reason: systemError()) }
        syncDirectory(directory)
    }

    /// The start of the temporary files' names for a destination called `name`: `.name.`
    /// (hidden, so that a folder listing does not show a half-written file).
    static func temporaryPrefix(of name: String) -> String {
        ".\(name)."
    }

    /// Removes `.<name>.XXXXXX` files in `directory` that no save is using: a save killed
    /// between creating its temporary file and renaming it leaves one behind. A file is in
    /// use while its writer holds its `flock` lock, and the kernel drops the lock when the
    /// writer exits, however it exits; so a file whose lock can be taken is a leftover.
    /// Failures are ignored: a leftover that cannot be removed costs disk space, not data.
    public static func removeLeftovers(of name: String, in directory: String) {
        guard let folder = opendir(directory) else { return }
        defer { closedir(folder) }
        let prefix = temporaryPrefix(of: name)
        while let entry = readdir(folder) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            // mkstemp's suffix is exactly six letters or digits.
            guard entryName.hasPrefix(prefix), entryName.utf8.count == prefix.utf8.count + 6,
                  entryName.utf8.suffix(6).allSatisfy({ isalnum(Int32($0)) != 0 }) else { continue }
            let candidate = "\(directory)/\(entryName)"
            let descriptor = open(candidate, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            guard descriptor >= 0 else { continue }
            var status = stat()
            if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
               flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                unlink(candidate)
            }
            close(descriptor)
        }
    }

    /// Flushes `directory`'s entries (a rename just made in it) to the disk. Best effort: some
    /// file systems refuse fsync on a directory, and the file itself is already safe.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// The text of the current `errno`, such as "No such file or directory".
    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}

/// For tests only: stop the process abruptly at a point of `AtomicFile.write`, as a crash or a
/// `kill -9` would, to check that a save interrupted there harms nothing.
///
/// Set `LUMEN_TEST_EXIT_AT` to `write` (after half the bytes are written), `fsync` (after the
/// flush, before the rename) or `rename` (after the rename, before the folder is flushed); the
/// process then calls `_exit(86)` there, running no cleanup at all. Unset, this costs one
/// environment lookup per save.
enum TestHook {
    enum Point: String {
        case write, fsync, rename
    }

    /// The exit status of a stopped process, so that a test can tell it from other failures.
    static let exitStatus: Int32 = 86

    static func isSet(to point: Point) -> Bool {
        guard let value = getenv("LUMEN_TEST_EXIT_AT") else { return false }
        return String(cString: value) == point.rawValue
    }

    static func stop(at point: Point) {
        if isSet(to: point) { _exit(exitStatus) }
    }
}
