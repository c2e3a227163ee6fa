// AttentionMaps.swift — where each head of a trained names-gpt looks: the attention weights of
// every head of every Transformer block for one name, drawn as heat maps (attention.svg in the
// output folder). Row i is query position i, column j key position j; a cell's darkness is
// softmax(QKᵀ/√d + causal mask)[i, j], so each row sums to 1 and the upper triangle (the
// future) is empty.
//
// The weights are recomputed here from the block's own parameters in plain Double (the
// Transformer block does not keep them): norm1, the in-projection, then the scaled, masked
// softmax of TransformerBlock.swift and MultiheadAttention.swift.
//
// Read next: LanguageModel+Report.swift.

import Datasets
import Files
import Foundation
import Layers
import Tensors

/// The attention weights of a model for one context.
public struct AttentionMaps: Sendable, Equatable {
    /// The characters of the context, one per position (the end token "." before a name).
    public let labels: [String]
    /// `weights[block][head][query][key]`.
    public let weights: [[[[Double]]]]

    /// The weights of every causal self-attention block in `model` (a `Sequential` whose
    /// first layer is a `TokenEmbedding`) on `context` (ids).
    public init(model: Sequential<Float>, context: [Int], vocabulary: CharacterVocabulary) {
        labels = context.map { String(vocabulary.characters[$0]) }
        var x = try! Tensor<Float>(shape: [1, context.count], elements: context.map { Float($0) })
        var maps: [[[[Double]]]] = []
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        withoutGradients {
            for layer in model.layers {
                if let block = layer as? TransformerBlock<Float> {
                    maps.append(Self.weights(block, input: x))
                }
                if layer is LastPosition<Float> { break }
                x = layer(x)
            }
        }
        weights = maps
    }

    /// softmax(Q Kᵀ / √d + M) per head, from norm1(x) and the block's in-projection.
    static func weights(_ block: TransformerBlock<Float>, input: Tensor<Float>) -> [[[Double]]] {
        let attention = block.selfAttention
        let (length, width, heads) = (input.shape[1], attention.embedDim, attention.numHeads)
        let d = width / heads
        let normed = block.norm1(input).scalars.map(Double.init)          // [T, E]
        let w = attention.inProjWeight.scalars.map(Double.init)           // [3E, E]
        let b = attention.inProjBias?.scalars.map(Double.init) ?? Array(repeating: 0, count: 3 * width)
        // projected[t][r] = Σ_e normed[t, e] · W[r, e] + b[r]
        let projected = (0..<length).map { t in
            (0..<3 * width).map { r in
                (0..<width).reduce(b[r]) { $0 + normed[t * width + $1] * w[r * width + $1] }
            }
        }
        return (0..<heads).map { head in
            (0..<length).map { i in
                let scores = (0...i).map { j in
                    (0..<d).reduce(0.0) { $0 + projected[i][head * d + $1] * projected[j][width + head * d + $1] }
                        / Double(d).squareRoot()
                }
                let top = scores.max()!
                let e = scores.map { Foundation.exp($0 - top) }
                let total = e.reduce(0.0) { $0 + $1 }
                return e.map { $0 / total } + Array(repeating: 0, count: length - 1 - i)
            }
        }
    }

    /// An SVG: one row of heat maps per block, one map per head.
    public var svg: String {
        let cell = 22.0, gap = 36.0, margin = 40.0
        let length = labels.count
        let side = cell * Double(length)
        let heads = weights.first?.count ?? 0
        let width = margin * 2 + Double(heads) * side + Double(max(0, heads - 1)) * gap
        let height = margin * 2 + Double(weights.count) * (side + gap + 18)
        var out = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
                   + "font-family=\"sans-serif\" font-size=\"12\">",
                   "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                   "<text x=\"\(margin)\" y=\"22\" font-size=\"14\">attention weights: rows are queries, columns keys "
                   + "(\(labels.joined(separator: " ")))</text>"]
        for (b, block) in weights.enumerated() {
            let top = margin + Double(b) * (side + gap + 18) + 18
            for (h, map) in block.enumerated() {
                let left = margin + Double(h) * (side + gap)
                out.append("<text x=\"\(left)\" y=\"\(top - 6)\">block \(b + 1), head \(h + 1)</text>")
                for (i, row) in map.enumerated() {
                    for (j, weight) in row.enumerated() {
                        let shade = Int((255 * (1 - weight)).rounded())
                        out.append("<rect x=\"\(left + Double(j) * cell)\" y=\"\(top + Double(i) * cell)\" width=\"\(cell)\" "
                                   + "height=\"\(cell)\" fill=\"rgb(\(shade),\(shade),255)\" stroke=\"#ddd\"/>")
                    }
                    out.append("<text x=\"\(left - 12)\" y=\"\(top + (Double(i) + 0.7) * cell)\">\(labels[i])</text>")
                }
                for (j, label) in labels.enumerated() {
                    out.append("<text x=\"\(left + (Double(j) + 0.35) * cell)\" y=\"\(top + side + 14)\">\(label)</text>")
                }
            }
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }
}

extension TrainingOutputFolder {
    /// `attention.svg`: the heat maps of `maps`.
    public func writeAttentionMaps(_ maps: AttentionMaps) throws(TrainingError) -> String {
        let target = file("attention.svg")
        do {
            try AtomicFile.write(Array(maps.svg.utf8), to: target)
        } catch {
            throw .unwritable(path: target, reason: error.reason)
        }
        return target
    }
}
