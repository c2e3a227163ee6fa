// Gzip.swift — gzip decompression through zlib (the CZlib shim), streaming: inflating only as
// many bytes as the IDX parser asks for, in chunks of at most 1 MiB, so that memory follows
// the data actually produced and never the size a header claims. zlib checks each member's CRC-32 and length at its end;
// corrupt or cut-short input becomes a `DataFileError.gzipCorrupt` naming the file.
//
// Read next: MNIST.swift.

import CZlib

/// A gzip file (one or more concatenated members, as `cat a.gz b.gz` makes) read as the
/// decompressed bytes, on demand.
final class GzipSource: ByteSource {
    let path: String
    /// The compressed bytes, in memory that does not move (zlib keeps pointers into it).
    private let input: UnsafeMutableBufferPointer<UInt8>
    /// How much of `input` has been handed to zlib.
    private var inputHandedOver = 0
    /// zlib's stream state, at a fixed address (zlib checks that it does not move).
    private let stream: UnsafeMutablePointer<z_stream>
    /// Whether the last member has ended and been checked.
    private var finished = false

    init(compressed: [UInt8], path: String) throws(DataFileError) {
        self.path = path
        guard compressed.starts(with: [0x1F, 0x8B]) else {
            throw .gzipCorrupt(path: path, reason: "it does not start with the gzip magic bytes 1f 8b")
        }
        input = .allocate(capacity: max(compressed.count, 1))
        _ = input.initialize(from: compressed)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = lumen_inflate_init_gzip(stream)
        // From here on a throw runs deinit, which frees both blocks (inflateEnd is harmless
        // on a stream that failed to start).
        guard status == Z_OK else {
            throw .gzipCorrupt(path: path, reason: "zlib could not start inflating (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    func fill(_ buffer: inout [UInt8], upTo total: Int) throws(DataFileError) {
        while buffer.count < total && !finished {
            var chunk = [UInt8](repeating: 0, count: min(total - buffer.count, 1 << 20))
            let produced = try inflateSome(into: &chunk)
            buffer.append(contentsOf: chunk[..<produced])
        }
    }

    func countRemaining(upTo limit: Int) throws(DataFileError) -> Int? {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while !finished {
            total += try inflateSome(into: &chunk)
            if total > limit { return nil }
        }
        return total
    }

    /// The compressed bytes zlib has not consumed yet.
    private var unconsumed: Int { Int(stream.pointee.avail_in) + input.count - inputHandedOver }

    /// Gives zlib the next piece of input when it has used up the last one. avail_in is 32
    /// bits wide, so the input goes over in pieces of at most 1 GiB.
    private func handOverInput() {
        guard stream.pointee.avail_in == 0 && inputHandedOver < input.count else { return }
        let piece = min(input.count - inputHandedOver, 1 << 30)
        stream.pointee.next_in = input.baseAddress! + inputHandedOver
        stream.pointee.avail_in = UInt32(piece)
        inputHandedOver += piece
    }

    /// One call of zlib's `inflate`, writing into `chunk`; returns how many bytes it produced.
    private func inflateSome(into chunk: inout [UInt8]) throws(DataFileError) -> Int {
        handOverInput()
        let (status, produced) = chunk.withUnsafeMutableBufferPointer { out in
            stream.pointee.next_out = out.baseAddress
            stream.pointee.avail_out = UInt32(out.count)
            let status = inflate(stream, Z_NO_FLUSH)
            return (status, out.count - Int(stream.pointee.avail_out))
        }
        switch status {
        case Z_OK:
            return produced
        case Z_STREAM_END:
            try startNextMemberOrFinish()
            return produced
        case Z_BUF_ERROR where unconsumed == 0:
            throw .gzipCorrupt(path: path, reason: "the compressed data ends early; the file is truncated")
        case Z_BUF_ERROR:
            // Output space was given and input remains, so this cannot happen with a sound zlib;
            // an error (rather than a retry) guarantees the loop ends.
            throw .gzipCorrupt(path: path, reason: "zlib could make no progress")
        case Z_MEM_ERROR:
            throw .gzipCorrupt(path: path, reason: "zlib ran out of memory")
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            throw .gzipCorrupt(path: path, reason: message)
        }
    }

    /// After a member's end: another member follows (starting 1f 8b), or the file must end.
    private func startNextMemberOrFinish() throws(DataFileError) {
        guard unconsumed > 0 else {
            finished = true
            return
        }
        handOverInput()
        let next = stream.pointee.next_in!
        guard unconsumed >= 2 && stream.pointee.avail_in >= 2 && next[0] == 0x1F && next[1] == 0x8B else {
            throw .gzipCorrupt(path: path, reason: "\(unconsumed) bytes of unexpected data follow the end of the gzip data")
        }
        inflateReset(stream)
    }
}
