// Failure.swift — how every subcommand reports a typed error: what went wrong, then how to
// fix it, on standard error, and a non-zero exit code. No subcommand traps on user input.
//
// Read next: DrawCommand.swift.

import ArgumentParser
import Foundation

/// Prints `message` (and `hint`, if any) to standard error and returns the exit code to throw.
func fail(_ message: String, hint: String? = nil, code: Int32 = 1) -> ExitCode {
    var text = "error: \(message)\n"
    if let hint { text += "hint: \(hint)\n" }
    FileHandle.standardError.write(Data(text.utf8))
    return ExitCode(code)
}

/// Prints a warning to standard error; the command goes on.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
}

/// Makes `directory` (and its parents) if needed, with a typed failure naming it.
func makeDirectory(_ directory: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
        throw fail("cannot create the folder \(directory): \(error.localizedDescription)",
                   hint: "choose a folder you can write to with --output")
    }
}
