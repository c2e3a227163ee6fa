// DocImages.swift — writes the README's picture, Docs/images/neuron.{png,svg}, from the code.
//
// It runs only when asked, so that ordinary test runs never touch the source tree:
//
//     LUMEN_WRITE_DOC_IMAGES=1 swift test --filter RenderTests.DocImages

import Foundation
import Render
import Testing

@Suite struct DocImages {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LUMEN_WRITE_DOC_IMAGES"] == "1"))
    func writeNeuronPictures() throws {
        let images = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Docs/images").standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        let dot = neuronDOT(title: "o = tanh(x·w + b), after backward")
        #expect(try Graphviz.write(dot: dot, to: "\(images)/neuron.png") == .png)
        #expect(try Graphviz.write(dot: dot, to: "\(images)/neuron.svg") == .svg)
    }
}
