import Foundation

/// Rows of a weight matrix `W` (k values each, row-major) packed once into OpenBLAS's Haswell panels, so that
/// products `W · X` skip that packing (`HaswellKernels` for the loops, `WeightPackCache` for when it is safe).
final class PackedWeights: @unchecked Sendable {
    let rows: Range<Int>
    let k: Int
    private let kernels: HaswellKernels
    /// Per K block: where it starts, its length, and the rows' panels (length × rows.count floats; the chunk of rows
    /// starting at row `r` of the range at `length · r`, as OpenBLAS lays its chunks out).
    private var blocks: [(start: Int, length: Int, panels: UnsafeMutablePointer<Float>)] = []

    /// Packs rows `rows` of `w` (row-major, `k` columns), on the workers: pieces of whole 12-row chunks, each
    /// packed by the same calls as in one pass over the rows.
    init(_ w: UnsafePointer<Float>, rows: Range<Int>, k: Int, kernels: HaswellKernels) {
        self.rows = rows
        self.k = k
        self.kernels = kernels
        var start = 0
        while start < k && !rows.isEmpty {
            let length = HaswellKernels.kBlock(k - start)
            blocks.append((start, length, Self.allocate(length * rows.count)))
            start += length
        }
        let wide = 3 * HaswellKernels.unrollN, count = rows.count, blocks = blocks
        Parallel.forEachChunk((count + wide - 1) / wide, grain: Swift.max(1, 65_536 / Swift.max(1, wide * k))) { piece in
            for (start, length, panels) in blocks {
                var r = piece.lowerBound * wide
                while r < Swift.min(count, piece.upperBound * wide) {
                    let chunk = HaswellKernels.columnChunk(count - r)
                    _ = kernels.packWeights(length, chunk, w + (rows.lowerBound + r) * k + start, k, panels + length * r)
                    r += chunk
                }
            }
        }
    }

    deinit { for b in blocks { free(b.panels) } }

    /// Floats held by the panels.
    var floats: Int { rows.count * k }

    static func allocate(_ floats: Int) -> UnsafeMutablePointer<Float> {
        var p: UnsafeMutableRawPointer?
        guard posix_memalign(&p, 4096, Swift.max(1, floats) * MemoryLayout<Float>.stride) == 0, let p else {
            fatalError("ecgs: out of memory packing \(floats) weights")
        }
        return p.bindMemory(to: Float.self, capacity: floats)
    }

    /// The buffer X's column blocks are packed into (Q × P floats): one per product running at the same time.
    final class Scratch: @unchecked Sendable {
        let buffer = PackedWeights.allocate(HaswellKernels.p * HaswellKernels.q)
        deinit { free(buffer) }
    }

    /// `c[r][j] = Σ_p W[rows.lowerBound + r][p] · x[p][j]` for `r < rows.count` and `j` in `columns`, where `c` is
    /// row `rows.lowerBound` of the product (row-major, leading dimension `ldc`) and `x` has `k` rows (leading
    /// dimension `ldx`): OpenBLAS's `sgemm` of those rows and columns, call for call (see `HaswellKernels`).
    func multiply(
        _ x: UnsafePointer<Float>, ldx: Int, columns: Range<Int>, into c: UnsafeMutablePointer<Float>, ldc: Int, scratch: Scratch
    ) {
        let m = columns.count, n = rows.count
        if m == 0 || n == 0 { return }
        let out = c + columns.lowerBound, input = x + columns.lowerBound, packedInput = scratch.buffer
        for r in 0..<n { (out + r * ldc).update(repeating: 0, count: m) } // beta = 0
        for (start, length, panels) in blocks {
            var width = HaswellKernels.rowBlock(m)
            _ = kernels.packInput(length, width, input + start * ldx, ldx, packedInput)
            var r = 0
            while r < n {
                let chunk = HaswellKernels.columnChunk(n - r)
                _ = kernels.kernel(width, chunk, length, 1, packedInput, panels + length * r, out + r * ldc, ldc)
                r += chunk
            }
            var j = width
            while j < m {
                width = HaswellKernels.rowBlock(m - j)
                _ = kernels.packInput(length, width, input + j + start * ldx, ldx, packedInput)
                _ = kernels.kernel(width, n, length, 1, packedInput, panels, out + j, ldc)
                j += width
            }
        }
    }
}
