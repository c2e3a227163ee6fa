// ONNXDrawTests.swift — `lumen draw model.onnx` and the reader under it: a file that PyTorch
// exported (Fixtures/torch_resnet_tiny.onnx, made by Fixtures/make_onnx_draw_fixture.py) and
// Lumen's own export of the shipped digits-cnn are read with the structure and shapes that
// their models define (worked out here by hand from the model code, not from the reader);
// bad files get typed errors naming the file and what was wrong, before anything large is
// allocated.
//
// Read next: ../../Sources/Interop/Reading/ONNXReader.swift.

import Foundation
import Testing
@testable import Interop
import Viz

private let torchFixture = fixtures + "/torch_resnet_tiny.onnx"

@Suite struct ONNXDrawTests {
    @Test func aPyTorchExportReadsWithItsModulesAndShapes() throws {
        let graph = try ONNXReader.read(torchFixture)
        #expect(graph.producer.hasPrefix("pytorch "))
        #expect(graph.opsets.first { $0.domain.isEmpty }?.version == 17)
        // The script's TinyResNet: stem conv, relu, block (conv1, bn1, relu, conv2, add, relu),
        // global average pool, flatten, head. PyTorch adds two Identity nodes (bn1's running
        // statistics equal its fresh weight and bias, and the exporter shares them).
        let opTypes: [String] = graph.nodes.map(\.opType).filter { $0 != "Identity" }
        let expectedTypes: [String] = ["Conv", "Relu", "Conv", "BatchNormalization", "Relu", "Conv", "Add", "Relu",
                                       "GlobalAveragePool", "Flatten", "Gemm"]
        #expect(opTypes == expectedTypes)
        #expect(Set(graph.initializers.map(\.name)) == ["stem.weight", "stem.bias", "block.conv1.weight", "block.bn1.weight",
                                                       "block.bn1.bias", "block.conv2.weight", "block.conv2.bias", "head.weight", "head.bias"])
        #expect(graph.initializers.first { $0.name == "stem.weight" }?.shape == [8, 1, 3, 3])
        #expect(graph.initializers.first { $0.name == "head.weight" }?.shape == [10, 8])
        #expect(graph.dataInputs.map(\.name) == ["image"])
        // Shapes by hand: a batch × 1 × 8 × 8 image; 3×3 convolutions with padding 1 keep 8 × 8;
        // the pool leaves 8 × 1 × 1, flatten 8, the head 10.
        let shapes = graph.shapes()
        let batch = ONNXModelGraph.Dimension.named("batch")
        func shape(of op: String, module: String) -> [ONNXModelGraph.Dimension]? {
            graph.nodes.first { $0.opType == op && $0.name.hasPrefix("/\(module)/") }.flatMap { shapes[$0.outputs[0]] }
        }
        #expect(shape(of: "Conv", module: "stem") == [batch, .known(8), .known(8), .known(8)])
        #expect(shape(of: "Add", module: "block") == [batch, .known(8), .known(8), .known(8)])
        #expect(shape(of: "GlobalAveragePool", module: "pool") == [batch, .known(8), .known(1), .known(1)])
        #expect(shapes[graph.nodes.first { $0.opType == "Flatten" }!.outputs[0]] == [batch, .known(8)])
        #expect(shapes["logits"] == [batch, .known(10)])
        // Modules from the node names: the block's own ops share one frame.
        #expect(graph.nodes.compactMap(ONNXModelGraph.module(of:)).filter { $0 == "block" }.count == 3)
        #expect(ONNXModelGraph.module(of: graph.nodes.first { $0.opType == "BatchNormalization" }!) == "block/bn1")
    }

    @Test func lumensOwnExportOfThePretrainedCNNReadsWithEveryLayersShape() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let path = folder + "/digits-cnn.onnx"
        try ONNXExport.write(try SavedModel.load(Pretrained.digitsCNN), to: path)
        let graph = try ONNXReader.read(path)
        #expect(graph.producer == "lumen 1")
        #expect(graph.nodes.map(\.opType) == ["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Reshape", "Gemm", "Relu", "Gemm"])
        // The recipe's layers, by hand: 16 × 8 × 8, pooled to 4 × 4; 32 × 4 × 4, pooled to 2 × 2;
        // 128; 64; 10. The batch is the free "N".
        let expected: [[Int]] = [[16, 8, 8], [16, 8, 8], [16, 4, 4], [32, 4, 4], [32, 4, 4], [32, 2, 2], [128], [64], [64], [10]]
        let shapes = graph.shapes()
        for (node, size) in zip(graph.nodes, expected) {
            #expect(shapes[node.outputs[0]] == [.named("N")] + size.map { .known($0) }, "\(node.name)")
        }
        let modules: [String] = (0..<10).map { String($0) }
        #expect(graph.nodes.map(ONNXModelGraph.module(of:)) == modules)
        let dot = try graph.drawing(path: path).dot()
        for text in ["16×1×3×3", "32×16×3×3", "N×32×2×2", "Gemm", "MaxPool"] { #expect(dot.contains(text), "\(text)") }
    }

    @Test func lumenDrawWritesTheGraphOfBothFiles() throws {
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        let run = try Lumen(["draw", torchFixture, "-o", folder + "/torch.svg", "-o", folder + "/torch.dot"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("torch_resnet_tiny.onnx: 13 nodes, 9 weights, from pytorch"))
        let svg = try String(contentsOfFile: folder + "/torch.svg", encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("block/conv1") && svg.contains("8×1×3×3"))
        let dot = try String(contentsOfFile: folder + "/torch.dot", encoding: .utf8)
        #expect(dot.contains("cluster") && dot.contains("batch×8×8×8"))
        // Options of expressions are refused with the ONNX file.
        let refused = try Lumen(["draw", torchFixture, "--shape", "x=2"])
        #expect(refused.status != 0 && refused.stderr.contains("leave out --shape"))
    }

    @Test func badFilesGetTypedErrorsNamingTheFile() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: torchFixture)))
        func error(_ input: [UInt8]) -> ONNXReadError? {
            do {
                _ = try ONNXReader.decode(input, path: "bad.onnx")
                return nil
            } catch {
                return error
            }
        }
        #expect(error([])?.description == "bad.onnx is not a readable ONNX file: the file is empty")
        // Cut in the middle: a length runs past the end, found by the scan.
        let cut = error(Array(bytes.prefix(bytes.count / 2)))
        #expect(cut?.description.hasPrefix("bad.onnx is not a readable ONNX file: at byte ") == true, "\(String(describing: cut))")
        // A PNG is not an ONNX file.
        #expect(error([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) != nil)
        // A graph (field 7) of 100,001 empty nodes (field 1, length 0): refused by count
        // before protobuf decodes anything.
        let nodes = (0..<2 * 100_001).map { $0 % 2 == 0 ? UInt8(0x0A) : UInt8(0) }
        var model: [UInt8] = [0x3A]
        var length = nodes.count
        while length >= 0x80 { model.append(UInt8(length & 0x7F) | 0x80); length >>= 7 }
        model.append(UInt8(length))
        #expect(error(model + nodes) == .tooMany(path: "bad.onnx", what: "nodes", count: 100_001, limit: 100_000))
        // A negative dimension and a node without an op type: well-formed protobuf, invalid ONNX.
        var proto = Onnx_ModelProto()
        var weight = Onnx_TensorProto()
        weight.name = "w"
        weight.dims = [3, -2]
        proto.graph.initializer = [weight]
        #expect(error(try proto.serializedBytes()) == .invalid(path: "bad.onnx", what: "initializer \"w\"", problem: "a dimension of -2"))
        proto.graph.initializer = []
        proto.graph.node = [Onnx_NodeProto()]
        #expect(error(try proto.serializedBytes())?.description.contains("it has no op_type") == true)
        // An Int64 initializer stored as raw bytes (as PyTorch writes a Reshape's shape): eight
        // little-endian bytes a value, kept as numbers. −1 is eight 0xFF bytes; 400 is 0x0190;
        // 2⁶² + 5 has its top byte 0x40.
        var shapeConstant = Onnx_TensorProto()
        shapeConstant.name = "shape"
        shapeConstant.dims = [3]
        shapeConstant.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        shapeConstant.rawData = Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                      0x90, 0x01, 0, 0, 0, 0, 0, 0,
                                      0x05, 0, 0, 0, 0, 0, 0, 0x40])
        proto.graph.node = []
        proto.graph.initializer = [shapeConstant]
        let decoded = try ONNXReader.decode(try proto.serializedBytes(), path: "shape.onnx")
        #expect(decoded.initializers.first?.int64Values == [-1, 400, (1 << 62) + 5])
        proto.graph.initializer = []
        // Nodes out of order: drawing names the node and the value it uses too early.
        var first = Onnx_NodeProto(), second = Onnx_NodeProto()
        first.opType = "Relu"; first.name = "a"; first.input = ["y"]; first.output = ["z"]
        second.opType = "Relu"; second.name = "b"; second.input = ["x"]; second.output = ["y"]
        proto.graph.node = [first, second]
        let graph = try ONNXReader.decode(try proto.serializedBytes(), path: "order.onnx")
        #expect(throws: ONNXReadError.self) { try graph.drawing(path: "order.onnx") }
        // The command says what was wrong and exits with 1.
        let folder = try makeFolder()
        defer { removeFolder(folder) }
        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: folder + "/cut.onnx"))
        let run = try Lumen(["draw", folder + "/cut.onnx", "-o", folder + "/cut.svg"])
        #expect(run.status == 1 && run.stderr.contains("error: \(folder)/cut.onnx is not a readable ONNX file"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/cut.svg"))
        let missing = try Lumen(["draw", folder + "/missing.onnx"])
        #expect(missing.status == 1 && missing.stderr.contains("cannot read \(folder)/missing.onnx: no such file"))
    }
}
