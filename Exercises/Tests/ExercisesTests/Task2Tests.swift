// Task2Tests.swift — the graders of tier 2 (Tensors), one suite per task.
//
// `swift test --filter Task2_` grades the tier; `--filter Task2_3_` one task.
//
// Read next: Task3Tests.swift

import Testing

@Suite struct Task2_1_Strides {
    @Test func grade() { gradeTask("2.1") }
}

@Suite struct Task2_2_IndexAndPosition {
    @Test func grade() { gradeTask("2.2") }
}

@Suite struct Task2_3_BroadcastShape {
    @Test func grade() { gradeTask("2.3") }
}

@Suite struct Task2_4_SumToShape {
    @Test func grade() { gradeTask("2.4") }
}

@Suite struct Task2_5_ReductionBackward {
    @Test func grade() { gradeTask("2.5") }
}

@Suite struct Task2_6_MatmulBackward {
    @Test func grade() { gradeTask("2.6") }
}

@Suite struct Task2_7_Softmax {
    @Test func grade() { gradeTask("2.7") }
}

@Suite struct Task2_8_CrossEntropy {
    @Test func grade() { gradeTask("2.8") }
}
