// swift-tools-version: 6.1
//
// Lumen's architecture map. Read it top to bottom: each section depends only on the sections
// above it and on the C shims listed at the end (which depend on nothing). The code of every
// target is Swift (the shims' headers add one C function: OpenBLAS's asks the compiler whether
// the CPU has AVX2, for the AVX2Kernels module of section 3). Four C libraries come in through
// system-library targets — Graphviz and Cairo (drawing), OpenBLAS (the optional fast path,
// package trait `BLAS`) and zlib (gzipped MNIST files) — and each is visible only to the
// targets that call it: Render, Plots and FileFormats (Cairo decodes PNG inputs), Tensors and
// Datasets. Sections 1 and 2 see no C library at all.

import PackageDescription

/// `./run-tests` sets LUMEN_OPTIMIZE_TESTS=1, and then the modules where the tests spend their
/// time (the numeric kernels, the scalar engine, the layers, the graders that replay thousands
/// of seeds) are compiled with `-O` in debug builds too. Unoptimized, their generic code runs
/// 10–50× slower: with Tensors alone unoptimized, the four heaviest suites took twice the CPU
/// time (Docs/performance.md, "Session 7: the test suite"). Everything else, and every debug build made
/// without the variable (`swift build`, a debugger session), stays unoptimized, and a package
/// that depends on Lumen never sees the flag.
let optimizedInTests: [SwiftSetting] = Context.environment["LUMEN_OPTIMIZE_TESTS"] == "1"
    ? [.unsafeFlags(["-O"], .when(configuration: .debug))] : []

/// AVX2Kernels is compiled for AVX2 and FMA on x86-64 (the clang importer's target, which
/// Swift's code generation follows); BLASBackend calls it only after checking that the CPU has
/// both. On other architectures it holds only the vector math (AVX2Math), compiled for the
/// baseline. These are unsafe flags, which SwiftPM accepts in a dependency named by path or by
/// branch (as the README's examples do), not by version.
#if arch(x86_64)
let avx2: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma"])]
#else
let avx2: [SwiftSetting] = []
#endif

