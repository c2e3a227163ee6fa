// swift-tools-version: 6.1
//
// The Lumen exercises: a package of their own, so `swift test` here grades your work.
// Your code is in Sources/Exercises; the graders come from Lumen, one folder up.
//
//   swift test                      grade everything
//   swift test --filter Task1_3_    grade one task
//   lumen grade, lumen hint 1.3     the scoreboard, and hints (see README.md)

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
        /// Your code: the stubs marked `// TODO(Task x.y)`.
        .target(
            name: "Exercises",
            dependencies: [
                .product(name: "ExerciseGraders", package: lumen),
                .product(name: "Engine", package: lumen),
            ]
        ),
        /// One test suite per task, named Task1_1_…, Task1_2_…: the graders.
        .testTarget(
            name: "ExercisesTests",
            dependencies: ["Exercises", .product(name: "ExerciseGraders", package: lumen)]
        ),
    ]
)
