// CurriculumTests.swift — every lesson runs start to end, its text's code is the code that runs,
// and its printed numbers agree with values derived by hand.
//
// Read next: Lessons/Curriculum.swift.

import Foundation
import Testing
import LessonKit
import _TestSupport
@testable import Lessons

/// The package root, found from this file's path (Tests/LessonsTests/CurriculumTests.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func makeTempDirectory() -> String {
    let path = NSTemporaryDirectory() + "lessons-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The text a lesson prints when run without a terminal, with pictures under a temp folder.
func transcript(of id: Int, frames: String? = nil) -> String {
    let runner = LessonRunner(lesson: Curriculum.lesson(id)!, frameRoot: frames ?? makeTempDirectory(),
                              style: TerminalStyle(width: 90, color: false))
    return runner.transcript()
}

@Suite struct CurriculumTests {
    @Test func idsStartAtOneAndFollowTheTeachingOrder() {
        // A number may be missing while its lesson waits for the engine part it teaches.
        let ids = Curriculum.lessons.map(\.id)
        #expect(ids.first == 1)
        #expect(ids == ids.sorted() && Set(ids).count == ids.count)
        for (id, next) in zip(ids, ids.dropFirst()) {
            #expect(Curriculum.lesson(after: id)?.id == next)
        }
        #expect(Curriculum.lesson(after: ids.last!) == nil)
    }

    @Test(arguments: Curriculum.lessons.map(\.id))
    func lessonIsWellFormedAndRunsToTheEnd(id: Int) throws {
        let lesson = try #require(Curriculum.lesson(id))
        #expect(lesson.problems() == [])
        let (text, frames) = id >= 13 ? (laterRun(id).text, laterRun(id).frames) : { () -> (String, String) in
            let frames = makeTempDirectory()
            return (transcript(of: id, frames: frames), frames)
        }()
        #expect(!text.contains("error:"), "lesson \(id) printed an error")
        #expect(text.contains("Step \(lesson.steps.count) of \(lesson.steps.count)"))
        // Every picture the lesson names exists.
        var pictures = 0
        for line in text.split(separator: "\n") where line.contains(frames) {
            let path = String(line[line.range(of: frames)!.lowerBound...])
            #expect(FileManager.default.fileExists(atPath: path), "missing \(path)")
            if path.hasSuffix(".svg") { pictures += 1 }
        }
        // Every picture the lesson wrote fits a laptop screen at full size: at most 2,000 pixels
        // each way, so Graphviz never shrank its text (GraphDrawing+Fit.swift).
        let folder = frames + "/" + (id < 10 ? "lesson-0\(id)" : "lesson-\(id)")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".png") {
            let bytes = try #require(FileManager.default.contents(atPath: folder + "/" + name))
            let size = try #require(pngSize(Array(bytes)), "\(name) is no PNG")
            #expect(size.width <= 2000 && size.height <= 2000, "lesson \(id): \(name) is \(size.width) × \(size.height) px")
        }
        // Every lesson draws what it teaches: lessons 6–12 (the tensor half) as well.
        if id >= 6 { #expect(pictures >= 1, "lesson \(id) drew no picture") }
        // Lessons 7, 8, 9, 12, 14 and 15 step through a tensor backward, one frame per node.
        if [7, 8, 9, 12, 14, 15].contains(id) { #expect(text.contains("Backward step 1 of"), "lesson \(id) has no backward walk") }
    }

    /// The lines between `// lesson-code: name` and `// end lesson-code` in a lesson's Swift file.
    func codeRegions(in source: String) -> [String: [String]] {
        var regions: [String: [String]] = [:]
        var current: String?
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("// lesson-code: ") {
                current = String(trimmed.dropFirst("// lesson-code: ".count))
                regions[current!] = []
            } else if trimmed == "// end lesson-code" {
                current = nil
            } else if let name = current, !trimmed.isEmpty {
                regions[name]!.append(String(line))
            }
        }
        return regions.mapValues { lines in
            let indent = lines.map { $0.prefix { $0 == " " }.count }.min() ?? 0
            return lines.map { String($0.dropFirst(indent)) }
        }
    }

