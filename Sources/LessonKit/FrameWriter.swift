// FrameWriter.swift — writes the numbered pictures of a lesson's graphs, each as SVG and PNG:
// step-02-frame-001.svg and .png, step-02-frame-002.svg, ... in one folder per lesson
// (default ./lumen-out/lesson-03/).
//
// The picture is Viz's DOT (highlighted node, done nodes marked, edge labels showing
// upstream × local) rendered by Render, then written atomically. Plots (decision boundaries)
// go into the same folder, numbered the same way (StepContext+Boundary.swift).
// Read next: LessonProgress.swift.

import Engine
import Files
import Foundation
import Render
import Viz

/// Numbers and writes graph pictures for one lesson run.
public final class FrameWriter {
    /// The folder the frames go into.
    public let directory: String
    /// How many frames were written (or attempted) so far.
    public private(set) var count = 0

    /// Frames for lesson `id` under `root` (for example `lumen-out` gives `lumen-out/lesson-03`).
    /// File names start with `prefix`, so each step's frames keep their own numbers.
    public let prefix: String

    public init(root: String, lessonID: Int, prefix: String = "") {
        self.prefix = prefix
        self.directory = (root as NSString).appendingPathComponent(lessonID < 10 ? "lesson-0\(lessonID)" : "lesson-\(lessonID)")
    }

    /// What one written picture left behind: its SVG file and text, its PNG file, or why not.
    public struct Written: Sendable {
        public var svgFile: String?
        public var pngFile: String?
        public var svg: String?
        public var problem: String?
    }

    /// The next numbered file name without its extension: `step-02-frame-003`.
    func nextName(_ kind: String) -> String {
        count += 1
        return prefix + kind + "-" + String(repeating: "0", count: max(0, 3 - String(count).count)) + "\(count)"
    }

    /// Draws the graph ending at `root` and writes the next numbered frame as SVG and PNG.
    /// Never throws: a failure becomes `problem`, shown to the learner instead of the path.
    func write(root: Value, title: String, caption: String?, highlighted: Int?, done: Set<Int>?) -> Written {
        let options = DrawingOptions(title: title, caption: caption, highlighted: highlighted, done: done, showsIDs: true)
        return write(drawing: GraphDrawing(tracing: root, edgeLabels: highlighted != nil), options: options)
    }

    /// Writes the next numbered frame: `drawing` made to fit a laptop screen with its text at
    /// full size (`GraphDrawing.fitted`: turned top to bottom, or folded around the highlighted
    /// node, when it would be wider or taller than 2,000 pixels).
    ///
    /// The fit is decided on an estimate of the layout, which can fall short by a few percent.
    /// So the SVG, laid out first, is measured: when it is still too big, the drawing is fitted
    /// again within a limit shrunk by the overshoot and 5 % more (four times at most), and
    /// only the picture that fits, or the last try, is written.
    func write(drawing: GraphDrawing, options: DrawingOptions) -> Written {
        var limit = GraphDrawing.screenLimit
        var fitted = drawing.fitted(within: limit, options: options)
        var svg = Result { try Graphviz.render(dot: fitted.drawing.dot(options: fitted.options), as: .svg) }
        for _ in 0..<4 {
            guard case .success(let bytes) = svg, let size = Self.svgSize(bytes),
                  max(size.width, size.height) > GraphDrawing.screenLimit else { break }
            limit *= 0.95 * GraphDrawing.screenLimit / max(size.width, size.height)
            fitted = drawing.fitted(within: limit, options: options)
            svg = Result { try Graphviz.render(dot: fitted.drawing.dot(options: fitted.options), as: .svg) }
        }
        let dot = fitted.drawing.dot(options: fitted.options)
        return writeBoth(nextName("frame")) { format in
            do {
                return format == "svg" ? try svg.get() : try Graphviz.render(dot: dot, as: .png)
            } catch {
                throw PictureProblem(text: "\(error)")
            }
        }
    }

    /// The `width` and `height` Graphviz wrote on an SVG's root element, in points.
    static func svgSize(_ bytes: [UInt8]) -> (width: Double, height: Double)? {
        let head = String(decoding: bytes.prefix(2000), as: UTF8.self)
        guard let match = head.firstMatch(of: /<svg width="([0-9.]+)pt" height="([0-9.]+)pt"/),
              let width = Double(match.1), let height = Double(match.2) else { return nil }
        return (width, height)
    }

    /// Renders `name`.svg and `name`.png with `render` (given "svg" or "png") and writes both.
    func writeBoth(_ name: String, render: (String) throws -> [UInt8]) -> Written {
        var written = Written()
        for format in ["svg", "png"] {
            let path = (directory as NSString).appendingPathComponent(name + "." + format)
            do {
                let bytes = try render(format)
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try AtomicWrite.write(Data(bytes), to: path)
                if format == "svg" {
                    written.svgFile = path
                    written.svg = String(decoding: bytes, as: UTF8.self)
                } else {
                    written.pngFile = path
                }
            } catch let problem as PictureProblem {
                written.problem = problem.text
                return written
            } catch {
                written.problem = "could not write \(path): \(error.localizedDescription)"
                return written
            }
        }
        return written
    }
}

/// Why a picture could not be drawn, in words for the learner.
struct PictureProblem: Error {
    let text: String
}

/// Writing a file all at once or not at all: a temporary file in the same folder, then rename.
public enum AtomicWrite {
    public static func write(_ data: Data, to path: String) throws {
        do {
            try AtomicFile.write(Array(data), to: path)
        } catch {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "could not write \(path): \(error.reason)"])
        }
    }
}
