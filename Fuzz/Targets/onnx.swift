// onnx.swift — the libFuzzer target for the ONNX reader (`lumen draw model.onnx`): any bytes
// must give an `ONNXModelGraph` whose node, initializer and value counts are within the
// reader's limits and whose shapes are all worked out without a trap, or an `ONNXReadError`;
// never a crash, an out-of-bounds read (AddressSanitizer watches) or an allocation beyond the
// fuzzer's limit (a file may claim any count, length or shape).
//
// Built and run by Scripts/fuzz.sh onnx SECONDS; seeds in Fuzz/Corpus/onnx: the PyTorch export
// of Tests/InteropTests/Fixtures/make_onnx_draw_fixture.py, and `lumen export` of a moons
// checkpoint (`lumen train moons --epochs 1 -o run && lumen export run/model.safetensors -o …`).

import ONNXReading

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let graph = try? ONNXReader.decode(bytes, path: "fuzz.onnx") else { return 0 }
    if graph.nodes.count > ONNXReader.maximumNodes || graph.initializers.count > ONNXReader.maximumInitializers {
        fatalError("ONNX: \(graph.nodes.count) nodes and \(graph.initializers.count) initializers passed the limits")
    }
    for (name, shape) in graph.shapes() where shape.count > ONNXReader.maximumRank {
        fatalError("ONNX: value \(name) got rank \(shape.count)")
    }
    return 0
}
