// swift-tools-version:6.0
import PackageDescription
import Foundation

/// The CPU the engine's kernels are compiled for. Swift's default (x86-64, SSE2) leaves the convolution
/// kernels 4 floats wide; on the CPU that builds ecgs they are compiled for its widest vectors, like
/// `-march=native`. `ECGS_TARGET_CPU=x86-64 swift build` makes a binary for any x86-64 machine
/// (slower); any other LLVM CPU name (e.g. `haswell`) is passed through.
let chosenTargetCPU = ProcessInfo.processInfo.environment["ECGS_TARGET_CPU"]
func engineTargetCPU() -> String? {
    if let chosen = chosenTargetCPU {
        return chosen.isEmpty || chosen == "x86-64" ? nil : chosen
    }
    #if arch(x86_64)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return nil }
        let flags = Set(line.split(separator: " "))
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy({ flags.contains($0) }) { return "skylake-avx512" }
        if ["avx2", "fma", "f16c"].allSatisfy({ flags.contains($0) }) { return "haswell" }
    #endif
    return nil
}
/// LLVM CPU names with AVX-512 (32 vector registers of 16 floats); any other chosen CPU is taken to have AVX2's
/// 16 registers of 8 floats, and the convolution kernels split their 16 accumulators into passes that fit.
let avx512CPUs: Set<String> = [
    "skylake-avx512", "cascadelake", "cooperlake", "cannonlake", "icelake-client", "icelake-server", "tigerlake",
    "rocketlake", "sapphirerapids", "emeraldrapids", "graniterapids", "graniterapids-d", "znver4", "znver5", "x86-64-v4"
]
let engineFlags: [SwiftSetting] =
    (engineTargetCPU().map { cpu in
        [.unsafeFlags(["-target-cpu", cpu])] + (avx512CPUs.contains(cpu) ? [] : [.define("ECGS_SIXTEEN_REGISTERS")])
    } ?? [.define("ECGS_NARROW_VECTORS")]) // see Backend/ConvKernels.swift
    + (chosenTargetCPU == nil ? [] : [.define("ECGS_TARGET_CPU_CHOSEN")]) // see Backend/KernelBuild.swift
    // The engine's kernels are written with SIMD vectors, which cost a function call per operation
    // unoptimised: debug builds (and so `swift test`) compile the engine optimised too.
    + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "ecgs",
    products: [
        .executable(name: "ecgs", targets: ["ecgs"]),
        .executable(name: "ecgs-bench", targets: ["Bench"]),
        .executable(name: "ecgs-fuzz", targets: ["Fuzz"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "DSL", targets: ["DSL"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2")
    ],
    targets: [
        // System libraries: module maps only. OpenBLAS is opened with dlopen (see Engine/Backend/BLAS.swift),
        // so its module map carries the header for the enum constants and no link directive.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(
            name: "CEdit", path: "Sources/CEdit", pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]),
        .systemLibrary(
            name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CFLAC", path: "Sources/CFLAC", pkgConfig: "flac",
            providers: [.apt(["libflac-dev"])]),
        .systemLibrary(
            name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]),
        .target(
            name: "Engine",
            dependencies: [
                "COpenBLAS", "CPNG", "CCairo", "CFLAC",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift")
            ],
            swiftSettings: [.swiftLanguageMode(.v5)] + engineFlags,
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .target(name: "DSL", dependencies: ["Engine"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .target(
            name: "Shell",
            dependencies: [
                "Engine", "DSL", "CEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(name: "ecgs", dependencies: ["Shell"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(
            name: "Bench", dependencies: ["Engine"], path: "benchmarks/ecgs-bench",
            swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(
            name: "Fuzz", dependencies: ["Engine", "DSL", "Shell"], path: "fuzz/ecgs-fuzz",
            swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "DSLTests", dependencies: ["DSL"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell"])
    ]
)
