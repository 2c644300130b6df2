import Foundation
import Testing
@testable import Engine

/// Products through weights packed once (`WeightPackCache`, `PackedWeights`, `HaswellKernels`) against
/// `BLAS.sgemmParallel`: the same values bit for bit, whichever way the product is split over the workers, from the
/// first product of a scope (packing) and from the later ones (cached); and the scope's rules.
@Suite struct WeightPackCacheTests {
    static func values(_ count: Int, seed: UInt64) -> Tensor {
        var rng = SeededRandom(seed: seed)
        return try! Tensor.randn([count], rng: &rng)
    }

    static func sgemm(_ w: Tensor, _ x: Tensor, m: Int, n: Int, k: Int) -> [Float] {
        var c = [Float](repeating: .nan, count: m * n)
        BLAS.sgemmParallel(transA: false, transB: false, m: m, n: n, k: k, a: w.data, lda: k, b: x.data, ldb: n, c: &c, ldc: n)
        return c
    }

    static func product(_ w: Tensor, _ x: Tensor, m: Int, n: Int, k: Int) -> [Float] {
        var c = [Float](repeating: .nan, count: m * n)
        c.withUnsafeMutableBufferPointer { WeightPackCache.product(weight: w, m: m, n: n, k: k, x: x.data, c: $0.baseAddress!) }
        return c
    }

    static func differing(_ a: [Float], _ b: [Float]) -> Int { zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count }

