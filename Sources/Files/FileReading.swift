// FileReading.swift — opening a file that someone else made, without trusting it: its kind is
// checked before anything is read (a FIFO, a device or a folder is refused at once, without
// blocking), its size before anything is allocated, and reads are bounded by a limit that the
// user can raise. Checkpoints (safetensors) and Datasets (IDX, plain or gzip) read through it.
//
// Read next: Sources/Checkpoints/Safetensors+Reading.swift, one of its callers.

import Glibc

/// The largest file, or decompressed data, Lumen reads into memory. A header that claims
/// more is refused before anything is allocated (a corrupt or hostile file cannot make
/// Lumen allocate what is not there), and so is a file that really is larger.
///
/// The default is 1 GiB, twenty times MNIST's largest file decompressed (47 MB). Raise it
/// for one piece of work with
///
///     try ReadLimit.$maximumBytes.withValue(4 << 30) { try load() }
///
/// (`lumen train --max-data-size 4G` does this).
public enum ReadLimit {
    /// 1 GiB.
    public static let defaultMaximumBytes = 1 << 30
    /// The limit in force for the current task.
    @TaskLocal public static var maximumBytes: Int = defaultMaximumBytes

    /// `bytes` in words: "1 GiB", "300 MiB", "512 KiB" or "100 bytes" (rounded down).
    public static func describe(_ bytes: Int) -> String {
        for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] where bytes >= 1 << shift {
            let whole = bytes >> shift
            let tenths = ((bytes - (whole << shift)) * 10) >> shift
            return tenths == 0 ? "\(whole) \(unit)" : "\(whole).\(tenths) \(unit)"
        }
        return "\(bytes) bytes"
    }
}

/// Why a file could not be opened or read. Callers turn it into their own typed error.
public enum FileReadError: Error, Equatable, Sendable {
    /// No file at the path.
    case notFound
    /// The path names something other than a regular file: `kind` is "a folder", "a FIFO
    /// (named pipe)", "a character device", "a block device" or "a socket".
    case notRegularFile(kind: String)
    /// The file (or the data it declares) is larger than `ReadLimit.maximumBytes`.
    case tooLarge(size: Int, limit: Int)
    /// The system refused (`reason` is its message, such as "Permission denied").
    case system(reason: String)

    /// A phrase for an error message, e.g. "it is a FIFO (named pipe), not a regular file".
    public var reason: String {
        switch self {
        case .notFound: "no such file"
        case .notRegularFile(let kind): "it is \(kind), not a regular file"
        case let .tooLarge(size, limit):
            "it is \(ReadLimit.describe(size)), above the limit of \(ReadLimit.describe(limit)) Lumen reads "
                + "(raise it with --max-data-size)"
        case .system(let reason): reason
        }
    }
}

/// A regular file opened for reading, with its size known. Reads never block (a regular file
/// does not) and never return more than asked.
public final class ReadableFile {
    public let path: String
    /// The size when it was opened.
    public let size: Int
    private let descriptor: Int32

    /// Opens `path`, a regular file of at most `ReadLimit.maximumBytes` bytes.
    ///
    /// The kind is checked twice: by `stat` before opening, so that a device is never even
    /// opened, and by `fstat` on what was opened (the path may have changed in between).
    /// The open itself uses O_NONBLOCK, so that it cannot wait for a FIFO's writer.
    ///
    /// - Throws: `.notFound`, `.notRegularFile`, `.tooLarge` or `.system`.
    public init(path: String, limit: Int = ReadLimit.maximumBytes) throws(FileReadError) {
        self.path = path
        var status = stat()
        guard stat(path, &status) == 0 else { throw Self.currentError() }
        try Self.checkKind(status)
        descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { throw Self.currentError() }
        guard fstat(descriptor, &status) == 0 else {
            let error = Self.currentError()
            close(descriptor)
            throw error
        }
        do {
            try Self.checkKind(status)
        } catch {
            close(descriptor)
            throw error
        }
        size = Int(status.st_size)
        guard size <= limit else {
            close(descriptor)
            throw .tooLarge(size: size, limit: limit)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Up to `count` more bytes (fewer only at the end of the file).
    public func read(_ count: Int) throws(FileReadError) -> [UInt8] {
        guard count > 0 else { return [] }
        var failure: Int32?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            while initialized < count {
                let got = Glibc.read(descriptor, buffer.baseAddress! + initialized, count - initialized)
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if got == 0 { return }
                initialized += got
            }
        }
        if let failure { throw .system(reason: String(cString: strerror(failure))) }
        return bytes
    }

    /// Whether the file has no more bytes (one that grew since it was opened has more).
    public func isAtEnd() throws(FileReadError) -> Bool {
        try read(1).isEmpty
    }

    private static func checkKind(_ status: stat) throws(FileReadError) {
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw .notRegularFile(kind: "a folder")
        case S_IFIFO: throw .notRegularFile(kind: "a FIFO (named pipe)")
        case S_IFCHR: throw .notRegularFile(kind: "a character device")
        case S_IFBLK: throw .notRegularFile(kind: "a block device")
        case S_IFSOCK: throw .notRegularFile(kind: "a socket")
        default: throw .notRegularFile(kind: "an unknown kind of file")
        }
    }

    private static func currentError() -> FileReadError {
        let code = errno
        return code == ENOENT || code == ENOTDIR ? .notFound : .system(reason: String(cString: strerror(code)))
    }
}
