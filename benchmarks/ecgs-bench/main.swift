import Engine
import Foundation

/// ecgs-bench: Net1D forward and training-step timings (median of N runs after warm-up), plus
/// sgemm 2048³. Interface (kept stable for scripts): `ecgs-bench [--case NAME] [--mode forward|train]
/// [--json] [--repeats N]`; with no --case every case runs.

struct Case {
    let name: String, preset: String, length: Int, batch: Int
}

let cases = [
    Case(name: "ecgfounder-L5000-B8", preset: "ecgfounder", length: 5000, batch: 8),
    Case(name: "ecgfounder-L1000-B16", preset: "ecgfounder", length: 1000, batch: 16),
    Case(name: "small-L1000-B32", preset: "small", length: 1000, batch: 32),
    Case(name: "small-L5000-B16", preset: "small", length: 5000, batch: 16)
]

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ecgs-bench: \(message)\n".utf8))
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
var makePTBXL: (dir: String, n: Int)? = nil, loadPTBXL: String? = nil
var caseName: String? = nil, modes = ["forward", "train"], json = false, repeats = 7, sgemmOnly = false, metricsOnly = false
var convShape: [Int]? = nil, linearShape: [Int]? = nil
var breakdown = false, gemmShape: [Int]? = nil, gemmTrans = "nn", workload: String? = nil, evaluateDir: String? = nil, rate = 100
while !args.isEmpty {
    let a = args.removeFirst()
    func value() -> String {
        if args.isEmpty { fail("\(a) needs a value") }
        return args.removeFirst()
    }
    /// The value as integers between `separator`s (a shape such as 1024x320x1024 or 8,1024,512).
    func shape(_ separator: Character) -> [Int] { value().split(separator: separator).compactMap { Int($0) } }
    switch a {
    case "--case": caseName = value()
    case "--mode":
        let m = value()
        guard m == "forward" || m == "train" else { fail("--mode must be forward or train (got '\(m)')") }
        modes = [m]
    case "--json": json = true
    case "--threads":
        guard let n = Int(value()), n >= 1 else { fail("--threads needs a positive integer") }
        Parallel.workers = n
    case "--repeats":
        guard let n = Int(value()), n >= 1 else { fail("--repeats needs a positive integer") }
        repeats = n
    case "--sgemm": sgemmOnly = true
    case "--breakdown": breakdown = true
    case "--gemm":
        gemmShape = shape("x")
        guard gemmShape!.count == 3, gemmShape!.allSatisfy({ $0 >= 1 }) else { fail("--gemm needs MxNxK, e.g. 1024x320x1024") }
    case "--gemm-trans":
        gemmTrans = value()
        guard ["nn", "nt", "tn", "tt"].contains(gemmTrans) else { fail("--gemm-trans needs nn, nt, tn or tt (A then B)") }
    case "--conv":
        convShape = shape(",")
        guard convShape!.count == 7, convShape!.allSatisfy({ $0 >= 1 }), convShape![1] % convShape![6] == 0,
            convShape![3] % convShape![6] == 0
        else { fail("--conv needs N,CIN,L,COUT,K,STRIDE,GROUPS with GROUPS dividing CIN and COUT, e.g. 8,1024,40,1024,16,1,64") }
    case "--linear":
        linearShape = shape(",")
        guard linearShape!.count == 3, linearShape!.allSatisfy({ $0 >= 1 }) else { fail("--linear needs ROWS,IN,OUT, e.g. 8,1024,512") }
    case "--metrics": metricsOnly = true
    case "--make-ptbxl":
        let d = value()
        guard let n = Int(value()), n >= 1 else { fail("--make-ptbxl DIR N needs a positive record count") }
        makePTBXL = (d, n)
    case "--load-ptbxl": loadPTBXL = value()
    case "--rate":
        guard let r = Int(value()), r == 100 || r == 500 else { fail("--rate must be 100 or 500") }
        rate = r
    case "--workload": workload = value()
    case "--evaluate": evaluateDir = value()
    case "-h", "--help":
        print("usage: ecgs-bench [--case NAME] [--mode forward|train] [--json] [--repeats N] [--sgemm] [--breakdown]")
        print("       --breakdown: time per primitive and shape (forward and backward), per batch")
        print("       --threads N: parallel regions on N workers (1: everything on the calling thread, for callgrind)")
        print("       ecgs-bench --metrics [--json]   macro AUROC + AUPRC with 100 strict bootstraps on 2,203 × 71")
        print("       ecgs-bench --make-ptbxl DIR N [--rate 100|500]   write N synthetic records as a PTB-XL folder")
        print("       ecgs-bench --workload DIR     one epoch of the post-training recipe (ECGFounder, 500 Hz records)")
        print("       ecgs-bench --evaluate DIR     evaluation with 100 bootstraps on every record of DIR (500 Hz)")
        print("       ecgs-bench --load-ptbxl DIR       time a first (uncached) and a second (cached) load")
        print("       ecgs-bench --gemm MxNxK [--gemm-trans nn|nt|tn|tt]   one sgemm shape as the engine splits it")
        print("       ecgs-bench --conv N,CIN,L,COUT,K,STRIDE,GROUPS [--mode forward|train]   one Net1D convolution")
        print("           (SAME padding, bias, Swish fused; train: forward and backward of its sum, input and weight gradients)")
        print("       ecgs-bench --linear ROWS,IN,OUT [--mode forward|train]   one Linear layer with bias (train: as --conv)")
        print("cases: " + cases.map(\.name).joined(separator: ", "))
        exit(0)
    default: fail("unknown argument '\(a)' (see --help)")
    }
}
let selected = caseName.map { n in cases.filter { $0.name == n } } ?? cases
if selected.isEmpty { fail("unknown case '\(caseName!)'; cases: " + cases.map(\.name).joined(separator: ", ")) }

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func peakRSSMiB() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_maxrss) / 1024
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Times `body` once to warm up, then `repeats` times; returns the median in seconds. With
/// `--breakdown`, also prints where the repeats spent their time, by primitive and shape.
func time(_ body: () throws -> Void) rethrows -> Double {
    try body()
    if breakdown {
        OpProfile.start()
        let t0 = now()
        for _ in 0..<repeats { try body(); OpProfile.mark("(after the last primitive: loss, optimiser step)") }
        let total = now() - t0
        print(" ms/batch  share  calls  pass and primitive")
        for row in OpProfile.stop() where row.seconds / total >= 0.002 {
            print(
                String(
                    format: "%9.2f %5.1f%% %6d  %@", row.seconds / Double(repeats) * 1000, row.seconds / total * 100,
                    row.calls / repeats, row.key))
        }
    }
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = now()
        try body()
        times.append(now() - t0)
    }
    return median(times)
}

