// TrainCommand.swift — `lumen train`: train a model and draw how it learned.
//
// The `moons` recipe is micrograd's demo on Lumen's scalar engine: an MLP 2 → 16 → 16 → 1 on
// 100 noisy two-moons points, hinge loss plus L2, full batch, 100 steps of SGD. It prints one
// line per step and writes, with Cairo, the loss and accuracy curves and the decision
// boundary, each as PNG and SVG.
//
// Read next: Sources/ScalarNN/MoonsTraining.swift, the training loop itself.

import ArgumentParser
import Engine
import Plots
import ScalarNN

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model, printing its progress and drawing its curves.",
        discussion: """
            Recipes:
              moons   an MLP 2 → 16 → 16 → 1 of scalar Values on 100 noisy two-moons points \
            (micrograd's demo): hinge loss + L2, full batch, SGD with a decaying learning rate.

            Example:
              lumen train moons --steps 100 --output lumen-out/moons
            """
    )

    static let recipes = ["moons"]

    @Argument(help: ArgumentHelp("What to train: \(recipes.joined(separator: ", ")).", valueName: "recipe"))
    var recipe: String

    @Option(help: "Training steps (full-batch gradient steps).")
    var steps = 100

    @Option(help: "The seed of the data set.")
    var dataSeed: UInt64 = MoonsTraining.defaultDataSeed

    @Option(help: "The seed of the initial weights.")
    var initSeed: UInt64 = MoonsTraining.defaultInitSeed

    @Option(name: [.short, .long], help: ArgumentHelp("The folder for the pictures.", valueName: "folder"))
    var output = "lumen-out/moons"

    mutating func validate() throws {
        guard TrainCommand.recipes.contains(recipe) else {
            throw ValidationError("unknown recipe '\(recipe)': the recipes are \(TrainCommand.recipes.joined(separator: ", "))")
        }
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1, got \(steps)") }
    }

    func run() throws {
        let training: MoonsTraining
        do {
            training = try MoonsTraining(dataSeed: dataSeed, initSeed: initSeed, steps: steps)
        } catch {
            throw fail(error.description)
        }
        try makeDirectory(output)

        print("moons: MLP 2 → 16 → 16 → 1 (\(training.model.parameters.count) parameters), "
              + "\(training.points.count) points, \(steps) steps")
        var reports: [MoonsTrainingStep] = []
        while let report = training.step() {
            reports.append(report)
            print("step \(pad(report.step + 1, to: steps))/\(steps)  loss \(fixed(report.loss, 4))  "
                  + "accuracy \(fixed(100 * report.accuracy, 0))%  lr \(fixed(report.learningRate, 3))")
        }
        print("final accuracy (after the last update): \(fixed(100 * training.accuracy(), 1))%")

        try drawCurves(reports)
        try drawBoundary(training)
    }

    private func drawCurves(_ reports: [MoonsTrainingStep]) throws {
        let steps = reports.map { Double($0.step + 1) }
        let loss = LinePlot(title: "Loss", xLabel: "step", yLabel: "hinge loss + L2",
                            series: [.init(name: "loss", x: steps, y: reports.map(\.loss))])
        let accuracy = LinePlot(title: "Training accuracy", xLabel: "step", yLabel: "accuracy",
                                series: [.init(name: "accuracy", x: steps, y: reports.map(\.accuracy))])
        for (plot, name) in [(loss, "loss"), (accuracy, "accuracy")] {
            for format in PlotFormat.allCases {
                let path = "\(output)/\(name).\(format.rawValue)"
                do { try plot.write(to: path) } catch { throw fail(error.description, hint: error.hint) }
                print("wrote \(path)")
            }
        }
    }

    private func drawBoundary(_ training: MoonsTraining) throws {
        let points = zip(training.points, training.labels).map { point, label in
            DecisionBoundaryPlot.Point(x: point[0], y: point[1], label: label > 0 ? 1 : 0)
        }
        let plot = DecisionBoundaryPlot(title: "Decision boundary after \(steps) steps", points: points)
        for format in PlotFormat.allCases {
            let path = "\(output)/decision-boundary.\(format.rawValue)"
            do {
                try plot.write(to: path) { x, y in training.score(x, y) }
            } catch {
                throw fail(error.description, hint: error.hint)
            }
            print("wrote \(path)")
        }
    }

    private func fixed(_ x: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", x)
    }

    private func pad(_ n: Int, to total: Int) -> String {
        let text = String(n)
        return String(repeating: " ", count: max(0, String(total).count - text.count)) + text
    }
}

import Foundation
