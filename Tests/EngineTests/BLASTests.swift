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

    /// The engine's own kernels are compiled for this CPU's registers (unless the build's ECGS_TARGET_CPU chose a CPU): AVX-512's
    /// 32 where it has them, AVX2's 16 otherwise — 16 accumulators of AVX-512 width on AVX2 spill to memory (a grouped
    /// k = 16 convolution ran at 25 instead of 78 GFLOP/s on an AMD EPYC).
    @Test func ownKernelsFitThisCPU() {
        guard !KernelBuild.targetChosen else { return }
        // The flags Package.swift's `engineTargetCPU` requires (it cannot be imported here).
        let flags = BLAS.cpuFlags()
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(flags.contains) {
            #expect(KernelBuild.instructionSet == .avx512, "\(KernelBuild.description)")
        } else if ["avx2", "fma", "f16c"].allSatisfy(flags.contains) {
            #expect(KernelBuild.instructionSet == .avx2, "\(KernelBuild.description)")
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
