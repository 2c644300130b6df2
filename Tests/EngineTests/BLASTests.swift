import Testing
@testable import Engine

@Suite struct BLASTests {
    @Test func coreTypeIsChosenFromCPUFlags() {
        #expect(BLAS.preferredCoreType(cpuFlags: ["avx512f", "avx512bw", "avx512vl", "avx2", "fma"]) == "SkylakeX")
        #expect(BLAS.preferredCoreType(cpuFlags: ["avx2", "fma"]) == "Haswell")
        #expect(BLAS.preferredCoreType(cpuFlags: ["sse2"]) == nil)
    }

    /// On a CPU with AVX-512 the library must not run its slow Prescott fallback.
    @Test func fastKernelIsInUse() {
        let flags = BLAS.cpuFlags()
        if flags.contains("avx512f") || flags.contains("avx2") {
            #expect(BLAS.coreName != "Prescott", "BLAS core: \(BLAS.coreDescription)")
        }
    }

    @Test func sgemmAgreesWithNaiveProduct() throws {
        var rng = SeededRandom(seed: 3)
        let a = try Tensor.randn([37, 19], rng: &rng), b = try Tensor.randn([19, 23], rng: &rng)
        let c = try Tensor.matmul(a, b)
        var worst: Float = 0
        for i in 0..<37 {
            for j in 0..<23 {
                var s: Float = 0
                for k in 0..<19 { s += a.data[i * 19 + k] * b.data[k * 23 + j] }
                worst = max(worst, abs(s - c.data[i * 23 + j]))
            }
        }
        #expect(worst <= 1e-4)
    }
}