let package = Package(
    name: "Lumen",
    products: [
        .library(name: "Basics", targets: ["Basics"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "ScalarNN", targets: ["ScalarNN"]),
        .library(name: "Viz", targets: ["Viz"]),
        .library(name: "Render", targets: ["Render"]),
        .library(name: "Plots", targets: ["Plots"]),
        .library(name: "Expressions", targets: ["Expressions"]),
        .library(name: "Layers", targets: ["Layers"]),
        .library(name: "Optimizers", targets: ["Optimizers"]),
        .library(name: "Datasets", targets: ["Datasets"]),
        .library(name: "Checkpoints", targets: ["Checkpoints"]),
        .library(name: "Training", targets: ["Training"]),
        .library(name: "LessonKit", targets: ["LessonKit"]),
        .library(name: "ExerciseKit", targets: ["ExerciseKit"]),
        .library(name: "ExerciseGraders", targets: ["ExerciseGraders"]),
        .executable(name: "lumen", targets: ["LumenCLI"]),
        .executable(name: "lumen-bench", targets: ["LumenBench"]),
    ],
    traits: [
        .trait(name: "BLAS", description: "The OpenBLAS fast path (libopenblas-dev)."),
        .default(enabledTraits: ["BLAS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),  // Interop's ONNX messages
    ],
    targets: [
        // MARK: - 1. Shared rules (pure Swift, no dependencies)

        /// What several modules need and none owns: the seeded random number generator, the
        /// shape rules (broadcasting, matmul shapes, a shape as text) that Tensors and
        /// Expressions both apply, and `trapUnless`, a programmer-error check whose message
        /// survives optimized builds.
        .target(name: "Basics", swiftSettings: optimizedInTests),
        /// Writing a file all at once or not at all (a temporary file, fsync, rename), and
        /// opening one to read without trusting it (its kind and size first, bounded reads).
        .target(name: "Files"),

        // MARK: - 2. The scalar engine (pure Swift)

        /// Scalar autograd: `Value`, its primitives, backward (whole or step by step) and
        /// gradient checking. Re-exports Basics, so `import Engine` brings `SplitMix64`.
        .target(name: "Engine", dependencies: ["Basics"], swiftSettings: optimizedInTests),
        /// Neuron, Layer and MLP over `Value`s, the two-moons data and its training loop.
        .target(name: "ScalarNN", dependencies: ["Basics", "Engine"], swiftSettings: optimizedInTests),

        // MARK: - 3. Tensors (Swift; OpenBLAS with the `BLAS` trait)

        /// N-d tensors: views over shared storage, broadcasting, autograd, the op catalogue,
        /// and the Backend protocol with its readable ReferenceBackend; with the `BLAS` trait
        /// also the BLASBackend, the only code that sees OpenBLAS. Re-exports Basics.
        .target(name: "Tensors", dependencies: [
            "Basics", .target(name: "COpenBLAS", condition: .when(traits: ["BLAS"])),
            .target(name: "AVX2Kernels", condition: .when(traits: ["BLAS"])),
        ], swiftSettings: optimizedInTests),
        /// The fast path's matrix products with a short inner dimension (a convolution's),
        /// register-tiled loops compiled for AVX2 and FMA, which BLASBackend calls in place of
        /// OpenBLAS where they are faster; and Float eˣ, σ, tanh, erf and GELU in vectors of
        /// eight (AVX2Math). Pure Swift, no dependencies.
        .target(name: "AVX2Kernels", swiftSettings: avx2 + optimizedInTests),

        // MARK: - 4. From text to picture

        /// Text expressions such as "tanh(x*w + b)" parsed into a `Value` graph, or into a
        /// `Tensor` graph when the variables are given shapes ("sum(relu(x @ W + b))").
        .target(name: "Expressions", dependencies: ["Basics", "Engine", "Tensors"]),
        /// The DOT writer: any traced graph to Graphviz text, annotated with values and
        /// gradients. Text only; drawing it is `Render`'s job.
        .target(name: "Viz", dependencies: ["Basics", "Engine", "Tensors"]),
        /// DOT text to SVG and PNG, in-process through libgvc (serialized: Graphviz is not
        /// thread-safe); and `value.draw(to:)` / `tensor.draw(to:)`, drawing in one call.
        .target(name: "Render", dependencies: ["Files", "CGraphviz", "Engine", "Tensors", "Viz"]),
        /// Loss curves and decision boundaries, drawn with Cairo to PNG and SVG.
        .target(name: "Plots", dependencies: ["Basics", "Files", "CCairo"]),

        // MARK: - 5. The training stack

        /// `Module` (named parameters, train/eval) and the layers built on the tensor ops:
        /// Linear, Conv2d, pooling, norms, Embedding, RNN/LSTM, attention, Sequential; the
        /// model summary.
        .target(name: "Layers", dependencies: ["Basics", "Tensors"], swiftSettings: optimizedInTests),
        /// SGD, Adam, AdamW, RMSprop as PyTorch documents them; learning-rate schedules and
        /// gradient clipping.
        .target(name: "Optimizers", dependencies: ["Basics", "Tensors"], swiftSettings: optimizedInTests),
        /// Datasets and the batching loader: synthetic 2-D sets, the bundled digits, MNIST IDX files.
        /// (The bundled digits are in Sources/Datasets/Resources; zlib reads gzipped IDX files.)
        .target(name: "Datasets", dependencies: ["Basics", "Tensors", "Files", "CZlib"], resources: [.copy("Resources")], swiftSettings: optimizedInTests),
        /// Saving and loading a model's state as safetensors.
        .target(name: "Checkpoints", dependencies: ["Basics", "Tensors", "Layers", "Files"]),
        /// The training loop, the built-in recipes of `lumen train`, the progress bar and the
        /// output folder (curves, decision boundary, graph, summary, checkpoint).
        .target(name: "Training", dependencies: ["Basics", "Layers", "Optimizers", "Datasets", "Checkpoints",
                                                 "Tensors", "Viz", "Render", "Plots", "Files", "FileFormats"], swiftSettings: optimizedInTests),
        /// Data files that users hand Lumen: CSV tables, numpy's .npy arrays and PNG pictures
        /// (Cairo decodes PNG), each read with its sizes checked first. Knows nothing of models,
        /// so each reader is fuzzed alone (Fuzz/, Scripts/fuzz.sh).
        .target(name: "FileFormats", dependencies: ["Files", "CCairo"]),
        /// Models that leave Lumen and come back: a checkpoint's model rebuilt and evaluated,
        /// predictions on the inputs FileFormats reads, and ONNX export (its protobuf messages
        /// generated once from onnx.proto by Scripts/generate-onnx.sh, encoded by swift-protobuf).
        .target(name: "Interop", dependencies: ["Checkpoints", "Training", "Layers", "Tensors", "Datasets", "Files", "FileFormats",
                                                "Viz",  // `lumen draw model.onnx` (ONNXDrawing.swift)
                                                .product(name: "SwiftProtobuf", package: "swift-protobuf")]),

        // MARK: - 6. Lessons

        /// The lesson machinery: Markdown steps, terminal rendering, progress, the step
        /// runner, backprop frames and plots (SVG and PNG) and the HTML export.
        .target(name: "LessonKit", dependencies: ["Basics", "Engine", "Tensors", "Viz", "Render", "Plots", "Files"]),
        /// The curriculum: one folder per lesson, its Markdown text and the Swift its steps run.
        .target(name: "Lessons", dependencies: ["LessonKit", "Engine", "ScalarNN", "Tensors", "Layers", "Optimizers", "Datasets",
                                                "Checkpoints"],  // lesson 17 loads the shipped pre-trained model
                path: "Lessons"),

        // MARK: - 7. Exercises

        /// All that the learner's code may import: the types its functions take and return, the
        /// stub error, and the child's side of `lumen grade`'s conversation. No answers in it.
        .target(name: "ExerciseKit"),
        /// The graders of Exercises/: one per task, on fresh random inputs, checked against
        /// the engine, Lumen's Tensors and finite differences; the task catalogue and its hints.
        .target(name: "ExerciseGraders", dependencies: ["ExerciseKit", "Engine", "Tensors", "ScalarNN", "Viz", "Render"], swiftSettings: optimizedInTests),
        /// `lumen grade` and `lumen hint`: each task's tests in its own child process, the
        /// scoreboard, the progress file.
        .target(name: "Grading", dependencies: ["ExerciseKit", "ExerciseGraders"]),
        /// The reference solutions (outside the learner's folder), compiled here so that Lumen's
        /// own tests grade them in-process. The learner's working files (Exercises/Sources) are
        /// never compiled by this package: Exercises/ is a package of its own.
        .target(name: "ExerciseSolutions", dependencies: ["ExerciseKit"], swiftSettings: optimizedInTests),

        // MARK: - 8. Programs

        /// The `lumen` command: draw, train.
        .executableTarget(
            name: "LumenCLI",
            dependencies: [
                "Engine", "Tensors", "ScalarNN", "Expressions", "Viz", "Render", "Plots", "LessonKit", "Lessons",
                "Layers", "Optimizers", "Datasets", "Checkpoints", "Training", "Files", "FileFormats", "Interop",
                "ExerciseGraders", "Grading",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// `lumen-bench`: the workloads of ../shared/bench/WORKLOADS.md. Run it in release.
        .executableTarget(name: "LumenBench", dependencies: [
            "Basics", "Engine", "ScalarNN", "Tensors", "Layers", "Optimizers", "Viz", "Render",  // Viz, Render: `render`
            "Datasets", "Training", "Checkpoints",  // `recipes`: lumen train's recipes, the peer's bundle
            .target(name: "COpenBLAS", condition: .when(traits: ["BLAS"])),  // W5's bare cblas_sgemm
        ], exclude: ["peers"]),  // the PyTorch peers, run by `lumen-bench recipes`

        // MARK: - The C shims: four system libraries, installed by Scripts/install-deps.sh

        /// Graphviz's libgvc, for Render.
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
        /// Cairo, for Plots.
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        /// OpenBLAS, for Tensors' BLASBackend (trait `BLAS`); its shim header also asks whether
        /// the CPU has AVX2 and FMA.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        /// zlib, for Datasets' gzip-compressed MNIST files.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: - Tests (each mirrors one source target)

        /// Shared test helpers: closeness checks and seeded random inputs. Not API.
        .target(name: "_TestSupport", dependencies: ["Engine"]),
        .testTarget(name: "BasicsTests", dependencies: ["Basics"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "_TestSupport"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "AVX2Kernels", "Engine", "_TestSupport"]),
        .testTarget(name: "ScalarNNTests", dependencies: ["ScalarNN", "_TestSupport"]),
        .testTarget(name: "ExpressionsTests", dependencies: ["Expressions", "Tensors", "_TestSupport"]),
        .testTarget(name: "VizTests", dependencies: ["Viz", "Tensors", "Render", "_TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "FilesTests", dependencies: ["Files"]),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "Tensors", "Engine", "_TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "OptimizersTests", dependencies: ["Optimizers", "Tensors", "_TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Tensors", "_TestSupport"]),
        .testTarget(name: "CheckpointsTests", dependencies: ["Checkpoints", "Layers", "Tensors", "_TestSupport"], exclude: ["Fixtures"]),
        /// Also hands Lumen's files to Python's safetensors, onnx and onnxruntime (Scripts/python-env.sh).
        .testTarget(name: "InteropTests", dependencies: ["Interop", "FileFormats", "Checkpoints", "Training", "Layers", "Tensors", "Datasets", "Engine", "Viz",
                                                        "LumenCLI", "_TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Layers", "Optimizers", "Datasets", "Checkpoints", "Tensors",
                                                     "_TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Viz", "Engine", "Tensors", "_TestSupport"]),
        .testTarget(name: "PlotsTests", dependencies: ["Plots", "_TestSupport"]),
        /// Runs the built `lumen` (this dependency makes `swift test` build it) and reads its output.
        .testTarget(name: "LumenCLITests", dependencies: ["LumenCLI", "_TestSupport"]),
        /// Also runs the built `lumen grade` on a fresh copy of the Exercises package.
        .testTarget(name: "GradingTests", dependencies: ["ExerciseGraders", "Grading", "ExerciseSolutions", "LumenCLI"]),
        .testTarget(name: "LessonKitTests", dependencies: ["LessonKit", "Engine", "Tensors", "Plots", "_TestSupport"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "LessonKit", "Engine", "Tensors", "Layers", "Optimizers",
                                                    "Datasets", "Plots", "_TestSupport"]),
        /// Drives the built `lumen learn` through tmux and its HTML export through chromium.
        .testTarget(name: "LearnCommandTests", dependencies: ["LumenCLI", "_TestSupport"]),
    ]
)
