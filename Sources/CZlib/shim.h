// shim.h — zlib for the Datasets target, which inflates gzip-compressed MNIST IDX files.
// Read next: Sources/Datasets/Gzip.swift.
#include <zlib.h>

/// `inflateInit2` is a C macro, which Swift cannot call; this wraps it. windowBits 15 + 16
/// asks zlib to expect a gzip header and trailer (not a raw zlib stream).
static inline int lumen_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}
