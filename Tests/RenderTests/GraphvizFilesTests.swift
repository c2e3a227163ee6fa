// GraphvizFilesTests.swift — writing graphs to .dot, .svg and .png files: the format comes
// from the extension, and a failed write leaves nothing behind.

import Engine
import Foundation
import Render
import Tensors
import _TestSupport
import Testing

@Suite struct GraphvizFilesTests {
    let dot = "digraph { a -> b }"

    @Test func theExtensionPicksTheFormat() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try Graphviz.write(dot: dot, to: "\(directory)/graph.dot") == .dot)
        #expect(try Graphviz.write(dot: dot, to: "\(directory)/graph.svg") == .svg)
        #expect(try Graphviz.write(dot: dot, to: "\(directory)/graph.PNG") == .png)
        #expect(try String(contentsOfFile: "\(directory)/graph.dot", encoding: .utf8) == dot)
        let svg = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(directory)/graph.svg")))
        #expect(parseSVG(svg).texts == ["a", "b"])
        let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(directory)/graph.PNG")))
        #expect(pngSize(png) != nil)
        // Only the three files: no temporary files left over, and readable by everyone.
        #expect(contentsOfDirectory(directory) == ["graph.PNG", "graph.dot", "graph.svg"])
        let mode = try FileManager.default.attributesOfItem(atPath: "\(directory)/graph.svg")[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    @Test(arguments: ["graph.pdf", "graph", "graph.", ".svg", "dir.svg/graph", "graph.svg.bak"])
    func unknownExtensionsAreRejectedBeforeWriting(name: String) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/\(name)"
        #expect(throws: RenderError.unknownExtension(path: path)) { try Graphviz.write(dot: dot, to: path) }
        #expect(contentsOfDirectory(directory) == [])
    }

    @Test func aMissingDirectoryIsUnwritable() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/missing/graph.svg"
        #expect(throws: RenderError.unwritable(path: path, reason: "No such file or directory")) {
            try Graphviz.write(dot: dot, to: path)
        }
        #expect(contentsOfDirectory(directory) == [])
    }

    @Test func aFailedRenameRemovesTheTemporaryFile() throws {
        // The destination is a directory: the temporary file is written, then rename(2) fails.
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/graph.svg"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect(throws: RenderError.unwritable(path: path, reason: "Is a directory")) {
            try Graphviz.write(dot: dot, to: path)
        }
        #expect(contentsOfDirectory(directory) == ["graph.svg"])
        #expect(contentsOfDirectory(path) == [])
    }

    @Test func aRenderErrorWritesNothingAndKeepsTheOldFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/graph.png"
        try Graphviz.write(dot: dot, to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: RenderError.syntax(message: "syntax error in line 1 near '->'")) {
            try Graphviz.write(dot: "digraph { -> }", to: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(contentsOfDirectory(directory) == ["graph.png"])
    }

    @Test func aNewFileReplacesTheOldOne() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/graph.dot"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        try Graphviz.write(dot: dot, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == dot)
        #expect(contentsOfDirectory(directory) == ["graph.dot"])
    }

    @Test func errorsSayWhatFailedAndHowToFixIt() {
        let cases: [(RenderError, String, String)] = [
            (.syntax(message: "syntax error in line 1 near '}'"),
             "Graphviz could not read the DOT text: syntax error in line 1 near '}'",
             "check the DOT text near the line Graphviz names; in HTML-like labels, & < > \" must be escaped"),
            (.unknownExtension(path: "g.pdf"), "cannot tell the output format of 'g.pdf' from its extension",
             "use a path ending in .dot (Graphviz text), .svg or .png"),
            (.unwritable(path: "/x/g.svg", reason: "Permission denied"), "cannot write '/x/g.svg': Permission denied",
             "check that the directory exists and that you may write to it"),
            (.layoutPluginMissing(engine: "dot", message: "…"), "Graphviz has no 'dot' layout plugin registered",
             "install Graphviz's plugins with `apt-get install libgvc6`, then register them with `libgvc6-config-update -c` (as root)"),
        ]
        for (error, description, hint) in cases {
            #expect(error.description == description)
            #expect(error.hint == hint)
        }
        #expect(RenderError.formatPluginMissing(format: "png:cairo", message: "").hint.contains("SVG and DOT output work without it"))
    }
}

@Suite struct DrawInOneCallTests {
    @Test func aValueAndATensorDrawThemselves() throws {
        let dir = try makeTemporaryDirectory()
        let x = Value(2, label: "x")
        let y = (x * x).tanh()
        y.backward()
        try y.draw(to: dir + "/value.svg", title: "tanh(x²)")
        let texts = parseSVG(try bytesOfFile(dir + "/value.svg")).texts
        #expect(texts.contains("x") && texts.contains("tanh(x²)"))

        let w = try Tensor<Double>(rows: [[1, 2], [3, 4]], requiresGrad: true)
        w.label = "W"
        let loss = w.matmul(w).sum()
        loss.backward()
        try loss.draw(to: dir + "/tensor.png")
        #expect(pngSize(try bytesOfFile(dir + "/tensor.png")) != nil)
        try loss.draw(to: dir + "/tensor.dot", detail: .values)
        let dot = try String(contentsOfFile: dir + "/tensor.dot", encoding: .utf8)
        #expect(dot.contains("[[1, 2], [3, 4]]"))
        #expect(throws: RenderError.self) { try loss.draw(to: dir + "/tensor.pdf") }
    }
}
