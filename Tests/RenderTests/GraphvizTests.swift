// GraphvizTests.swift — DOT to SVG and PNG through libgvc: output that parses, sizes that agree,
// many threads at once, and typed errors with Graphviz's own messages.

import Engine
import Foundation
import Render
import _TestSupport
import Synchronization
import Testing
import Viz

/// tanh(x·w + b) after backward, drawn with edge labels (the README's picture).
func neuronDOT(title: String = "tanh(x·w + b)") -> String {
    let x = Value(2, label: "x"), w = Value(-3, label: "w"), b = Value(6.8813735870195432, label: "b")
    let n = x * w + b
    n.label = "n"
    let o = tanh(n)
    o.label = "o"
    o.backward()
    return GraphDrawing(tracing: o, edgeLabels: true).dot(options: DrawingOptions(title: title))
}

@Suite struct GraphvizTests {
    @Test func svgParsesAsXMLAndShowsEveryLabel() throws {
        let svg = parseSVG(try Graphviz.render(dot: neuronDOT(), as: .svg))
        #expect(svg.parsed)
        #expect(svg.rootName == "svg")
        // Values from the hand derivation in Tests/VizTests/DOTSnapshotTests.swift.
        for text in ["tanh(x·w + b)", "x", "w", "b", "n", "o", "data", "grad", "2", "-3", "6.881", "-6", "0.8814",
                     "0.7071", "-1.5", "0.5", "1", "×", "+", "tanh", "0.5 × -3 = -1.5", "0.5 × 2 = 1",
                     "0.5 × 1 = 0.5", "1 × 0.5 = 0.5", "|grad|"] {
            #expect(svg.texts.contains(text), "no <text> reading '\(text)'")
        }
    }

    @Test func pngHasTheSignatureAndTheSizeOfTheLayout() throws {
        let dot = neuronDOT()
        let size = try #require(pngSize(try Graphviz.render(dot: dot, as: .png)))
        // The SVG's viewBox gives the same layout in points (1/72 inch); Cairo draws the PNG
        // at 96 pixels per inch, so each point is 4/3 of a pixel.
        let svg = parseSVG(try Graphviz.render(dot: dot, as: .svg))
        let viewBox = try #require(svg.rootAttributes["viewBox"]).split(separator: " ").compactMap { Double($0) }
        try #require(viewBox.count == 4)
        #expect(abs(Double(size.width) - viewBox[2] * 96 / 72) <= 2)
        #expect(abs(Double(size.height) - viewBox[3] * 96 / 72) <= 2)
        #expect(size.width > 2 * size.height)  // six nodes left to right
    }

