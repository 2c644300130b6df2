/// The vector instruction set the engine's own kernels were compiled for (chosen by Package.swift from the CPU
/// that builds ecgs, or `ECGS_TARGET_CPU`): the one place that reads the build's defines, so that the kernels'
/// register blocking, `ecgs info` and the tests agree. Every property is a compile-time constant, so a kernel's
/// test of it costs nothing and the branch not taken is compiled away.
public enum KernelBuild {
    public enum InstructionSet: Sendable {
        /// 4-float vectors without FMA (`ECGS_TARGET_CPU=x86-64`, or a CPU without AVX2).
        case baseline
        /// 16 registers of 8 floats: the 16-float kernels split their accumulators into passes that fit.
        case avx2
        /// 32 registers of 16 floats: 16 accumulators of 16 floats at once.
        case avx512
    }

    public static var instructionSet: InstructionSet {
        #if ECGS_NARROW_VECTORS
            return .baseline
        #elseif ECGS_SIXTEEN_REGISTERS
            return .avx2
        #else
            return .avx512
        #endif
    }

    /// Whether the build's CPU was named by `ECGS_TARGET_CPU` rather than read off the building machine.
    public static var targetChosen: Bool {
        #if ECGS_TARGET_CPU_CHOSEN
            return true
        #else
            return false
        #endif
    }

    public static var description: String {
        switch instructionSet {
        case .baseline: "baseline x86-64 (4-float vectors; ECGS_TARGET_CPU=x86-64 or a CPU without AVX2)"
        case .avx2: "AVX2 (16 registers of 8 floats: convolution accumulators in passes of 6, 6 and 4 rows)"
        case .avx512: "AVX-512 (32 registers of 16 floats: 16 convolution accumulators at once)"
        }
    }
}
