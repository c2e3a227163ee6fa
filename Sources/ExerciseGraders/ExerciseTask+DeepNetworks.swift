// ExerciseTask+DeepNetworks.swift — tier 4 of the catalogue (lessons 13–16): array tasks, each
// one row that carries its grader.
//
// An array task's function takes and returns arrays, so it needs no message, property or
// stand-in of its own: its row here names its grader, its line in Hookup.swift adapts the
// learner's typed function, and `Grader.check` finds the grader through the row.
//
// Read next: Graders+DeepNetworks.swift.

extension ExerciseTask {
    static let deepNetworkTasks: [ExerciseTask] = [
        ExerciseTask(id: "4.1", title: "BatchNorm backward by hand", points: 4, file: "Normalization.swift", lesson: "Lesson 13: initialization and normalization",
                     hints: ["Every x̂ of a column depends on every x of that column, through the batch mean and variance.",
                             "dβ and dγ are sums over the rows; dx = γ/√(σ²+ε) times (dy minus its column mean minus x̂ times the column mean of dy·x̂).",
                             "Recompute the column's mean, its variance divided by N (the batch's own, not N − 1), √(σ² + ε) and x̂ before the sums."],
                     arrayGrader: Grader.checkBatchNormBackward),
        ExerciseTask(id: "4.2", title: "Kaiming initialization's scale", points: 1, file: "Normalization.swift", lesson: "Lesson 13: initialization and normalization",
                     hints: ["The weights' variance must make up for the fan-in and for the half of the signal a ReLU drops.",
                             "The gain of a leaky ReLU of slope a is √(2 / (1 + a²)); the standard deviation is the gain over √fanIn.",
                             "a = 0 gives ReLU's √2, a = 1 a linear layer's 1; return the standard deviation, not the variance."],
                     arrayGrader: Grader.checkKaimingStd),
        ExerciseTask(id: "4.3", title: "embedding backward", points: 2, file: "Sequences.swift", lesson: "Lesson 14: a character model on names (LSTM)",
                     hints: ["The forward copied one table row per position; the backward sends each position's gradient back to that row.",
                             "A letter that appears twice in a name was copied twice, so its row receives both gradients.",
                             "Start from a table of zeros and add (+=) each upstream row into the row of its id; assigning keeps only the last one."],
                     arrayGrader: Grader.checkEmbeddingBackward),
        ExerciseTask(id: "4.4", title: "LSTM cell backward", points: 5, file: "Sequences.swift", lesson: "Lesson 14: a character model on names (LSTM)",
                     hints: ["Run the step forward again, keeping i, f, g, o and the new cell c'; then walk back from h' and c'.",
                             "c' reaches the loss twice: directly (dc') and through h' = o·tanh(c'). Add both before going into the gates.",
                             "Each gate's derivative uses its output: σ' = s(1 − s), tanh' = 1 − t². The two matrix products then go back as in the Linear backward (3.2)."],
                     arrayGrader: Grader.checkLSTMCellBackward),
        ExerciseTask(id: "4.5", title: "causal self-attention", points: 3, file: "Attention.swift", lesson: "Lesson 15: attention and a tiny GPT",
                     hints: ["Position i may look at positions 0 through i only: a model that predicts the next character must not see it.",
                             "Scores are q·k / √d; the ones for j > i are left out (−∞ before the softmax), and each row's softmax subtracts its maximum.",
                             "The output row i is the softmax-weighted sum of the value rows 0 through i."],
                     arrayGrader: Grader.checkCausalAttention),
        ExerciseTask(id: "4.6", title: "sampling at a temperature", points: 2, file: "Attention.swift", lesson: "Lesson 14: a character model on names (LSTM)",
                     hints: ["Temperature divides the logits before the softmax: below 1 it sharpens the distribution, above 1 it flattens it.",
                             "Walk the probabilities in order, keeping a running sum, and stop at the first index where u is below it.",
                             "Logits can be 800 apart: subtract the largest scaled logit before exp, as in task 2.7."],
                     arrayGrader: Grader.checkSampleWithTemperature),
        ExerciseTask(id: "4.7", title: "the discriminator's step (detach)", points: 3, file: "GAN.swift", lesson: "Lesson 16: a GAN in 2-D",
                     hints: ["The discriminator learns to say 1 for real points and 0 for generated ones; the generator must not move in its step.",
                             "For a logit ℓ, the loss of a real point is softplus(−ℓ) and of a fake one softplus(ℓ); ∂/∂ℓ is σ(ℓ) minus the label, over the batch size.",
                             "Treat the generated points as constants (detached): step wd and bd only, and give back wg and bg untouched. The loss is the one before the step."],
                     arrayGrader: Grader.checkDiscriminatorStep),
        ExerciseTask(id: "4.8", title: "counting covered modes", points: 2, file: "GAN.swift", lesson: "Lesson 16: a GAN in 2-D",
                     hints: ["A generator that collapses puts every sample near one mode; counting covered modes measures that.",
                             "Give each sample to its nearest centre, only when its distance is at most the radius; then count centres with at least `minimum` samples.",
                             "Compare a distance with the radius, or a squared distance with the radius squared, never one with the other."],
                     arrayGrader: Grader.checkModesCovered),
        ExerciseTask(id: "4.9", title: "causal attention backward by hand", points: 4, file: "Attention.swift",
                     lesson: "Lesson 15: attention and a tiny GPT (one attention block's backward)",
                     hints: ["Attention is three steps you know: scores S = q·kᵀ/√d, a softmax per row over j ≤ i, and out = P·v. Go back through them in reverse.",
                             "out = P·v is a matmul (task 2.6): dv = Pᵀ·dOut and dP = dOut·vᵀ. The softmax's backward for one row is P ⊙ (dP − Σ P·dP).",
                             "Recompute P as the forward did, the mask included, so a future position gets no gradient. S = q·kᵀ/√d is a matmul again, and its 1/√d scales both dq and dk."],
                     arrayGrader: Grader.checkCausalAttentionBackward),
    ]
}
