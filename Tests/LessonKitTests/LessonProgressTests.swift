// LessonProgressTests.swift — the progress file: round trip, statuses, damaged and unreadable
// files, atomic saves. Read next: LessonRunnerTests.swift.

import Foundation
import Testing
@testable import LessonKit

func makeTempDirectory() -> String {
    let path = NSTemporaryDirectory() + "lessonkit-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct LessonProgressTests {
    @Test func roundTripsThroughTheFile() throws {
        let file = ProgressFile(path: makeTempDirectory() + "/sub/progress")
        #expect(try file.load() == LessonProgress())  // missing file: fresh start
        var progress = LessonProgress()
        progress.current = 3
        progress.done = [1, 2]
        progress.positions = [3: Position(step: 4, screen: 2), 5: Position(step: 0, screen: 0)]
        try file.save(progress)
        #expect(try file.load() == progress)
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text.contains("current 3\n") && text.contains("done 1\n") && text.contains("at 3 4 2\n"))
        #expect(progress.status(of: 3) == .current)
        #expect(progress.status(of: 1) == .done)
        #expect(progress.status(of: 5) == .started)
        #expect(progress.status(of: 4) == .notStarted)
        // No temporary files left beside it.
        let folder = (file.path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["progress"])
    }

    @Test(arguments: ["current three", "done", "at 1 2", "jump 4", "done -1", "at 1 2 3 4"])
    func damagedLinesAreNamed(line: String) {
        let path = makeTempDirectory() + "/progress"
        FileManager.default.createFile(atPath: path, contents: Data("# ok\ndone 1\n\(line)\n".utf8))
        #expect(throws: ProgressError.corrupt(path: path, line: 3, text: line)) { try ProgressFile(path: path).load() }
    }

    @Test func aFolderInPlaceOfTheFileIsUnreadable() {
        let path = makeTempDirectory()
        do {
            _ = try ProgressFile(path: path).load()
            Issue.record("loading a directory should fail")
        } catch {
            guard case .unreadable(let p, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(p == path)
            #expect(error.description.contains("--progress"))
        }
    }

    @Test func resolvesOptionThenEnvironmentThenHome() {
        #expect(ProgressFile.resolve(option: "/x/p", environment: ["LUMEN_PROGRESS": "/y"]).path == "/x/p")
        #expect(ProgressFile.resolve(option: nil, environment: ["LUMEN_PROGRESS": "/y", "HOME": "/h"]).path == "/y")
        #expect(ProgressFile.resolve(option: nil, environment: ["HOME": "/h"]).path == "/h/.lumen/progress")
    }
}
