// Task4Tests.swift — the graders of tier 4 (Deep networks), one suite per task.
//
// `swift test --filter Task4_` grades the tier; `--filter Task4_1_` one task.
//
// Read next: ../../README.md

import Testing

@Suite struct Task4_1_BatchNormBackward {
    @Test func grade() { gradeTask("4.1") }
}

@Suite struct Task4_2_KaimingStd {
    @Test func grade() { gradeTask("4.2") }
}

@Suite struct Task4_3_EmbeddingBackward {
    @Test func grade() { gradeTask("4.3") }
}

@Suite struct Task4_4_LSTMCellBackward {
    @Test func grade() { gradeTask("4.4") }
}

@Suite struct Task4_5_CausalAttention {
    @Test func grade() { gradeTask("4.5") }
}

@Suite struct Task4_6_SampleWithTemperature {
    @Test func grade() { gradeTask("4.6") }
}

@Suite struct Task4_7_DiscriminatorStep {
    @Test func grade() { gradeTask("4.7") }
}

@Suite struct Task4_8_ModesCovered {
    @Test func grade() { gradeTask("4.8") }
}

@Suite struct Task4_9_CausalAttentionBackward {
    @Test func grade() { gradeTask("4.9") }
}
