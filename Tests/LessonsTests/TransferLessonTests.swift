// TransferLessonTests.swift — lesson 17 (transfer learning): its printed numbers against an
// independent computation. The shipped checkpoint is read here with a few lines of byte
// parsing (not Lumen's Checkpoints), the digits from the raw CSV and permutation files (not
// Lumen's Datasets), and the pre-trained CNN is run in plain Double loops (not Lumen's
// Tensors): its accuracy on the upright and on the mirrored test digits must be what the
// lesson prints. The text must state the numbers the run measured.
//
// Read next: Lessons/17-transfer-learning/Lesson17.swift.

import Foundation
import LessonKit
import Testing
@testable import Lessons

let run17 = LessonRun(17)

/// The F32 tensors of a safetensors file: 8 bytes of header length (little-endian), a JSON
/// header naming each tensor's dtype, shape and byte range, then the data.
private func readSafetensors(_ path: String) throws -> [String: (shape: [Int], values: [Double])] {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
    let header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8 ..< 8 + headerLength])) as? [String: Any])
    var tensors: [String: (shape: [Int], values: [Double])] = [:]
    for (name, entry) in header where name != "__metadata__" {
        let info = try #require(entry as? [String: Any])
        guard info["dtype"] as? String == "F32" else { continue }
        let shape = try #require(info["shape"] as? [Int]), range = try #require(info["data_offsets"] as? [Int])
        let start = 8 + headerLength + range[0]
        let values = stride(from: start, to: 8 + headerLength + range[1], by: 4).map { i in
            Double(Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24))
        }
        tensors[name] = (shape, values)
    }
    return tensors
}

/// The digits as the raw files give them: 64 pixels / 16 and a label per line, and the split
/// order (numpy's RandomState(0).permutation(1797)).
private func rawDigits() throws -> (pixels: [[Double]], labels: [Int], order: [Int]) {
    let folder = packageRoot.appendingPathComponent("Sources/Datasets/Resources")
    let rows = try String(contentsOf: folder.appendingPathComponent("digits.csv"), encoding: .utf8)
        .split(separator: "\n").map { $0.split(separator: ",").map { Int($0)! } }
    let order = try String(contentsOf: folder.appendingPathComponent("digits_perm_seed0.txt"), encoding: .utf8)
        .split(separator: "\n").map { Int($0)! }
    return (rows.map { $0.prefix(64).map { Double($0) / 16 } }, rows.map { $0[64] }, order)
}

/// digits-cnn in plain loops: conv 3×3 (padding 1) → relu → 2×2 max pool, twice, then
/// flatten (channel, row, column), 128 → 64, relu, 64 → 10. Returns the 10 scores.
private func plainCNN(_ image: [Double], _ w: [String: (shape: [Int], values: [Double])]) -> [Double] {
    func conv(_ x: [Double], channels: Int, size: Int, _ name: String) -> [Double] {
        let (weight, bias) = (w[name + ".weight"]!.values, w[name + ".bias"]!.values)
        let outChannels = bias.count
        var y = [Double](repeating: 0, count: outChannels * size * size)
        for o in 0..<outChannels {
            for r in 0..<size {
                for c in 0..<size {
                    var sum = bias[o]
                    for i in 0..<channels {
                        for kr in 0..<3 {
                            for kc in 0..<3 {
                                let (rr, cc) = (r + kr - 1, c + kc - 1)
                                if rr < 0 || rr >= size || cc < 0 || cc >= size { continue }
                                sum += weight[((o * channels + i) * 3 + kr) * 3 + kc] * x[(i * size + rr) * size + cc]
                            }
                        }
                    }
                    y[(o * size + r) * size + c] = max(0, sum)   // relu
                }
            }
        }
        return y
    }
    func pool(_ x: [Double], channels: Int, size: Int) -> [Double] {
        let half = size / 2
        return (0..<channels * half * half).map { k in
            let (o, r, c) = (k / (half * half), k / half % half, k % half)
            return [0, 1].flatMap { dr in [0, 1].map { dc in x[(o * size + 2 * r + dr) * size + 2 * c + dc] } }.max()!
        }
    }
    func linear(_ x: [Double], _ name: String, relu: Bool) -> [Double] {
        let (weight, bias) = (w[name + ".weight"]!.values, w[name + ".bias"]!.values)
        return (0..<bias.count).map { o in
            let sum = bias[o] + (0..<x.count).map { weight[o * x.count + $0] * x[$0] }.reduce(0, +)
            return relu ? max(0, sum) : sum
        }
    }
    let first = pool(conv(image, channels: 1, size: 8, "0"), channels: 16, size: 8)
    let second = pool(conv(first, channels: 16, size: 4, "3"), channels: 32, size: 4)
    return linear(linear(second, "7", relu: true), "9", relu: false)
}

/// A percentage as the lesson's text writes it, e.g. "89.9".
private func oneDecimal(_ x: Double) -> String { String(format: "%.1f", x) }

/// The numbers in a line (words and punctuation skipped).
private func numbers(_ line: Substring) -> [Double] {
    line.split(whereSeparator: { " ,():%".contains($0) }).compactMap { Double($0) }
}

