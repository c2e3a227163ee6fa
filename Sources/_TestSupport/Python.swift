// Python.swift — the Python interpreter that the interop tests hand Lumen's files to: numpy
// and safetensors read its checkpoints, onnx checks and onnxruntime runs its exported models.
//
// `./run-tests` makes that interpreter's environment (Scripts/python-env.sh) and exports its
// path as LUMEN_PYTHON, so in CI these tests always run. When LUMEN_PYTHON is set it is used
// as it is, never replaced by a guess: a broken environment fails the tests instead of
// skipping them. A plain `swift test` without it uses the environment that an earlier
// ./run-tests left in ~/.cache/lumen-venv, and skips only when there is none.
//
// Read next: Tests/CheckpointsTests/SafetensorsPythonTests.swift.

import Foundation

/// A Python interpreter, and how to run a script with it.
public struct Python: Sendable {
    public let executable: String

    public init(executable: String) {
        self.executable = executable
    }

    /// The interop tests' interpreter (numpy, safetensors, onnx, onnxruntime): $LUMEN_PYTHON,
    /// else the environment Scripts/python-env.sh makes by default, if it imports them.
    public static let interop: Python? = {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["LUMEN_PYTHON"], !chosen.isEmpty { return Python(executable: chosen) }
        let cache = environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        let python = Python(executable: (environment["LUMEN_VENV"] ?? cache + "/lumen-venv") + "/bin/python")
        return python.canImport("numpy, safetensors, onnx, onnxruntime") ? python : nil
    }()

    /// The reason the interop tests give when they are skipped (never in ./run-tests or CI).
    public static let interopMissing =
        "needs the interop tests' Python: run ./run-tests, or Scripts/python-env.sh and set LUMEN_PYTHON to what it prints"

    /// A Python with PyTorch, for the few optional checks that need torch itself:
    /// $LUMEN_TORCH_PYTHON, else the interop interpreter, else /tmp/peers/bin/python, else
    /// python3 — the first that imports numpy, safetensors and torch.
    public static let withTorch: Python? = {
        var candidates = [interop?.executable, "/tmp/peers/bin/python", "/usr/bin/python3", "/usr/local/bin/python3"]
        candidates.insert(ProcessInfo.processInfo.environment["LUMEN_TORCH_PYTHON"], at: 0)
        for case let candidate? in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let python = Python(executable: candidate)
            if python.canImport("numpy, safetensors, torch") { return python }
        }
        return nil
    }()

    /// True when `import <modules>` succeeds.
    public func canImport(_ modules: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: executable) && (try? run(["-c", "import \(modules)"]))?.status == 0
    }

    /// Runs the interpreter with `arguments`; returns its exit status, standard output and
    /// standard error.
    public func run(_ arguments: [String]) throws -> (status: Int32, output: Data, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read standard error on another thread, so that neither pipe fills up and blocks.
        let errorText = ErrorText()
        let errorHandle = errors.fileHandleForReading
        Thread.detachNewThread { errorText.set(errorHandle.readDataToEndOfFile()) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data, errorText.wait())
    }

    /// Runs a script that prints one JSON object, and returns the object.
    ///
    /// - Throws: `PythonFailure` with the script's standard error when it exits non-zero or
    ///   prints something else.
    public func runJSON(_ arguments: [String]) throws -> [String: Any] {
        let (status, output, errors) = try run(arguments)
        guard status == 0 else {
            throw PythonFailure(description: "python \(arguments.joined(separator: " ")) exited with \(status):\n\(errors)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any] else {
            throw PythonFailure(description: "python \(arguments.joined(separator: " ")) printed no JSON object:\n"
                                + String(decoding: output, as: UTF8.self) + errors)
        }
        return object
    }
}

/// A Python script that failed, with what it said.
public struct PythonFailure: Error, CustomStringConvertible {
    public let description: String
}

/// Standard error's bytes, handed from the reading thread to the caller.
private final class ErrorText: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var text = ""
    func set(_ data: Data) {
        text = String(decoding: data, as: UTF8.self)
        done.signal()
    }
    func wait() -> String {
        done.wait()
        return text
    }
}
