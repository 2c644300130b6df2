import Foundation
import Synchronization

/// Weights packed for the kernels that read them — OpenBLAS's (`PackedWeights`) and the direct convolution's
/// (`ConvGeometry.packForwardWeights`) — kept for a run of forward passes that cannot change them.
///
/// OpenBLAS packs both factors of every product. In the deep stages of Net1D a 1×1 convolution multiplies up to 1024 ×
/// 1024 weights by a few dozen columns per sample, and packing the weights again for every batch took 7 % of an
/// ECGFounder forward pass at L = 1000, batch 16 (`sgemm_oncopy`); the grouped convolutions' own packing 2 %.
/// `reusing { … }` opens a scope on the calling thread in which each weight tensor is packed once, at its first use
/// by a channel-major block (`ChannelMajorBlock`), and reused by the next batches; the packs are
/// freed when the scope closes. Only code that reads the weights may run inside: `Inference.map` (prediction,
/// evaluation, embeddings, validation) and the benchmark's forward passes. Entries hold their tensor, so a tensor
/// freed inside the scope cannot hand its identity or memory to another. Scopes belong to threads: another thread's
/// products neither see nor fill this one's.
///
/// Products run as `BLAS.sgemmParallel` runs them (the same split over the workers, the same kernel calls), so they
/// are the same values bit for bit (`WeightPackCacheTests`); without OpenBLAS's Haswell kernels, or outside a scope,
/// they are `BLAS.sgemmParallel`. The direct convolution reads the same packed values whether they were kept or not.
final class WeightPackCache: @unchecked Sendable {
    /// How a pack lays its tensor out: rows of a matrix for OpenBLAS's kernel, or a direct convolution's weights.
    private enum Layout: Hashable {
        case gemmRows(Range<Int>, k: Int)
        case directForward(cin: Int, cout: Int, k: Int, stride: Int, groups: Int)
    }

    private struct Key: Hashable {
        let tensor: ObjectIdentifier
        let data: UnsafeMutablePointer<Float>
        let layout: Layout
    }

    /// A direct convolution's packed weights (`ConvGeometry.packForwardWeights`), freed with the scope.
    private final class DirectPack {
        let pointer: UnsafeMutablePointer<Float>
        init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
        deinit { pointer.deallocate() }
    }

    private var entries: [Key: (tensor: Tensor, pack: AnyObject, floats: Int)] = [:]
    private var scratch: [PackedWeights.Scratch] = []
    /// OpenBLAS's Haswell kernels, when it runs them (else products are `BLAS.sgemmParallel`'s).
    private let kernels: HaswellKernels?
    /// The open scopes, by the thread that opened each.
    private static let active = Mutex<[pthread_t: WeightPackCache]>([:])

    private init(kernels: HaswellKernels?) { self.kernels = kernels }

    /// Runs `body` with weight packs reused across its products on this thread (within a scope already open on this
    /// thread, that scope's).
    static func reusing<T>(_ body: () throws -> T) rethrows -> T {
        let thread = pthread_self()
        let opened = active.withLock { scopes in
            if scopes[thread] != nil { return false }
            scopes[thread] = WeightPackCache(kernels: HaswellKernels.shared)
            return true
        }
        defer { if opened { active.withLock { _ = $0.removeValue(forKey: thread) } } }
        return try body()
    }

    /// The scope open on the calling thread, if any.
    static var current: WeightPackCache? { active.withLock { $0[pthread_self()] } }

    /// Floats held by the packs of the open scope (0 when none is open on this thread).
    static var packedFloats: Int { current?.entries.values.reduce(0) { $0 + $1.floats } ?? 0 }

    /// The pack of `weight` in `layout`, made by `make` (returning it and its size in floats) at the first request.
    private func pack<P: AnyObject>(_ weight: Tensor, _ layout: Layout, _ make: () -> (P, Int)) -> P {
        let key = Key(tensor: ObjectIdentifier(weight), data: weight.data, layout: layout)
        if let hit = entries[key] { return hit.pack as! P } // one pack type per layout
        let (p, floats) = make()
        entries[key] = (weight, p, floats)
        return p
    }

    /// Whether this scope already holds a pack of `weight`.
    private func packs(_ weight: Tensor) -> Bool { entries.keys.contains { $0.tensor == ObjectIdentifier(weight) } }

    private func packed(_ weight: Tensor, rows: Range<Int>, k: Int, kernels: HaswellKernels) -> PackedWeights {
        pack(weight, .gemmRows(rows, k: k)) {
            let p = PackedWeights(weight.data, rows: rows, k: k, kernels: kernels)
            return (p, p.floats)
        }
    }

    /// `weight` packed for `g`'s direct convolution (`ConvGeometry.packForwardWeights`), kept by the scope open on
    /// this thread; nil when none is open (the convolution then packs its own).
    static func directWeights(_ weight: Tensor, _ g: ConvGeometry) -> UnsafePointer<Float>? {
        guard let cache = current else { return nil }
        let layout = Layout.directForward(cin: g.cin, cout: g.cout, k: g.k, stride: g.stride, groups: g.groups)
        let p = cache.pack(weight, layout) { (DirectPack(g.packForwardWeights(weight.data)), g.packedForwardWeights) }
        return UnsafePointer(p.pointer)
    }

    private func scratch(_ count: Int) -> [PackedWeights.Scratch] {
        while scratch.count < count { scratch.append(PackedWeights.Scratch()) }
        return scratch
    }

    /// `c (m × n) = weight (m × k) · x (k × n)`, row-major, on the workers: `BLAS.sgemmParallel`'s values bit for bit,
    /// through packs of `weight` kept by the scope open on this thread, if any.
    static func product(weight: Tensor, m: Int, n: Int, k: Int, x: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        precondition(weight.count == m * k, "weight matrix of \(weight.count) values for a \(m)×\(k) product")
        // Outside a scope, without the kernels, or (a pack being as large as the weights) where memory is short for
        // a new pack: sgemm, which packs as it goes.
        guard let cache = current, let kernels = cache.kernels, m > 0, n > 0,
            cache.packs(weight) || m * k * MemoryLayout<Float>.stride < MemoryGuard.availableBytes / 4
        else {
            BLAS.sgemmParallel(transA: false, transB: false, m: m, n: n, k: k, a: weight.data, lda: k, b: x, ldb: n, c: c, ldc: n)
            return
        }
        let split = BLAS.parallelSplit(m: m, n: n, k: k) ?? (rows: true, blocks: [0..<m])
        let scratch = cache.scratch(split.blocks.count)
        if split.rows {
            let packs = split.blocks.map { cache.packed(weight, rows: $0, k: k, kernels: kernels) }
            Parallel.run(split.blocks.count) { i in
                packs[i].multiply(x, ldx: n, columns: 0..<n, into: c + split.blocks[i].lowerBound * n, ldc: n, scratch: scratch[i])
            }
        } else {
            let pack = cache.packed(weight, rows: 0..<m, k: k, kernels: kernels)
            Parallel.run(split.blocks.count) { i in
                pack.multiply(x, ldx: n, columns: split.blocks[i], into: c, ldc: n, scratch: scratch[i])
            }
        }
    }
}