@Suite struct TransferLessonTests {
    let all = run17.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces)[...] }

    func line(_ prefix: String) throws -> Substring {
        try #require(all.first { $0.hasPrefix(prefix) }, "no line starting \"\(prefix)\"")
    }

    @Test func thePretrainedModelsAccuraciesMatchAPlainDoubleForwardPass() throws {
        let weights = try readSafetensors(packageRoot.appendingPathComponent("Pretrained/digits-cnn.safetensors").path)
        let digits = try rawDigits()
        let test = digits.order[1500...]
        func accuracy(mirrored: Bool) -> Double {
            let right = test.filter { row in
                let image = mirrored ? (0..<64).map { digits.pixels[row][$0 / 8 * 8 + 7 - $0 % 8] } : digits.pixels[row]
                let scores = plainCNN(image, weights)
                return scores.indices.max { scores[$0] < scores[$1] }! == digits.labels[row]
            }.count
            return 100 * Double(right) / Double(test.count)
        }
        let upright = accuracy(mirrored: false), mirror = accuracy(mirrored: true)
        #expect(abs(upright - 100 * 295 / 297) < 1e-9, "Pretrained/README.md says 295 of 297")
        #expect(abs(numbers(try line("pre-trained, upright test digits:"))[0] - upright) < 1e-4)
        #expect(abs(numbers(try line("pre-trained, mirrored test digits:"))[0] - mirror) < 1e-4)
        // The text says so too.
        let markdown = Lesson17.markdown
        #expect(markdown.contains("right on \(oneDecimal(upright)) % of the test digits (295 of 297)"))
        #expect(markdown.contains("falls to \(oneDecimal(mirror)) %"))
    }

    @Test func theTaskIsTenOfEachDigitAndTheFrozenWeightsStayPut() throws {
        #expect(try line("training examples per digit:") == "training examples per digit: 10 10 10 10 10 10 10 10 10 10")
        // conv 1: 16·1·9 + 16; conv 2: 32·16·9 + 32; then 128·64 + 64 and the head 64·10 + 10.
        let frozen = 16 * 9 + 16 + 32 * 16 * 9 + 32, total = frozen + 128 * 64 + 64 + 64 * 10 + 10
        #expect(try line("frozen:") == "frozen: \(frozen) of \(total) parameters")
        #expect(Lesson17.markdown.contains("4,800 of the model's 13,706"))
        #expect(frozen == 4800 && total == 13706)
        #expect(Lesson17.markdown.contains("leaves 8,906 weights to train") && total - frozen == 8906)
        #expect(try line("largest change of a frozen weight:") == "largest change of a frozen weight: 0")
    }

    @Test func theCurvesTheGapsAndTheTextAgree() throws {
        let steps = Lesson17.steps
        let curves = try ["from scratch,", "frozen convolutions,", "fine-tuned,"].map { prefix in
            Array(numbers(try line(prefix + " validation accuracy by step:")))
        }
        for curve in curves {
            try #require(curve.count == steps / 5 + 1, "\(curve)")
            // Each is a count of the 297 validation pictures, as a percentage.
            for value in curve { #expect(abs((value * 297 / 100).rounded() * 100 / 297 - value) < 1e-4, "\(value)") }
        }
        // The two pre-trained runs start from the same weights and head, so at step 0 they agree.
        #expect(curves[1][0] == curves[2][0])
        // The summary lines repeat the curves' values at step 10 and at the end, and the gaps are their differences.
        for (name, curve) in zip(["from scratch:", "convolutions frozen:", "all fine-tuned:"], curves) {
            let summary = numbers(try line(name))
            try #require(summary.count == 5, "\(summary)")   // 10, acc, steps, acc, loss
            #expect(summary[1] == curve[2] && summary[3] == curve.last!)
        }
        for (name, curve) in zip(["convolutions frozen", "all fine-tuned"], curves.dropFirst()) {
            let gap = numbers(try line("gap, \(name) − from scratch:"))
            try #require(gap.count == 4, "\(gap)")   // gap, 10, gap, steps
            #expect(abs(gap[0] - (curve[2] - curves[0][2])) < 2e-4 && abs(gap[2] - (curve.last! - curves[0].last!)) < 2e-4)
            // What the lesson teaches: starting from the trained network is ahead early.
            #expect(gap[0] > 0, "\(name) is not ahead of scratch after 10 steps")
        }
        // The text states the measured accuracies.
        let markdown = Lesson17.markdown
        for curve in curves {
            #expect(markdown.contains("\(oneDecimal(curve[2])) %") && markdown.contains("\(oneDecimal(curve.last!)) %"), "text lacks \(curve)")
        }
        #expect(markdown.contains("gap of \(oneDecimal(curves[1][2] - curves[0][2]))"))
        #expect(markdown.contains("gaps of \(oneDecimal(curves[1].last! - curves[0].last!)) and \(oneDecimal(curves[2].last! - curves[0].last!))"))
        #expect(markdown.contains("(\(oneDecimal(curves[1][0])) % at step 0"))
        // The loss ranking the text describes.
        let losses = try ["from scratch:", "convolutions frozen:", "all fine-tuned:"].map { numbers(try line($0)).last! }
        #expect(losses[2] > losses[0] && losses[1] < losses[0], "\(losses)")
        #expect(run17.text.contains("validation accuracy on the mirrored digits"))
    }
}
