// HTMLExportTests.swift — `lumen learn 3 --html DIR` opened in headless chromium: the page loads
// without errors, moving the slider changes the backprop frame, and a screenshot shows the graph.
//
// The page's own script reports errors into the DOM (#page-errors) and, for `#selftest`, moves
// the first slider as a user would and writes what it saw into #selftest; --dump-dom reads both.

import Foundation
import Testing

@Suite(.enabled(if: LumenBinary.has("chromium"), "chromium is not installed (Scripts/install-deps.sh --tests installs it; ./run-tests runs that)"))
struct HTMLExportTests {
    func chromium(_ dir: String, _ arguments: [String]) throws -> LumenBinary.Outcome {
        try LumenBinary.tool("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                          "--user-data-dir=\(dir)/chromium-profile", "--enable-logging=stderr", "--v=0"]
                                         + arguments, timeout: 90)
    }

    /// PNG width and height from its IHDR chunk.
    func pngSize(_ data: Data) -> (Int, Int)? {
        guard data.count > 24, data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        let bytes = [UInt8](data)
        func be(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }

    @Test func pageLoadsSliderScrubsAndGraphShows() throws {
        let dir = makeTempDirectory()
        let export = try LumenBinary.run(["learn", "3", "--html", dir + "/html", "--out", dir + "/frames", "--progress", dir + "/p"])
        #expect(export.status == 0, "\(export.stderr)")
        let page = dir + "/html/lesson-03.html"
        #expect(export.stdout.contains(page))

        let dom = try chromium(dir, ["--dump-dom", "file://\(page)#selftest"])
        #expect(dom.stdout.contains("selftest before=1 after=7 max=7"), "slider did not move the frame:\n\(dom.stdout.suffix(400))")
        // ← and → pressed on the page (not on the slider) step back and forth, and every frame
        // has the same box, so the picture does not jump while scrubbing.
        #expect(dom.stdout.contains("left=6 right=7 frames=equal"), "\(dom.stdout.suffix(400))")
        #expect(dom.stdout.contains("<pre id=\"page-errors\" hidden=\"\"></pre>"), "the page reported errors")
        let consoleErrors = dom.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
        #expect(consoleErrors.isEmpty, "console: \(consoleErrors)")
        // 1 picture of the whole graph is not in lesson 3; 7 backward frames are.
        #expect(dom.stdout.contains("svgs=7"))

        // A screenshot of the walk, and one of the same page with its pictures hidden: the graph
        // must add visible content.
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let hidden = dir + "/html/hidden.html"
        try html.replacingOccurrences(of: "<svg ", with: "<svg style=\"visibility:hidden\" ").write(toFile: hidden, atomically: true, encoding: .utf8)
        var sizes: [Int] = []
        for (name, file) in [("shot.png", page), ("blank.png", hidden)] {
            let shot = try chromium(dir, ["--screenshot=\(dir)/\(name)", "--window-size=1000,1300", "--hide-scrollbars", "file://\(file)#walk"])
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name)"))
            #expect(pngSize(data).map { $0 == (1000, 1300) } == true, "\(shot.stderr.suffix(300))")
            sizes.append(data.count)
        }
        #expect(sizes[0] > sizes[1] + 10_000, "the screenshot with the graph (\(sizes[0]) B) is not richer than without (\(sizes[1]) B)")
        if let keep = ProcessInfo.processInfo.environment["LUMEN_KEEP_SCREENSHOT"] {
            try? FileManager.default.copyItem(atPath: "\(dir)/shot.png", toPath: keep)
        }
    }

    @Test func drawStepsWritesTheSamePlayerForATensorExpression() throws {
        let dir = makeTempDirectory()
        let page = dir + "/steps.html"
        // Σ(relu(x @ W + b)): backward steps through Σ, relu, + and @.
        let draw = try LumenBinary.run(["draw", "sum(relu(x @ W + b))", "--shape", "x=2x3,W=3x4,b=4", "--steps", page,
                                        "-o", dir + "/graph.svg"])
        #expect(draw.status == 0, "\(draw.stderr)")
        #expect(draw.stdout.contains("wrote \(page)"))
        let dom = try chromium(dir, ["--dump-dom", "file://\(page)#selftest"])
        #expect(dom.stdout.contains("selftest before=1 after=4 max=4 svgs=4 left=3 right=4 frames=equal"), "\(dom.stdout.suffix(400))")
        #expect(dom.stdout.contains("<pre id=\"page-errors\" hidden=\"\"></pre>"), "the page reported errors")
        // b (shape 4) was added to a 2 × 4 matrix: its share is summed over axis 0.
        #expect(dom.stdout.contains("summed over axes [0]"))
    }
}
