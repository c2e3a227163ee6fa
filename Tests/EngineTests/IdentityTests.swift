// IdentityTests.swift — node ids (Value+Identity.swift): counted in creation order on one
// thread, unique across threads, and handed out in blocks without gaps or repeats.
//
// Read next: PrimitivesTests.swift.

@testable import Engine
import Foundation
import Synchronization
import Testing

@Suite("Identity")
struct IdentityTests {
    @Test("on one thread, ids count up by one per node, across the end of a block")
    func consecutiveOnOneThread() {
        // More than two blocks' worth, so that the run crosses at least one refill.
        let count = 2 * IDBlock.size + 10
        let values = (0..<count).map { Value(Double($0)) }
        let ids = values.map(\.id)
        // Nothing else on this thread makes nodes meanwhile, so the ids may jump only where
        // a block ends (another thread may have taken the next block), and never go back.
        let steps = zip(ids, ids.dropFirst()).map { $1 - $0 }
        #expect(steps.allSatisfy { $0 >= 1 })
        #expect(steps.filter { $0 != 1 }.count <= 3, "ids jump only at the end of a block")
    }

    @Test("threads building at once never get the same id, and each sees its own in order")
    func uniqueAcrossThreads() {
        let threads = 4, perThread = 3 * IDBlock.size
        let collected = Mutex<[[Int]]>(Array(repeating: [], count: threads))
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var ids: [Int] = []
            ids.reserveCapacity(perThread)
            for i in 0..<perThread {
                ids.append(Value(Double(i)).id)
            }
            collected.withLock { $0[t] = ids }
        }
        let all = collected.withLock { $0 }
        #expect(all.allSatisfy { $0.count == perThread })
        #expect(all.allSatisfy { ids in zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 } })
        #expect(Set(all.joined()).count == threads * perThread, "two nodes got the same id")
    }
}