    @Test(arguments: Curriculum.lessons.map(\.id))
    func theCodeInTheTextIsTheCodeThatRuns(id: Int) throws {
        let lesson = try #require(Curriculum.lesson(id))
        let folder = packageRoot.appendingPathComponent("Lessons")
        let name = "Lesson\(lesson.paddedID).swift"
        let match = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .map { folder.appendingPathComponent($0).appendingPathComponent(name) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
        let file = try #require(match, "no \(name) under Lessons/")
        let regions = codeRegions(in: try String(contentsOf: file, encoding: .utf8))
        let runNames = lesson.steps.compactMap(\.runName)
        #expect(Set(regions.keys) == Set(runNames), "marked regions and run: names differ")
        for step in lesson.steps {
            let shown = step.swiftBlocks.flatMap { $0.split(separator: "\n").map(String.init) }
                .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            guard let runName = step.runName else {
                #expect(shown.isEmpty, "step \"\(step.title)\" shows Swift but runs nothing")
                continue
            }
            #expect(shown == regions[runName], "lesson \(id), step \"\(step.title)\": text and code differ")
        }
    }

    /// Lines of the transcript starting with `prefix` (after the output indent).
    func line(_ text: String, _ prefix: String) -> String? {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix(prefix) }
    }

    @Test func lesson3GradientsMatchTheHandDerivation() {
        // L = (a·b + c)·f at a=2, b=-3, c=10, f=-2: ∂L/∂a = f·b = 6, ∂L/∂b = f·a = -4,
        // ∂L/∂c = f = -2, ∂L/∂f = a·b + c = 4.
        let text = transcript(of: 3)
        #expect(line(text, "gradients:") == "gradients: a 6  b -4  c -2  f 4")
        #expect(line(text, "dL/da = dL/de · b =") == "dL/da = dL/de · b = 6")
        #expect(text.contains("Backward step 7 of 7"))
    }

    @Test func lesson4ShowsTheOverwriteBug() {
        // L = a·b + a at a=3, b=4: ∂L/∂a = b + 1 = 5; overwriting keeps only the last share, b = 4.
        let text = transcript(of: 4)
        #expect(line(text, "with += : dL/da =") == "with += : dL/da = 5")
        #expect(line(text, "with  = : dL/da =")?.hasPrefix("with  = : dL/da = 4 ") == true)
        #expect(line(text, "Lumen's backward():") == "Lumen's backward(): 5")
        // y = x⁵ at 0.5: dy/dx = 5·0.5⁴ = 0.3125.
        #expect(line(text, "dy/dx from backward:")?.hasPrefix("dy/dx from backward: 0.3125") == true)
    }

    @Test func lesson2SlopesApproachTheDerivative() throws {
        // f(x) = 3x² − 4x + 5: (f(3+h) − f(3))/h = 14 + 3h exactly in real arithmetic.
        let text = transcript(of: 2)
        #expect(line(text, "h = 0.1") == "h = 0.1    slope ≈ 14.3")
        #expect(line(text, "h = 0.001") == "h = 0.001    slope ≈ 14.003")
        #expect(line(text, "by hand:  f'(3) =") == "by hand:  f'(3) = 14")
    }

    @Test func lesson6ViewsMatchTheStrideArithmetic() {
        // A row-major 2×3 grid has strides (3, 1); its transpose (1, 3); columns 1..<3 start at
        // offset 1 and hold 2, 3, 5, 6.
        let text = transcript(of: 6)
        #expect(line(text, "strides:") == "strides: 3, 1")
        #expect(line(text, "transposed strides:") == "transposed strides: 1, 3")
        #expect(line(text, "slice shape:") == "slice shape: 2 × 2   offset: 1   strides: 3, 1")
        #expect(line(text, "slice elements:") == "slice elements: 2, 3, 5, 6")
        #expect(text.components(separatedBy: "same storage as t? true").count - 1 == 2)
    }

