// TrainingFramesHTMLTests.swift — `lumen train moons --frames 1` writes training-frames.html
// with the lessons' player (LessonKit/FramePlayer.swift); in headless Chromium its slider and
// the ← → keys move through the epochs' frames, as on a lesson page.

import Foundation
import Testing

@Suite(.enabled(if: LumenBinary.has("chromium"), "chromium is not installed (Scripts/install-deps.sh --tests installs it; ./run-tests runs that)"))
struct TrainingFramesHTMLTests {
    @Test func theFramesPageScrubsThroughTheEpochs() throws {
        let dir = makeTempDirectory()
        let train = try LumenBinary.run(["train", "moons", "--epochs", "2", "--frames", "1", "-o", dir + "/out"])
        #expect(train.status == 0, "\(train.stderr)")
        let page = dir + "/out/training-frames.html"
        #expect(train.stdout.contains("wrote \(page)"))
        let dom = try LumenBinary.tool("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                                    "--user-data-dir=\(dir)/chromium-profile", "--dump-dom", "file://\(page)#selftest"],
                                       timeout: 90)
        // Three frames: before training, after epoch 1, after epoch 2; one picture each.
        #expect(dom.stdout.contains("selftest before=1 after=3 max=3 svgs=3 left=2 right=3 frames=equal"), "\(dom.stdout.suffix(400))")
        #expect(dom.stdout.contains("frame 3 of 3"), "the counter names the unit")
    }
}
