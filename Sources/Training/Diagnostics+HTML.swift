// Diagnostics+HTML.swift — the diagnostics of a run as one offline web page (diagnostics.html):
// histograms of every layer's outputs and gradients, epoch by epoch (small bar charts, each
// over its own range, written under it); the saturated and dead shares; the update-to-data
// ratios; and for the test set the confusion matrix and the worst-classified examples (images
// drawn pixel by pixel for the digits and MNIST, the context for the character models).
// Everything is inline SVG and HTML tables: no script, no file beside it.
//
// Read next: Sources/LumenCLI/TrainCommand.swift (`--diagnostics`).

import Datasets
import Files
import Foundation
import Plots

extension Diagnostics {
    /// The page for `trainer`'s run.
    public func html(for trainer: Trainer) -> String {
        var page = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
                    "<title>\(Self.escape(trainer.recipe.name)): diagnostics</title>",
                    "<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
                    + "td,th{border:1px solid #ddd;padding:3px 6px;font-size:12px;text-align:center}th{background:#f4f4f4}"
                    + ".note{color:#555;max-width:60em}</style></head><body>",
                    "<h1>\(Self.escape(trainer.recipe.name)): diagnostics</h1>",
                    "<p class=\"note\">Measured on a fixed probe batch of the first \(min(Self.probeSize, trainer.data.train.count)) "
                    + "training examples after each epoch, in eval mode. Each histogram has \(Self.bins) bins over its own range, "
                    + "written under it.</p>"]
        page += histogramSection("Layer outputs by epoch", \.values)
        page += histogramSection("Gradients ∂loss/∂output by epoch", \.gradients)
        page += sharesSection()
        page += ratioSection()
        page += confusionSection(trainer)
        page += worstSection(trainer)
        page.append("</body></html>")
        return page.joined(separator: "\n") + "\n"
    }

    private func histogramSection(_ title: String, _ pick: KeyPath<LayerRecord, Histogram>) -> [String] {
        guard let first = epochs.first else { return [] }
        var rows = ["<h2>\(title)</h2>", "<table><tr><th>layer</th>" + epochs.map { "<th>epoch \($0.epoch)</th>" }.joined() + "</tr>"]
        for index in first.layers.indices {
            var row = "<tr><th>\(Self.escape(first.layers[index].name))</th>"
            for epoch in epochs where index < epoch.layers.count {
                let histogram = epoch.layers[index][keyPath: pick]
                row += "<td>" + Self.bars(histogram) + "<br>\(Self.short(histogram.low)) … \(Self.short(histogram.high))</td>"
            }
            rows.append(row + "</tr>")
        }
        return rows + ["</table>"]
    }

    private func sharesSection() -> [String] {
        guard let first = epochs.first else { return [] }
        let indices = first.layers.indices.filter { first.layers[$0].saturatedShare != nil || first.layers[$0].deadShare != nil }
        guard !indices.isEmpty else { return [] }
        var rows = ["<h2>Saturated and dead units</h2>",
                    "<p class=\"note\">tanh/sigmoid: the share of outputs where the slope is below 0.06 (|tanh| &gt; 0.97). "
                    + "ReLU/GELU: the share of units that are ≤ 0 for every probe example.</p>",
                    "<table><tr><th>layer</th>" + epochs.map { "<th>epoch \($0.epoch)</th>" }.joined() + "</tr>"]
        for index in indices {
            let cells = epochs.map { epoch -> String in
                let layer = epoch.layers[index]
                if let share = layer.saturatedShare { return "<td>saturated \(Self.percent(share))</td>" }
                return "<td>dead \(Self.percent(layer.deadShare ?? 0))</td>"
            }
            rows.append("<tr><th>\(Self.escape(first.layers[index].name))</th>" + cells.joined() + "</tr>")
        }
        return rows + ["</table>"]
    }

    private func ratioSection() -> [String] {
        guard !epochs.isEmpty else { return [] }
        var rows = ["<h2>Update-to-data ratios</h2>",
                    "<p class=\"note\">log₁₀(std(update) / std(W)) per optimizer step, averaged over each epoch. Around −3 is "
                    + "the usual rule of thumb; far below, the parameter hardly moves; far above, it thrashes.</p>",
                    "<table><tr><th>parameter</th>" + epochs.map { "<th>epoch \($0.epoch)</th>" }.joined() + "</tr>"]
        for (index, name) in parameterNames.enumerated() {
            let cells = epochs.map { epoch -> String in
                guard let ratio = epoch.updateRatios[index] else { return "<td>—</td>" }
                let off = min(1, abs(ratio + 3) / 2)   // 0 at −3, 1 two decades away
                let colour = "rgb(\(Int(255 * off)),\(Int(200 - 80 * off)),120)"
                return "<td style=\"color:\(colour)\">\(String(format: "%.2f", ratio))</td>"
            }
            rows.append("<tr><th>\(Self.escape(name))</th>" + cells.joined() + "</tr>")
        }
        return rows + ["</table>"]
    }

    private func confusionSection(_ trainer: Trainer) -> [String] {
        // A regression has no classes to confuse (its figures are in the curves: MSE and R²).
        guard trainer.recipe.task == .classification else { return [] }
        let matrix = Self.confusionMatrix(trainer)
        guard !matrix.isEmpty else { return [] }
        let names = trainer.data.test.classNames ?? matrix.indices.map(String.init)
        let largest = max(1, matrix.joined().max() ?? 1)
        var rows = ["<h2>Confusion matrix (test set)</h2>",
                    "<p class=\"note\">Row: the true class; column: the model's guess. The diagonal is right.</p>",
                    "<table><tr><th>true \\ guess</th>" + names.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr>"]
        for (label, row) in matrix.enumerated() {
            let cells = row.map { count -> String in
                let shade = Int(255 * (1 - Double(count) / Double(largest)))
                return "<td style=\"background:rgb(\(shade),\(shade),255);color:\(shade < 110 ? "white" : "black")\">"
                    + (count == 0 ? "" : "\(count)") + "</td>"
            }
            rows.append("<tr><th>\(Self.escape(names[label]))</th>" + cells.joined() + "</tr>")
        }
        return rows + ["</table>"]
    }

    private func worstSection(_ trainer: Trainer) -> [String] {
        guard trainer.recipe.task == .classification else { return [] }
        let test = trainer.data.test
        let worst = Self.worstExamples(trainer)
        guard !worst.isEmpty else { return [] }
        let names = test.classNames ?? (0..<test.classCount).map(String.init)
        let side = [64: 8, 784: 28][test.exampleSize]
        var cells: [String] = []
        for example in worst {
            let features = test.example(at: example.index).map(Double.init)
            let picture: String
            if let side {
                picture = Self.image(features, side: side)
            } else if let language = LanguageModel.of(trainer.recipe) {
                picture = "<code>" + Self.escape(features.map { String(language.vocabulary.characters[Int($0)]) }.joined()) + "</code>"
            } else {
                picture = "<code>(" + features.map { Self.short($0) }.joined(separator: ", ") + ")</code>"
            }
            cells.append("<td>\(picture)<br>true \(Self.escape(names[example.label])), guess \(Self.escape(names[example.guess]))"
                         + "<br>loss \(String(format: "%.2f", example.loss))</td>")
        }
        return ["<h2>Worst-classified test examples</h2>", "<table><tr>" + cells.joined() + "</tr></table>"]
    }

    // MARK: - Drawing

    /// A histogram as a 160 × 50 SVG bar chart.
    static func bars(_ histogram: Histogram) -> String {
        let largest = max(1, histogram.counts.max() ?? 1)
        let width = 160.0 / Double(histogram.counts.count)
        let rects = histogram.counts.enumerated().map { bin, count in
            let height = 48 * Double(count) / Double(largest)
            return "<rect x=\"\(short(Double(bin) * width))\" y=\"\(short(50 - height))\" width=\"\(short(width))\" "
                + "height=\"\(short(height))\" fill=\"#4a78c2\"/>"
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"50\"><rect width=\"160\" height=\"50\" fill=\"#f8f8f8\"/>"
            + rects.joined() + "</svg>"
    }

    /// A grayscale picture of `pixels` (row-major, side × side), darkest at the largest value.
    static func image(_ pixels: [Double], side: Int) -> String {
        let (low, high) = (pixels.min() ?? 0, pixels.max() ?? 1)
        let scale = 56.0 / Double(side)
        var rects: [String] = []
        for (index, value) in pixels.enumerated() {
            let shade = Int(255 * (1 - (high > low ? (value - low) / (high - low) : 0)))
            rects.append("<rect x=\"\(short(Double(index % side) * scale))\" y=\"\(short(Double(index / side) * scale))\" "
                         + "width=\"\(short(scale + 0.05))\" height=\"\(short(scale + 0.05))\" fill=\"rgb(\(shade),\(shade),\(shade))\"/>")
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"56\" height=\"56\">" + rects.joined() + "</svg>"
    }

    static func short(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : String(format: "%.3g", x)
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

extension TrainingOutputFolder {
    /// `diagnostics.html`: the page of `diagnostics` for `trainer`'s run.
    public func writeDiagnostics(_ diagnostics: Diagnostics, for trainer: Trainer) throws(TrainingError) -> String {
        let target = file("diagnostics.html")
        do {
            try AtomicFile.write(Array(diagnostics.html(for: trainer).utf8), to: target)
        } catch {
            throw .unwritable(path: target, reason: error.reason)
        }
        return target
    }
}
