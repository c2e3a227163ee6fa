// ReadmeImageTests.swift — the README's hero picture is what the command it names draws:
// `lumen draw --example` (regenerate with Scripts/make-readme-images.sh).

import Foundation
import Testing

@Suite struct ReadmeImageTests {
    @Test func theHeroPictureIsWhatLumenDrawExampleDraws() throws {
        let dir = makeTempDirectory()
        let drawn = try LumenBinary.run(["draw", "--example", "-o", dir + "/neuron.svg"])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL
        let committed = try String(contentsOf: root.appendingPathComponent("Docs/images/neuron.svg"), encoding: .utf8)
        let today = try String(contentsOfFile: dir + "/neuron.svg", encoding: .utf8)
        #expect(committed == today, "Docs/images/neuron.svg is out of date: run Scripts/make-readme-images.sh")
        // The README's example prints tanh(2·-3 + 6.88) = tanh(0.88) = 0.7064…; so does the picture.
        #expect(today.contains("0.7064"))
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("lumen draw --example") && readme.contains("Docs/images/neuron.png"))
    }
}