func report(_ name: String, _ mode: String, _ seconds: Double, samples: Int, flops: Double) {
    let gflops = flops / seconds / 1e9
    if json {
        print(
            String(
                format:
                    "{\"case\": \"%@\", \"mode\": \"%@\", \"median_s\": %.5f, \"samples_per_s\": %.2f, \"gflops\": %.1f, "
                    + "\"peak_rss_mib\": %.0f}",
                name, mode, seconds, Double(samples) / seconds, gflops, peakRSSMiB()))
    } else {
        print(
            String(
                format: "%-22@ %-8@ %9.4f s %10.1f samples/s %7.1f GFLOP/s %7.0f MiB", name, mode, seconds,
                Double(samples) / seconds, gflops, peakRSSMiB()))
    }
    fflush(stdout)
}

// PTB-XL-shaped folder: make one, or time loading it (first load bypasses the cache, then a cached load).
if let (dir, n) = makePTBXL {
    do { print(try Workload.makeFolder(dir, records: n, rate: rate)) } catch { fail("\(error)") }
    exit(0)
}
if let dir = workload {
    do { print(try Workload.epoch(dir)) } catch { fail("\(error)") }
    exit(0)
}
if let dir = evaluateDir {
    do { print(try Workload.evaluate(dir)) } catch { fail("\(error)") }
    exit(0)
}
if let dir = loadPTBXL {
    do {
        let (a, first, second) = try Workload.withPrivateCache {
            var t0 = now()
            let a = try PTBXL.load(dir: dir, task: .all, rate: 100)
            let first = now() - t0
            t0 = now()
            let b = try PTBXL.load(dir: dir, task: .all, rate: 100)
            precondition(a.signals.values == b.signals.values, "cached load differs")
            return (a, first, now() - t0)
        }
        print(
            String(
                format:
                    "{\"case\": \"ptbxl-load\", \"records\": %d, \"first_load_s\": %.2f, \"cached_load_s\": %.3f, \"peak_rss_mib\": %.0f}",
                a.signals.shape[0], first, second, peakRSSMiB()))
    } catch { fail("\(error)") }
    exit(0)
}

