// swift-tools-version: 6.1
//
// The Lumen exercises: a package of their own, so `swift test` here checks your work quickly.
// Your code is in Sources/Exercises; the graders come from Lumen, one folder up.
//
//   swift test                      a quick check of everything
//   swift test --filter Task1_3_    a quick check of one task
//   lumen grade, lumen hint 1.3     the recorded verdict, and hints (see README.md)
//
// `lumen grade` does not use this file: it builds your Sources/Exercises with a manifest of
// its own, so that your module sees only ExerciseKit and Foundation whatever this file says.

import Foundation
import PackageDescription

// The Lumen checkout this package grades against: the folder above this one. (Lumen's own
// tests build a copy of this package elsewhere, and rewrite this one line to point back.)
let lumenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
// SwiftPM names a path dependency after its folder, so find out what the checkout is called.
let lumen = lumenFolder.lastPathComponent

let package = Package(
    name: "LumenExercises",
    dependencies: [
        .package(path: lumenFolder.path),
    ],
    targets: [
        /// Your code: the stubs marked `// TODO(Task x.y)`. It may import ExerciseKit and
        /// Foundation, nothing else (README.md, "What your code may import").
        .target(
            name: "Exercises",
            dependencies: [.product(name: "ExerciseKit", package: lumen)]
        ),
        /// One test suite per task, named Task1_1_…, Task1_2_…: the graders.
        .testTarget(
            name: "ExercisesTests",
            dependencies: ["Exercises", .product(name: "ExerciseGraders", package: lumen)]
        ),
    ]
)
