"""Writes .npy files with numpy.save into a folder and lists what they hold.

    python npy_cases.py FOLDER

Prints one JSON object: file name -> {"shape": [...], "values": [float32 values as
float.hex() text]} for the arrays Lumen must read, and "refused" -> {file name: what the
message must mention} for the ones it must refuse. Used by NPYFileTests.swift.
"""
import json
import os
import sys

import numpy as np

folder = sys.argv[1]
rng = np.random.default_rng(7)
readable = {
    "f4_2x3.npy": rng.standard_normal((2, 3)).astype("<f4"),
    "f8_4.npy": rng.standard_normal(4) * 1e3,
    "f2_3x1.npy": np.array([[0.5], [-2.25], [65504]], dtype="<f2"),
    "u1_2x2x2.npy": np.arange(8, dtype=np.uint8).reshape(2, 2, 2) * 31,
    "i1_3.npy": np.array([-128, 0, 127], dtype=np.int8),
    "i2_2.npy": np.array([-32768, 32767], dtype="<i2"),
    "u2_2.npy": np.array([0, 65535], dtype="<u2"),
    "i4_2.npy": np.array([-5, 123456], dtype="<i4"),
    "u4_1.npy": np.array([4000000000], dtype="<u4"),
    "i8_3.npy": np.array([-1, 0, 1 << 40], dtype="<i8"),
    "u8_1.npy": np.array([1 << 60], dtype="<u8"),
    "scalar.npy": np.float32(2.5),
    "empty_0x5.npy": np.zeros((0, 5), dtype=np.float32),
    "long_shape.npy": np.ones((1,) * 20, dtype=np.float32),
}
refused = {
    "fortran.npy": (np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)), "Fortran"),
    "big_endian.npy": (np.arange(3, dtype=">f4"), "'>f4'"),
    "complex.npy": (np.zeros(2, dtype=np.complex64), "'<c8'"),
    "bool.npy": (np.array([True, False]), "'|b1'"),
}
listing = {}
for name, array in readable.items():
    np.save(os.path.join(folder, name), array)
    values = np.asarray(array, dtype=np.float64).astype(np.float32).ravel()
    listing[name] = {"shape": list(np.shape(array)), "values": [float(v).hex() for v in values]}
for name, (array, _) in refused.items():
    np.save(os.path.join(folder, name), array)
listing["refused"] = {name: mention for name, (_, mention) in refused.items()}
# A version 2 header, which numpy writes for headers over 65535 bytes: forced here.
with open(os.path.join(folder, "version2.npy"), "wb") as f:
    np.lib.format.write_array(f, np.arange(3, dtype=np.float32), version=(2, 0))
listing["version2.npy"] = {"shape": [3], "values": [float(v).hex() for v in np.arange(3, dtype=np.float32)]}
print(json.dumps(listing))