// Metrics on the size of the PTB-XL 'all' test fold: 2,203 records × 71 classes, 100 bootstraps.
// benchmarks/sklearn_metrics.py times scikit-learn on data drawn the same way (prevalences 0.5–40 %).
if metricsOnly {
    let (n, k) = (2203, 71)
    var rng = SeededRandom(seed: 7)
    let prevalence = (0..<k).map { _ in exp(log(0.005) + rng.uniform() * (log(0.4) - log(0.005))) }
    var labels = [Float](repeating: 0, count: n * k), scores = labels
    for i in 0..<n {
        for j in 0..<k {
            let y: Float = rng.uniform() < prevalence[j] ? 1 : 0
            labels[i * k + j] = y
            scores[i * k + j] = Float(1 / (1 + exp(-(Double(y) * 1.5 + rng.normal()))))
        }
    }
    let s = Tensor(scores, shape: [n, k]), l = Tensor(labels, shape: [n, k])
    let classes = (0..<k).map { "c\($0)" }
    var ev: Evaluation? = nil
    let seconds = time { ev = try! Evaluation(classes: classes, scores: s, labels: l, bootstrap: 100, seed: 1) }
    if json {
        print(
            String(
                format: "{\"case\": \"metrics-2203x71-b100\", \"mode\": \"eval\", \"median_s\": %.5f, \"auroc\": %.4f, \"auprc\": %.4f}",
                seconds, ev!.auroc, ev!.auprc))
    } else {
        print(
            String(
                format: "metrics 2203×71, 100 bootstraps: %.4f s (macro AUROC %.4f [%.4f, %.4f], AUPRC %.4f)", seconds, ev!.auroc,
                ev!.aurocCI!.0, ev!.aurocCI!.1, ev!.auprc))
    }
    exit(0)
}

if !json { print("BLAS: \(BLAS.coreDescription); element-wise workers: \(Parallel.workers); median of \(repeats) after warm-up") }

// One product C (M×N) = A (M×K) · B (K×N) on every worker, as the 1×1 convolutions run it.
if let g = gemmShape {
    let (m, n, k) = (g[0], g[1], g[2])
    var rng = SeededRandom(seed: 1)
    let a = try! Tensor.randn([m, k], rng: &rng), b = try! Tensor.randn([k, n], rng: &rng), c = Tensor(zeros: [m, n])
    let (ta, tb) = (gemmTrans.first == "t", gemmTrans.last == "t")
    let s = time {
        BLAS.sgemmParallel(
            transA: ta, transB: tb, m: m, n: n, k: k, a: a.data, lda: ta ? m : k, b: b.data, ldb: tb ? k : n, c: c.data, ldc: n)
    }
    report("sgemm-\(m)x\(n)x\(k)", "gemm", s, samples: 1, flops: 2 * Double(m * n * k))
    exit(0)
}

/// Times one layer in each selected mode: `forward`, or in `train` mode the forward pass and the backward pass of
/// the sum of its output, with `inputs` requiring gradients. `flops` counts the forward pass (training: 3×).
func timeLayer(_ name: String, inputs: [Tensor], samples: Int, flops: Double, _ forward: () throws -> Tensor) throws {
    for mode in modes {
        for t in inputs { t.requiresGrad = mode == "train" }
        let s = try time {
            let y = try forward()
            if mode == "train" { try y.sum().backward() }
        }
        report(name, mode, s, samples: samples, flops: mode == "train" ? 3 * flops : flops)
    }
}