    @Test func lesson7BroadcastBackwardSumsOverRows() {
        // L = Σ (table + row)·w with w = [[1, -1, 2], [0.5, 3, -2]]: ∂L/∂row[j] = w[0,j] + w[1,j]
        // = 1.5, 2, 0; ∂L/∂table = w. (table + row)[1] = 4+10, 5+20, 6+30.
        let text = transcript(of: 7)
        #expect(line(text, "row.grad:") == "row.grad:   1.5, 2, 0")
        #expect(line(text, "table.grad:")?.hasPrefix("table.grad: 1, -1, 2, 0.5, 3, -2") == true)
        #expect(line(text, "row 1:") == "row 1: 14, 25, 36")
        #expect(line(text, "stretched strides:") == "stretched strides: 0, 1")
    }

    @Test func lesson5DrawsTheBoundaryEvolvingAsPictures() throws {
        let frames = makeTempDirectory()
        let text = transcript(of: 5, frames: frames)
        // Six checkpoints (0, 5, 10, 25, 50, 100 steps), each an SVG and a PNG, paths printed.
        for k in 1...6 {
            let base = frames + "/lesson-05/step-05-boundary-00\(k)"
            #expect(text.contains(base + ".svg") && text.contains(base + ".png"), "picture \(k) not printed")
            let png = try #require(FileManager.default.contents(atPath: base + ".png"))
            #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            let svg = try String(contentsOfFile: base + ".svg", encoding: .utf8)
            #expect(svg.contains("<svg"))
        }
        #expect(text.contains("two moons after 100 steps"))
        #expect(!text.contains("boundary-007"))
    }

    @Test func lesson9OverflowsNaivelyAndNotWhenStable() {
        // softmax([2, 1, 0.1]) in plain Double; [1000, 999, 998.1] is the same list plus 998.
        let e = [2.0, 1.0, 0.1].map { Foundation.exp($0) }
        let p = e.map { num($0 / e.reduce(0, +)) }.joined(separator: ", ")
        let text = transcript(of: 9)
        #expect(line(text, "by hand:") == "by hand: \(p)")
        #expect(line(text, "Lumen:") == "Lumen:   \(p)")
        #expect(line(text, "e^1000 =") == "e^1000 = inf")
        #expect(line(text, "naive softmax:") == "naive softmax: nan, nan, nan")
        #expect(line(text, "in Float, e^89 =") == "in Float, e^89 = inf")
        #expect(line(text, "shifted scores:") == "shifted scores: 0, -1, -1.9")
        #expect(line(text, "stable softmax:") == "stable softmax: \(p)")
        #expect(line(text, "Lumen's softmax:") == "Lumen's softmax: \(p)")
        // e^(−800) is below the smallest Double: softmax rounds it to 0 and log(0) = −∞;
        // logSoftmax = x − logsumexp(x) = [0, −800] − log(1 + e^(−800)) = [0, −800].
        #expect(line(text, "softmax:") == "softmax:        1, 0")
        #expect(line(text, "log of softmax:") == "log of softmax: 0, -inf")
        #expect(line(text, "logSoftmax:") == "logSoftmax:     0, -800")
        // Float: σ(40) = 1/(1 + 4.2e-18) rounds to 1; the stable form is 40 + log(1 + e^(−40)) ≈ 40.
        #expect(line(text, "σ(40) in Float:") == "σ(40) in Float: 1.0    1 − σ(40): 0.0")
        #expect(line(text, "naive loss for label 0:") == "naive loss for label 0: inf")
        #expect(line(text, "stable loss for label 0:") == "stable loss for label 0: 40.0")
    }

