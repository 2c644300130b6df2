import Foundation
import Synchronization

/// Where a forward pass and a backward pass spend their time, by primitive and shape: `ecgs-bench
/// --breakdown` switches it on. Primitives run one after another on the calling thread, so the time
/// between two `record` calls is the work of the second one (its kernels, allocation and copies); a
/// backward function is timed around its call. Off, it costs one relaxed atomic load per primitive.
public enum OpProfile {
    private static let enabled = Atomic<Bool>(false)
    nonisolated(unsafe) private static var last: UInt64 = 0
    nonisolated(unsafe) private static var totals: [String: (seconds: Double, calls: Int)] = [:]

    public static var isEnabled: Bool { enabled.load(ordering: .relaxed) }

    /// Starts (or restarts) collecting from now; call from one thread only.
    public static func start() {
        totals = [:]
        last = DispatchTime.now().uptimeNanoseconds
        enabled.store(true, ordering: .relaxed)
    }

    /// Stops collecting and returns the totals, largest first: (pass and primitive, seconds, calls).
    public static func stop() -> [(key: String, seconds: Double, calls: Int)] {
        enabled.store(false, ordering: .relaxed)
        return totals.map { ($0.key, $0.value.seconds, $0.value.calls) }.sorted { $0.seconds > $1.seconds }
    }

    /// Marks the start of a phase that is not a primitive (e.g. the optimiser step), so its time is not
    /// attributed to the next primitive.
    public static func mark(_ key: String) {
        guard isEnabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        add(key, Double(now - last) * 1e-9)
        last = now
    }

    static func forward(_ op: Primitive, _ out: Tensor, _ inputs: [Tensor]) {
        guard isEnabled else { return }
        mark("forward " + key(op, out, inputs))
    }

    static func backward<T>(_ op: Primitive, _ out: Tensor, _ inputs: [Tensor], _ body: () -> T) -> T {
        guard isEnabled else { return body() }
        mark("(between backward functions)")
        let result = body()
        mark("backward " + key(op, out, inputs))
        return result
    }

    private static func add(_ key: String, _ seconds: Double) {
        let t = totals[key] ?? (0, 0)
        totals[key] = (t.seconds + seconds, t.calls + 1)
    }

    private static func key(_ op: Primitive, _ out: Tensor, _ inputs: [Tensor]) -> String {
        switch op {
        case .conv1d, .conv1dSwish:
            let w = inputs[1].shape
            return "\(op) k=\(w[2]) \(inputs[0].shape[1])→\(w[0]) groups=\(inputs[0].shape[1] / w[1]) L=\(out.shape[2])"
        default: return "\(op)"
        }
    }
}