do {
    var rng = SeededRandom(seed: 1)
    // One convolution as Net1D runs it (SAME padding, bias, Swish fused into the output).
    if let v = convShape {
        let (n, cin, l, cout, k, stride, groups) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6])
        let pad = Tensor.samePadding(length: l, kernel: k, stride: stride)
        let lout = (l + pad.left + pad.right - k) / stride + 1
        let x = try Tensor.randn([n, cin, l], rng: &rng), w = try Tensor.randn([cout, cin / groups, k], rng: &rng)
        let bias = try Tensor.randn([cout], rng: &rng)
        try timeLayer(
            "conv-\(v.map(String.init).joined(separator: ","))", inputs: [x, w, bias], samples: n,
            flops: 2 * Double(n * cout * lout * (cin / groups) * k)
        ) {
            try Tensor.conv1d(x, weight: w, bias: bias, stride: stride, padLeft: pad.left, padRight: pad.right, groups: groups, swish: true)
        }
        exit(0)
    }
    // One Linear layer with bias over ROWS rows (Net1D's squeeze-excitation: 8,1024,512 and 8,512,1024 at batch 8).
    if let v = linearShape {
        let (rows, inF, outF) = (v[0], v[1], v[2])
        let x = try Tensor.randn([rows, inF], rng: &rng), w = try Tensor.randn([outF, inF], rng: &rng)
        let bias = try Tensor.randn([outF], rng: &rng)
        try timeLayer("linear-\(rows),\(inF),\(outF)", inputs: [x, w, bias], samples: rows, flops: 2 * Double(rows * inF * outF)) {
            try Tensor.linear(x, weight: w, bias: bias)
        }
        exit(0)
    }
} catch {
    fail("\(error)")
}

// sgemm 2048³ (with the full run, or alone with --sgemm)
if caseName == nil || sgemmOnly {
    let n = 2048
    let a = try! Tensor.ones([n, n]), b = try! Tensor.ones([n, n]), c = Tensor(zeros: [n, n])
    let s = time {
        BLAS.sgemmParallel(transA: false, transB: false, m: n, n: n, k: n, a: a.data, lda: n, b: b.data, ldb: n, c: c.data, ldc: n)
    }
    report("sgemm-2048", "gemm", s, samples: 1, flops: 2 * Double(n * n * n))
}
if sgemmOnly { exit(0) }

do {
    for c in selected {
        let config = try Net1DConfig.preset(c.preset, classes: 71)
        let model = try Net1D(config, seed: 1)
        var rng = SeededRandom(seed: 2)
        let x = try Tensor.randn([c.batch, 12, c.length], rng: &rng)
        let y = Tensor((0..<(c.batch * 71)).map { _ in rng.uniform() < 0.2 ? 1 : 0 }, shape: [c.batch, 71])
        let fwdFlops = config.forwardFLOPs(length: c.length) * Double(c.batch)
        for mode in modes {
            if mode == "forward" {
                // As `predict` and `evaluate` run their batches: the weights packed for BLAS once, in the warm-up pass.
                let s = try Inference.withFixedWeights { try time { _ = try model(x) } }
                report(c.name, mode, s, samples: c.batch, flops: fwdFlops)
            } else {
                let opt = try Optimizer.adamW(model.parameters.map(\.1), lr: 1e-4, weightDecay: 0.01)
                let ctx = ForwardContext(training: true, seed: 3)
                let s = try time {
                    opt.zeroGrad()
                    let loss = try Tensor.bceWithLogits(model.forward(x, ctx), targets: y)
                    try loss.backward()
                    opt.step()
                }
                report(c.name, mode, s, samples: c.batch, flops: 3 * fwdFlops)
            }
        }
    }
} catch {
    fail("\(error)")
}
