/// The vector instruction set the engine's own kernels were compiled for (chosen by Package.swift from the CPU
/// that builds ecgs, or `ECGS_TARGET_CPU`), and how their register blocking fits it; `ecgs info` prints it.
public enum KernelBuild {
    /// Whether the build's CPU was named by `ECGS_TARGET_CPU` rather than read off the building machine.
    public static var targetChosen: Bool {
        #if ECGS_TARGET_CPU_CHOSEN
            return true
        #else
            return false
        #endif
    }

    public static var description: String {
        #if ECGS_NARROW_VECTORS
            return "baseline x86-64 (4-float vectors; ECGS_TARGET_CPU=x86-64 or a CPU without AVX2)"
        #elseif ECGS_SIXTEEN_REGISTERS
            return "AVX2 (16 registers of 8 floats: convolution accumulators in passes of 6, 6 and 4 rows)"
        #else
            return "AVX-512 (32 registers of 16 floats: 16 convolution accumulators at once)"
        #endif
    }
}