    @Test func manyThreadsRenderAtOnce() throws {
        // Real threads, not tasks: the cooperative pool has only as many threads as cores.
        let results = Mutex<[Int: (svg: [UInt8], png: [UInt8])]>([:])
        let failures = Mutex<[String]>([])
        let group = DispatchGroup()
        for thread in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    var last: (svg: [UInt8], png: [UInt8]) = ([], [])
                    for round in 0..<3 {
                        let dot = "digraph { a [label=\"thread \(thread)\"]; a -> b; b [label=\"round \(round)\"] }"
                        last = (try Graphviz.render(dot: dot, as: .svg), try Graphviz.render(dot: dot, as: .png))
                    }
                    results.withLock { $0[thread] = last }
                } catch {
                    failures.withLock { $0.append("thread \(thread): \(error)") }
                }
            }
        }
        group.wait()
        #expect(failures.withLock { $0 } == [])
        let rendered = results.withLock { $0 }
        #expect(rendered.count == 8)
        for (thread, output) in rendered {
            #expect(parseSVG(output.svg).texts == ["thread \(thread)", "round 2"])
            #expect(pngSize(output.png) != nil)
        }
    }

    @Test func syntaxErrorsCarryGraphvizsMessage() throws {
        #expect(throws: RenderError.syntax(message: "syntax error in line 1 near '}'")) {
            try Graphviz.render(dot: "digraph { a -> }", as: .svg)
        }
        #expect(throws: RenderError.syntax(message: "syntax error in line 3 near ';'")) {
            try Graphviz.render(dot: "digraph {\n  a -> b;\n  c -> ;\n}", as: .png)
        }
        #expect(throws: RenderError.syntax(message: "the text holds no graph (expected `digraph { ... }`)")) {
            try Graphviz.render(dot: "", as: .svg)
        }
        // An HTML-like label missing its closing '>': the message spans two lines, joined by " / ".
        #expect(throws: RenderError.syntax(message: "syntax error in line 1 scanning a HTML string (missing '>'? "
                                           + "bad nesting? longer than 16384?) / String starting:<<b>x</b]; }")) {
            try Graphviz.render(dot: "digraph { a [label=<<b>x</b]; }", as: .svg)
        }
        // The parser recovers, and an old error does not leak into the next render.
        #expect(parseSVG(try Graphviz.render(dot: "digraph { a -> b }", as: .svg)).texts == ["a", "b"])
    }

    @Test func textAfterTheFirstGraphDoesNotLeakIntoTheNextRender() throws {
        // Graphviz 2.42 keeps unread input between parses; Render drains it.
        #expect(parseSVG(try Graphviz.render(dot: "digraph { a } digraph { b }", as: .svg)).texts == ["a"])
        #expect(parseSVG(try Graphviz.render(dot: "digraph { c }", as: .svg)).texts == ["c"])
        _ = try Graphviz.render(dot: "digraph {\n  d\n}\n\n\n", as: .svg)
        #expect(throws: RenderError.syntax(message: "syntax error in line 1 near '}'")) {
            try Graphviz.render(dot: "digraph { e -> }", as: .svg)
        }
    }

    @Test func escapedLabelsComeBackVerbatim() throws {
        let label = "a<b & \"c\">d"
        let dot = GraphDrawing(tracing: Value(1, label: label)).dot(options: DrawingOptions(title: "x & y < z"))
        let texts = parseSVG(try Graphviz.render(dot: dot, as: .svg)).texts
        #expect(texts.contains(label))
        #expect(texts.contains("x & y < z"))
    }

    @Test func aLongChainIsDrawnWhole() throws {
        // 1 + 150 × 4 = 601 nodes (each step adds two leaves, a × and a +), all drawn: once
        // only the last 500 were.
        var chain = Value(0.1, label: "x")
        for _ in 0..<150 { chain = chain * Value(0.99) + 1 }
        let drawing = GraphDrawing(tracing: chain)
        #expect(drawing.nodes.count == 601 && !drawing.isSummary)
        let texts = parseSVG(try Graphviz.render(dot: drawing.dot(), as: .svg)).texts
        // The first node, x = 0.1, is in the picture.
        #expect(texts.contains("x") && texts.contains("0.1"))
        // Its layout is tens of thousands of points wide; the PNG is scaled down to
        // Graphviz.maximumPNGInches (50) at 96 pixels per inch.
        let png = try #require(pngSize(try Graphviz.render(dot: drawing.dot(), as: .png)))
        #expect(abs(max(png.width, png.height) - 50 * 96) <= 1)
    }

    @Test func aSizeChosenInTheDOTTextIsKept() throws {
        // One inch square at most: 96 × 96 pixels.
        let png = try #require(pngSize(try Graphviz.render(dot: "digraph { size=\"1,1\"; a -> b -> c -> d -> e }", as: .png)))
        #expect(max(png.width, png.height) <= 96 + 1)
    }

    // MARK: - Missing plugins
    //
    // Graphviz reads its plugin directory from GVBINDIR once per process, at the first
    // gvContext(), and keeps it. So these tests run in a child process (a Swift Testing exit
    // test), which points GVBINDIR at a directory of its own before it renders anything.

    @Test func missingLayoutPluginIsReportedWithAnInstallHint() async throws {
        let result = await #expect(
            processExitsWith: .success, observing: [\.standardOutputContent, \.standardErrorContent]
        ) {
            // An empty directory: no config6a, so Graphviz loads no plugins at all.
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            setenv("GVBINDIR", directory, 1)
            printOutcome(of: "digraph { a -> b }", as: .svg)
        }
        let output = try #require(result)
        let stdout = String(decoding: output.standardOutputContent, as: UTF8.self)
        #expect(stdout.contains("layoutPluginMissing dot | Layout type: \"dot\" not recognized. Use one of:"))
        #expect(stdout.contains("hint: install Graphviz's plugins with `apt-get install libgvc6`, then register them with `libgvc6-config-update -c` (as root)"))
        // Graphviz's message came back in the error, not on stderr.
        #expect(!String(decoding: output.standardErrorContent, as: UTF8.self).contains("not recognized"))
    }

    @Test func missingCairoPluginFailsPNGButNotSVG() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent, \.standardErrorContent]) {
            // Only the core plugin (svg and others) and the dot layout: no cairo renderer.
            let directory = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let system = try #require(graphvizPluginDirectory())
            for plugin in ["libgvplugin_core.so.6", "libgvplugin_dot_layout.so.6"] {
                try FileManager.default.createSymbolicLink(atPath: "\(directory)/\(plugin)", withDestinationPath: "\(system)/\(plugin)")
            }
            let config = """
                libgvplugin_core.so.6 core {
                \trender {
                \t\tsvg 1
                \t}
                \tdevice {
                \t\tsvg:svg 1
                \t}
                }
                libgvplugin_dot_layout.so.6 dot_layout {
                \tlayout {
                \t\tdot 0
                \t}
                }

                """
            try config.write(toFile: "\(directory)/config6a", atomically: true, encoding: .utf8)
            setenv("GVBINDIR", directory, 1)
            printOutcome(of: "digraph { a -> b }", as: .svg)
            printOutcome(of: "digraph { a -> b }", as: .png)
        }
        let output = try #require(result)
        let stdout = String(decoding: output.standardOutputContent, as: UTF8.self)
        let stderr = String(decoding: output.standardErrorContent, as: UTF8.self)
        let lines = stdout.split(separator: "\n")
        try #require(lines.count == 3, "child printed: \(stdout) \(stderr)")
        #expect(lines[0] == "rendered svg")
        #expect(lines[1] == "formatPluginMissing png:cairo | renderer for png:cairo is unavailable")
        #expect(lines[2].hasPrefix("hint: PNG output needs Graphviz's cairo plugin (libgvplugin_pango, in libgvc6): `apt-get install libgvc6`"))
    }
}