    @Test func lesson9CrossEntropyAndItsGradientMatchPlainDouble() throws {
        // loss = −(log p₀[0] + log p₁[2]) / 2 and ∂loss/∂x[n][c] = (p_n[c] − [c = label_n]) / 2,
        // with p the softmax of each row computed here in plain Double.
        func softmax(_ x: [Double]) -> [Double] {
            let e = x.map { Foundation.exp($0) }
            return e.map { $0 / e.reduce(0, +) }
        }
        let p = [[2, 1, 0.1], [0.5, 2.5, -1]].map(softmax)
        let loss = -(Foundation.log(p[0][0]) + Foundation.log(p[1][2])) / 2
        let text = transcript(of: 9)
        let lossLine = try #require(line(text, "loss:"))
        #expect(lossLine.hasPrefix("loss: \(num(loss))    by hand: \(num(loss))"))
        for (n, label) in [0, 2].enumerated() {
            let expected = (0..<3).map { num((p[n][$0] - ($0 == label ? 1 : 0)) / 2) }.joined(separator: ", ")
            #expect(line(text, "row \(n) gradient:") == "row \(n) gradient: \(expected)    (p − onehot)/2: \(expected)")
        }
    }

    /// The numbers in a transcript line (words and units skipped).
    func numbers(_ line: String?) -> [Double] {
        (line ?? "").split(whereSeparator: { $0 == " " || $0 == "," || $0 == "(" || $0 == ")" }).compactMap { Double($0) }
    }

