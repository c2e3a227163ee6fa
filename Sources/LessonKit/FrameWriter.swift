// FrameWriter.swift — writes the numbered pictures of a lesson's graphs: frame-001.svg,
// frame-002.svg, ... in one folder per lesson (default ./lumen-out/lesson-03/step-02-frame-001.svg).
//
// The picture is Viz's DOT (highlighted node, done nodes marked, edge labels showing
// upstream × local) rendered to SVG by Render, then written atomically.
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

    /// Draws the graph ending at `root` and writes the next numbered frame. Never throws: a
    /// failure becomes `problem`, shown to the learner instead of the path.
    func write(root: Value, title: String, caption: String?, highlighted: Int?, done: Set<Int>?)
        -> (file: String?, svg: String?, problem: String?)
    {
        count += 1
        let name = prefix + "frame-" + String(repeating: "0", count: max(0, 3 - String(count).count)) + "\(count).svg"
        let path = (directory as NSString).appendingPathComponent(name)
        let options = DrawingOptions(title: title, caption: caption, highlighted: highlighted, done: done)
        let dot = GraphDrawing(tracing: root, edgeLabels: highlighted != nil).dot(options: options)
        do {
            let bytes = try Graphviz.render(dot: dot, as: .svg)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicWrite.write(Data(bytes), to: path)
            return (path, String(decoding: bytes, as: UTF8.self), nil)
        } catch let error as RenderError {
            return (nil, nil, "\(error)")
        } catch {
            return (nil, nil, "could not write \(path): \(error.localizedDescription)")
        }
    }
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
