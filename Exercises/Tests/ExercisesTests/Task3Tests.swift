// Task3Tests.swift — the graders of tier 3 (Training), one suite per task.
//
// `swift test --filter Task3_` grades the tier; `--filter Task3_3_` one task.
//
// Read next: ../../README.md

import Testing

@Suite struct Task3_1_LinearForward {
    @Test func grade() { gradeTask("3.1") }
}

@Suite struct Task3_2_LinearBackward {
    @Test func grade() { gradeTask("3.2") }
}

@Suite struct Task3_3_SGDMomentum {
    @Test func grade() { gradeTask("3.3") }
}

@Suite struct Task3_4_Adam {
    @Test func grade() { gradeTask("3.4") }
}

@Suite struct Task3_5_TrainMoons {
    @Test func grade() { gradeTask("3.5") }
}

@Suite struct Task3_6_Im2col {
    @Test func grade() { gradeTask("3.6") }
}

@Suite struct Task3_7_Conv2dForward {
    @Test func grade() { gradeTask("3.7") }
}

@Suite struct Task3_8_Conv2dBackward {
    @Test func grade() { gradeTask("3.8") }
}
