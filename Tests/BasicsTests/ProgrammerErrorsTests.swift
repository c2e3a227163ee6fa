// ProgrammerErrorsTests.swift — `trapUnless` (ProgrammerErrors.swift): it stops with its message
// and the caller's file in a child process (an exit test), and it builds the message only when
// the check fails. Basics is compiled with -O under ./run-tests, where `precondition` drops its
// message, so the first test is the case the function exists for.
//
// Read next: SplitMix64Tests.swift.

import Basics
import Testing

@Suite struct ProgrammerErrorsTests {
    @Test func aFailedCheckStopsWithItsMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let layers = 0
            trapUnless(layers > 0, "a network needs at least one layer, got \(layers)")
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains("a network needs at least one layer, got 0"))
        #expect(stderr.contains("BasicsTests/ProgrammerErrorsTests.swift"))
    }

    @Test func aPassingCheckNeverBuildsTheMessage() {
        var built = 0
        func message() -> String {
            built += 1
            return "unused"
        }
        trapUnless(1 + 1 == 2, message())
        #expect(built == 0)
    }
}
