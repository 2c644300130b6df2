import Testing

@testable import Engine

/// The pieces of data-parallel training that one process can check: how a batch is shared, that a rank's
/// dropout and stochastic-depth masks are its rows of the whole batch's, and that batch normalisation over a
/// shard (SyncBatchNorm's sums, all-reduced) equals the plain one in values and gradients. Two real ranks are
/// checked in ShellTests/DataParallelTests.
@Suite struct DataParallelShardTests {
    @Test func batchesAreSharedInContiguousNearlyEqualParts() {
        #expect((0..<3).map { Communicator.share(of: 10, rank: $0, size: 3) } == [0..<4, 4..<7, 7..<10])
        #expect((0..<2).map { Communicator.share(of: 1, rank: $0, size: 2) } == [0..<1, 1..<1])
        let s = BatchShard(batch: 5, comm: .single)
        #expect(s.rows == 0..<5 && s.statisticRows == 5 && s.lossWeight == 1)
    }

    @Test func aRanksMasksAreItsRowsOfTheWholeBatchs() throws {
        let x = Tensor((0..<24).map { Float($0) + 1 }, shape: [4, 6])
        for (p, path) in [(Float(0.5), false), (0.3, true)] {
            var whole = SeededRandom(seed: 9), part = SeededRandom(seed: 9)
            let full = path ? try x.dropPath(p: p, rng: &whole) : try x.dropout(p: p, rng: &whole)
            let shard = BatchShard(comm: .single, rows: 1..<3, batchRows: 4, statisticRows: 4, lossWeight: 0.5)
            let rows = try shard.slice(x)
            let mine = path ? try rows.dropPath(p: p, rng: &part, shard: shard) : try rows.dropout(p: p, rng: &part, shard: shard)
            #expect(Array(UnsafeBufferPointer(start: mine.data, count: 12)) == Array(UnsafeBufferPointer(start: full.data + 6, count: 12)))
            // The generator advanced past the whole batch's draws, as in one process.
            #expect(whole.uniform() == part.uniform())
        }
    }

    @Test func batchNormOverAShardEqualsThePlainOne() throws {
        var rng = SeededRandom(seed: 4)
        let x = try Tensor.uniform([3, 4, 5], low: -2, high: 2, rng: &rng)
        x.requiresGrad = true
        let plain = BatchNorm1d(features: 4), synced = BatchNorm1d(features: 4)
        let shard = BatchShard(batch: 3, comm: .single)
        let a = try plain(x, training: true), b = try synced(x, training: true, shard: shard)
        let weights = try Tensor.uniform([3, 4, 5], low: -1, high: 1, rng: &rng)
        try a.mul(weights).sum().backward()
        let ga = x.grad!.clone()
        x.grad = nil
        try b.mul(weights).sum().backward()
        func maxDiff(_ u: Tensor, _ v: Tensor) -> Float { (0..<u.count).map { abs(u.data[$0] - v.data[$0]) }.max() ?? 0 }
        #expect(maxDiff(a, b) < 1e-5)
        #expect(maxDiff(ga, x.grad!) < 1e-5)
        #expect(maxDiff(plain.runningMean, synced.runningMean) < 1e-6 && maxDiff(plain.runningVar, synced.runningVar) < 1e-6)
        #expect(maxDiff(plain.weight.grad!, synced.weight.grad!) < 1e-5)
    }
}
