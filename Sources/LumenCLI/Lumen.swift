// Lumen.swift — the `lumen` command: its subcommands, one file each.
//
// Each subcommand is a thin layer over a library target: it parses arguments, calls the
// library, and turns the library's typed errors into a message and an exit code.
//
// Read next: DrawCommand.swift (expression → graph → backward → picture).

import ArgumentParser

@main
struct Lumen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lumen",
        abstract: "A deep-learning framework you can watch: draw graphs, train, learn.",
        subcommands: [DrawCommand.self, TrainCommand.self, LearnCommand.self, GradeCommand.self, HintCommand.self,
                      WatchCommand.self, ResetCommand.self, SolutionCommand.self,
                      EvalCommand.self, PredictCommand.self, ExportCommand.self, QuantizeCommand.self]
    )
}