    /// OpenBLAS runs its Haswell kernels on this machine kind (AVX2 + FMA, chosen by ecgs): then they must be found
    /// and pass the probe, or the packed path would silently never run.
    @Test func resolvesTheHaswellKernelsWhereOpenBLASRunsThem() {
        if BLAS.coreName.lowercased() == "haswell" { #expect(HaswellKernels.shared != nil) }
    }

    /// The blocking rules of OpenBLAS's level-3 driver at its Haswell parameters (P = Q = 320, 8 × 4 tiles).
    @Test func blocksAsOpenBLAS() {
        #expect([1024, 704, 400, 320, 64].map { HaswellKernels.kBlock($0) } == [320, 320, 200, 320, 64])
        #expect([700, 380, 330, 320, 7].map { HaswellKernels.rowBlock($0) } == [320, 192, 168, 320, 7])
        #expect([13, 12, 11, 5, 4, 3].map { HaswellKernels.columnChunk($0) } == [12, 12, 4, 4, 4, 3])
    }

    /// (m, n, k): rows split over the workers (m ≥ n, 1024 × 64 as the deepest ECGFounder stage), columns split
    /// (400 × 1256), one call (too small to split), K in 4 blocks, odd row counts and chunk tails. (`Parallel.workers`
    /// is left as it is: tests run concurrently and others compare two products made with it.)
    @Test(arguments: [(1024, 64, 1024), (400, 1256, 400), (24, 30, 50), (70, 700, 1000), (161, 96, 333), (13, 641, 7)])
    func equalsSgemmBitForBit(_ shape: (Int, Int, Int)) throws {
        let (m, n, k) = shape
        let w = Self.values(m * k, seed: 1), x = Self.values(k * n, seed: 2), x2 = Self.values(k * n, seed: 3)
        let expected = Self.sgemm(w, x, m: m, n: n, k: k), expected2 = Self.sgemm(w, x2, m: m, n: n, k: k)
        #expect(Self.differing(expected, expected2) > 0)
        WeightPackCache.reusing {
            // Without OpenBLAS's Haswell kernels (another core type) products are sgemm's and keep no pack.
            #expect(WeightPackCache.current != nil)
            let first = Self.product(w, x, m: m, n: n, k: k) // packs
            #expect(WeightPackCache.packedFloats >= (HaswellKernels.shared != nil ? m * k : 0))
            let again = Self.product(w, x2, m: m, n: n, k: k) // from the cache, new input
            #expect(Self.differing(first, expected) == 0, "first product")
            #expect(Self.differing(again, expected2) == 0, "cached weights")
        }
        #expect(Self.differing(Self.product(w, x, m: m, n: n, k: k), expected) == 0) // outside a scope: sgemm itself
    }

    /// Packs belong to their tensor (another with the same shape gets its own) and to their scope (freed at its end,
    /// so weights changed between two scopes are packed afresh); nested scopes share the outer one; another thread
    /// has none of this one's. (Without OpenBLAS's Haswell kernels the products are sgemm's; the scopes the same.)
    @Test func scopesAndKeys() throws {
        let (m, n, k) = (64, 48, 96)
        let w1 = Self.values(m * k, seed: 4), w2 = Self.values(m * k, seed: 5), x = Self.values(k * n, seed: 6)
        #expect(WeightPackCache.current == nil)
        WeightPackCache.reusing {
            #expect(Self.differing(Self.product(w1, x, m: m, n: n, k: k), Self.sgemm(w1, x, m: m, n: n, k: k)) == 0)
            #expect(Self.differing(Self.product(w2, x, m: m, n: n, k: k), Self.sgemm(w2, x, m: m, n: n, k: k)) == 0)
            let outer = WeightPackCache.current
            WeightPackCache.reusing { #expect(WeightPackCache.current === outer) }
            final class Seen: @unchecked Sendable { var none: Bool? }
            let seen = Seen()
            let t = Thread { seen.none = WeightPackCache.current == nil }
            t.start()
            while !t.isFinished { usleep(1000) }
            #expect(seen.none == true)
        }
        #expect(WeightPackCache.current == nil)
        w1.data[0] += 1 // the weights change between two evaluations
        WeightPackCache.reusing {
            #expect(Self.differing(Self.product(w1, x, m: m, n: n, k: k), Self.sgemm(w1, x, m: m, n: n, k: k)) == 0)
        }
    }

    /// An ECGFounder-shaped deep block (1024 channels at L = 4, batch 16: rows split, K in 4 blocks) through
    /// `Inference.withFixedWeights`, twice (packing, then reading the packs of all three convolutions): the same
    /// output bit for bit as without.
    @Test func blockForwardIsUnchanged() throws {
        var rng = SeededRandom(seed: 11)
        let b = Net1DBlock(
            inChannels: 1024, outChannels: 1024, kernelSize: 16, stride: 1, groups: 64, downsample: false, isFirstBlock: false,
            useBatchNorm: false, useDropout: false, rng: &rng)
        let x = try Tensor.randn([16, 1024, 4], rng: &rng)
        let plain = try GradMode.withoutGrad { try b.forward(x, ForwardContext()) }
        try Inference.withFixedWeights {
            for pass in 0..<2 {
                let packed = try GradMode.withoutGrad { try b.forward(x, ForwardContext()) }
                #expect(Self.differing(packed.values, plain.values) == 0, "pass \(pass)")
            }
            // conv2's packs for the direct kernel always; conv1's and conv3's for OpenBLAS's where it runs them.
            let direct = 1024 * 16 * 16
            #expect(WeightPackCache.packedFloats >= direct + (HaswellKernels.shared != nil ? 2 * 1024 * 1024 : 0))
        }
    }

    /// A whole ECGFounder-preset Net1D at L = 1000, batch 4 (every stage: the per-sample path at L ≥ 512, the
    /// channel-major blocks below; their 1×1 products split by rows — 1024 × 32 columns — and by columns — 160 × 252)
    /// inside and outside a scope, twice inside: the same logits bit for bit.
    @Test func modelForwardIsUnchanged() throws {
        let model = try Net1D(try Net1DConfig.preset("ecgfounder", classes: 5), seed: 3)
        var rng = SeededRandom(seed: 12)
        let x = try Tensor.randn([4, 12, 1000], rng: &rng)
        let plain = try GradMode.withoutGrad { try model.forward(x) }
        try Inference.withFixedWeights {
            for pass in 0..<2 {
                let packed = try GradMode.withoutGrad { try model.forward(x) }
                #expect(Self.differing(packed.values, plain.values) == 0, "pass \(pass)")
            }
            #expect(WeightPackCache.packedFloats > 0)
        }
    }
}
