// Task1Tests.swift — the graders of tier 1 (Scalars), one suite per task.
//
// `swift test --filter Task1_` grades the tier; `--filter Task1_3_` one task.
//
// Read next: Task2Tests.swift

import Testing

@Suite struct Task1_1_MulBackward {
    @Test func grade() { gradeTask("1.1") }
}

@Suite struct Task1_2_PowBackward {
    @Test func grade() { gradeTask("1.2") }
}

@Suite struct Task1_3_TanhBackward {
    @Test func grade() { gradeTask("1.3") }
}

@Suite struct Task1_4_ExpBackward {
    @Test func grade() { gradeTask("1.4") }
}

@Suite struct Task1_5_TopologicalOrder {
    @Test func grade() { gradeTask("1.5") }
}

@Suite struct Task1_6_Backward {
    @Test func grade() { gradeTask("1.6") }
}

@Suite struct Task1_7_ZeroGrad {
    @Test func grade() { gradeTask("1.7") }
}

@Suite struct Task1_8_NumericalGradient {
    @Test func grade() { gradeTask("1.8") }
}