/// Renders and prints one line saying what happened (and the hint after an error), for the
/// parent test to read.
func printOutcome(of dot: String, as format: ImageFormat) {
    do {
        _ = try Graphviz.render(dot: dot, as: format)
        print("rendered \(format)")
    } catch {
        switch error {
        case .layoutPluginMissing(let engine, let message): print("layoutPluginMissing \(engine) | \(message)")
        case .formatPluginMissing(let format, let message): print("formatPluginMissing \(format) | \(message)")
        default: print("other error: \(error)")
        }
        print("hint: \(error.hint)")
    }
}

/// Where this process loaded Graphviz's plugins from: the `graphviz` directory next to libgvc.
func graphvizPluginDirectory() -> String? {
    // /proc files report a size of 0, so read them to the end rather than by their size.
    guard let file = FileHandle(forReadingAtPath: "/proc/self/maps"),
          let data = try? file.readToEnd() else { return nil }
    let maps = String(decoding: data, as: UTF8.self)
    for line in maps.split(separator: "\n") {
        guard let slash = line.firstIndex(of: "/") else { continue }
        let path = line[slash...]
        if path.hasSuffix("/libgvc.so.6") || path.contains("/libgvc.so.6.") {
            return String(path[..<path.lastIndex(of: "/")!]) + "/graphviz"
        }
    }
    return nil
}
