// CompilerErrors.swift — the compiler's errors, each quoted once, with its source line and caret.
//
// `swift build` prints an error once per compile job that meets it (often three times), and
// the scratch package's paths rather than the learner's. This keeps each error block (the
// `file:line:col: error:` line and the source lines with the caret under them) the first time
// it appears, and names the learner's own file.
//
// Read next: ChildConnection.swift.

import Foundation

enum CompilerErrors {
    /// The errors of a failed build of the scratch package, as the learner should read them.
    static func quote(_ output: String, scratch: URL, learner: URL) -> String {
        let text = output
            .replacingOccurrences(of: scratch.appendingPathComponent("Exercises").path + "/",
                                  with: learner.appendingPathComponent("Sources/Exercises").path + "/")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [String] = []
        var seen: Set<String> = []
        var k = 0
        while k < lines.count {
            let line = lines[k]
            guard line.contains(": error: "), line.hasPrefix("/") else { k += 1; continue }
            var block = [line]
            k += 1
            // The snippet: "  12 | code", "     | `- error: …" and the like.
            while k < lines.count, lines[k].range(of: #"^\s*(\d+\s*)?\|"#, options: .regularExpression) != nil {
                block.append(lines[k])
                k += 1
            }
            if seen.insert(line).inserted { blocks.append(block.joined(separator: "\n")) }
        }
        guard !blocks.isEmpty else {
            return lines.filter { !$0.isEmpty }.suffix(20).joined(separator: "\n")
        }
        return blocks.joined(separator: "\n\n")
    }
}
