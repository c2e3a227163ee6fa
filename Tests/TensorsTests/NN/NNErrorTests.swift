// NNErrorTests.swift — the words of the NN functions' errors: typed errors for bad labels and
// token ids (compared verbatim), and traps for shape mistakes, run in child processes (exit
// tests) and checked for the op, the shapes and the caller's file and line.

import Testing
@testable import Tensors

@Suite struct NNErrorTests {
    @Test func typedErrorDescriptionsSayHowToFix() {
        #expect(NNError.labelOutOfRange(label: 7, index: 2, classCount: 5).description
                == "label 7 at position 2 is out of range: with 5 classes a label must be in 0..<5; "
                + "check the data set's labels or the model's number of outputs")
        #expect(NNError.labelCountMismatch(labels: 3, batch: 4).description
                == "3 labels were given for a batch of 4 rows of logits; give exactly one label per row")
        #expect(NNError.tokenOutOfRange(id: 9, index: 0, vocabularySize: 9).description
                == "token id 9 at position 0 is out of range: the embedding table has 9 rows, so an id must be "
                + "in 0..<9; check the tokenizer or enlarge the table")
        #expect(NNError.idCountMismatch(ids: 5, shape: [2, 2]).description
                == "5 ids cannot be arranged in shape [2, 2], which needs 4; give exactly that many ids or change the shape")
    }

    @Test func conv2dChannelMismatchTrapNamesShapesAndCaller() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([1, 3, 5, 5]).conv2d(weight: .zeros([2, 4, 3, 3]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("conv2d: needs input [N, C, H, W] and weight [O, C, KH, KW] with the same C, "
                                + "got [1, 3, 5, 5] and [2, 4, 3, 3] (called from TensorsTests/NNErrorTests.swift:"))
    }

    @Test func meanSquaredErrorShapeTrap() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([4, 1]).meanSquaredError(.zeros([4]))
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("meanSquaredError: predictions [4, 1] and targets [4] must have the same shape "
                                + "(called from TensorsTests/NNErrorTests.swift:"))
    }
}