    @Test func lesson8ProductAndBackwardMatchTheHandDerivation() {
        // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]]: A·B = [[58, 64], [139, 154]].
        // With G = [[1, -1], [2, 0.5]]: G·Bᵀ = [[-1, -1, -1], [18, 23, 28]], Aᵀ·G = [[9, 1], [12, 0.5], [15, 0]].
        let text = transcript(of: 8)
        #expect(line(text, "c:") == "c: 58, 64, 139, 154")
        #expect(line(text, "c[0][0] = 1·7 + 2·9 + 3·11 =") == "c[0][0] = 1·7 + 2·9 + 3·11 = 58")
        #expect(line(text, "a.grad:") == "a.grad: -1, -1, -1, 18, 23, 28")
        #expect(line(text, "g · bᵀ:") == "g · bᵀ: -1, -1, -1, 18, 23, 28")
        #expect(line(text, "b.grad:") == "b.grad: 9, 1, 12, 0.5, 15, 0")
        #expect(line(text, "aᵀ · g:") == "aᵀ · g: 9, 1, 12, 0.5, 15, 0")
        // The loops and both backends agree to Float rounding (sums of 128 products below 1).
        let differences = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("largest difference:") }
        #expect(differences.count == 2)
        for difference in differences {
            let value = numbers(String(difference)).last
            #expect(value != nil && value! < 1e-3, "\(difference)")
        }
        for prefix in ["readable loop:", "blocked loop:", "reference backend:", "default backend:"] {
            #expect(numbers(line(text, prefix)).count == 2, "no time and rate on the \(prefix) line")
        }
        #expect(line(text, "the default here is")?.contains("reference") == true || line(text, "the default here is")?.contains("blas") == true)
    }

    @Test func lesson10OptimizersMatchTheirUpdateRulesInPlainDouble() throws {
        // f(x, y) = 0.01·x² + y², ∇f = (0.02·x, 2·y), from (-8, 2), 60 steps, PyTorch's update rules.
        func gradient(_ p: [Double]) -> [Double] { [0.02 * p[0], 2 * p[1]] }
        func f(_ p: [Double]) -> Double { 0.01 * p[0] * p[0] + p[1] * p[1] }
        var sgd = [-8.0, 2.0]
        var heavy = [-8.0, 2.0], velocity = [0.0, 0.0]
        var adam = [-8.0, 2.0], m = [0.0, 0.0], v = [0.0, 0.0]
        for t in 1...60 {
            let g1 = gradient(sgd), g2 = gradient(heavy), g3 = gradient(adam)
            for i in 0..<2 {
                sgd[i] -= 0.4 * g1[i]
                velocity[i] = 0.9 * velocity[i] + g2[i]
                heavy[i] -= 0.4 * velocity[i]
                m[i] = 0.9 * m[i] + 0.1 * g3[i]
                v[i] = 0.999 * v[i] + 0.001 * g3[i] * g3[i]
                let mHat = m[i] / (1 - Foundation.pow(0.9, Double(t))), vHat = v[i] / (1 - Foundation.pow(0.999, Double(t)))
                adam[i] -= 0.3 * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        let text = transcript(of: 10)
        #expect(line(text, "loss at (-8, 2):") == "loss at (-8, 2): 4.64")
        #expect(line(text, "gradient:") == "gradient: -0.16, 4")
        for (name, point) in [("SGD:", sgd), ("momentum:", heavy), ("Adam:", adam)] {
            let printed = numbers(line(text, name))
            try #require(printed.count == 4, "\(name) \(printed)")  // 60, loss, x, y
            #expect(abs(printed[1] - f(point)) < 1e-4 && abs(printed[2] - point[0]) < 1e-4 && abs(printed[3] - point[1]) < 1e-4,
                    "\(name) printed \(printed), plain Double gives loss \(f(point)) at \(point)")
        }
        // Momentum and Adam end far nearer the bottom than plain SGD on this valley.
        #expect(f(heavy) < f(sgd) / 10 && f(adam) < f(sgd) / 10)
        #expect(text.contains("paths through the valley") && text.contains("step-03-plot-002.png"))
    }

    @Test func lesson11LearnsDigitsAndThenOverfits() throws {
        let text = transcript(of: 11)
        #expect(line(text, "training examples:") == "training examples: 1500    test examples: 297")
        // 64·32 + 32 + 32·10 + 10 = 2410 weights and biases.
        #expect(line(text, "parameters:")?.hasPrefix("parameters: 2410 ") == true)
        // Near-equal scores give each class about 1/10: cross-entropy ≈ log 10 ≈ 2.303.
        let before = try #require(numbers(line(text, "loss before training:")).first)
        #expect(abs(before - 2.303) < 0.3)
        let afterFive = numbers(line(text, "epoch 5:"))
        #expect(afterFive.count == 2 && afterFive[1] > 0.85, "\(afterFive)")  // loss, accuracy
        // 100 examples memorised: training accuracy reaches 1 while the test set lags behind.
        let last = numbers(line(text, "epoch 100:"))
        try #require(last.count == 2)  // training accuracy, test accuracy
        #expect(last[0] == 1)
        #expect(last[1] < last[0] - 0.05)
        // The test loss bottoms out before the end and rises after: memorising, not learning.
        let lowest = numbers(line(text, "lowest test loss at epoch"))
        #expect(lowest.count == 2 && lowest[0] < lowest[1], "\(lowest)")
    }

    @Test func lesson12ConvolutionSlidesAndIsOneMatrixProduct() throws {
        // Rows [0, 0, 1, 1, 1] under a kernel whose columns are -1, 0, 1: each output is
        // 3·(row[x + 2] − row[x]) = 3, 3, 0 on every row.
        let text = transcript(of: 12)
        let rows = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 == "3  3  0" }
        #expect(rows.count == 3)
        #expect(line(text, "Lumen's conv2d:") == "Lumen's conv2d: 3, 3, 0, 3, 3, 0, 3, 3, 0")
        #expect(line(text, "kernel · columns:") == "kernel · columns: 3, 3, 0, 3, 3, 0, 3, 3, 0")
        // 8 kernels of 3·3 and 8 biases; 128·10 weights and 10 biases.
        #expect(line(text, "parameters:")?.hasPrefix("parameters: 1370 ") == true)
        let accuracy = try #require(numbers(line(text, "epoch 3:")).last)
        #expect(accuracy > 0.8)
    }
}
