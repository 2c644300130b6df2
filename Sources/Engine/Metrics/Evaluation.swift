import Foundation

/// Multi-label evaluation the way the PTB-XL benchmark reports it: per-class and macro AUROC and AUPRC
/// on probabilities, with bootstrap 5 % / 95 % intervals.
///
/// A class whose labels in the evaluated split are all negative (or all positive) has no AUROC; it is
/// reported as NaN and left out of the macro AUROC, and listed in `undefinedClasses`.
/// (scikit-learn's `roc_auc_score(average="macro")` raises an error in that case instead.)
/// A class with no positive has AP 0 and counts in the macro AUPRC, as scikit-learn's
/// `average_precision_score(average="macro")` does (`EmptyClasses.zero`, the default); the PTB-XL
/// benchmark code's exclusion is `EmptyClasses.exclude`. Such classes are listed in `classesWithoutPositives`.
public struct Evaluation: @unchecked Sendable {
    /// How the macro AUPRC counts a class without positives.
    public enum EmptyClasses: String, CaseIterable, Sendable {
        /// AP 0, counted (scikit-learn).
        case zero
        /// Left out of the macro average (NaN per class).
        case exclude
    }

    public var classes: [String]
    /// `(N, classes)` scores (probabilities) and 0/1 labels.
    public var scores: Tensor
    public var labels: Tensor
    public var perClassAUROC: [Double]
    public var perClassAUPRC: [Double]
    public var auroc: Double
    public var auprc: Double
    /// Bootstrap quantiles (5 %, 95 %) of the macro metrics; nil without bootstrap.
    public var aurocCI: (Double, Double)?
    public var auprcCI: (Double, Double)?
    public var bootstrapSamples: Int
    /// Whether resamples lacking a positive of some class were redrawn (see `init`).
    public var bootstrapStrict = true
    /// Sample-centric maximum F1 over thresholds 0.00…1.00 (CAFA's Fmax).
    public var fmax: Double
    public var undefinedClasses: [String] {
        zip(classes, perClassAUROC).filter { $0.1.isNaN }.map(\.0)
    }
    /// Classes with no positive label (weighted) in the evaluated split.
    public var classesWithoutPositives: [String] = []
    /// How their AP entered the macro AUPRC.
    public var emptyClasses = EmptyClasses.zero
    /// Positive labels per class in the evaluated split (unweighted counts).
    public var positives: [Int] = []
    /// Per-class decision thresholds for sensitivity, specificity, PPV and F1 (`per_class`); 0.5 unless set.
    public var thresholds: [Double] = []
    /// Fewer positives than this make a class's AUROC/AUPRC (and the macro averages) unreliable.
    public static let fewPositives = 5
    /// A warning naming the classes with fewer than `fewPositives` positives (nil when there are none).
    public var fewPositivesWarning: String? {
        let few = zip(classes, positives).filter { $0.1 < Self.fewPositives }.map { "\($0.0) (\($0.1))" }
        guard !few.isEmpty else { return nil }
        return "fewer than \(Self.fewPositives) positives in \(scores.shape[0]) records for \(few.joined(separator: ", ")): "
            + "per-class and macro metrics rest on a handful of records"
    }
    /// "53 records; positives CD 9, HYP 6, …": what a metric was measured on.
    public var sizeDescription: String {
        "\(scores.shape[0]) records; positives " + zip(classes, positives).map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }

    /// Evaluates `scores` against `labels` (both `(N, classes)`). With `bootstrap` > 0, draws that many
    /// resamples with replacement, rejecting any in which a class that has positives in the full set has
    /// none (`strict`, as the PTB-XL benchmark does), and reports the 5 % and 95 % quantiles (linear
    /// interpolation, as pandas/NumPy). Without `strict`, every resample counts and its macro metrics
    /// average over the classes that have a positive in it: the only possibility when rare classes make
    /// complete resamples improbable (e.g. 71 classes in 54 records).
    /// `sampleWeights` (one non-negative number per sample) weight every metric as scikit-learn's
    /// `sample_weight`; a bootstrap resample multiplies them by its multiplicities.
    public init(
        classes: [String], scores: Tensor, labels: Tensor, bootstrap: Int = 0, seed: UInt64 = 0, strict: Bool = true,
        sampleWeights: [Double]? = nil, emptyClasses: EmptyClasses = .zero
    ) throws {
        guard scores.rank == 2, scores.shape == labels.shape, scores.shape[1] == classes.count else {
            throw EngineError(
                "evaluate", "scores \(shapeString(scores.shape)) and labels \(shapeString(labels.shape)) must both be (N, \(classes.count))"
            )
        }
        guard scores.shape[0] > 0 else { throw EngineError("evaluate", "nothing to evaluate (0 samples)") }
        if let w = sampleWeights {
            guard w.count == scores.shape[0] else {
                throw EngineError("evaluate", "sample_weight has \(w.count) values but there are \(scores.shape[0]) samples")
            }
            if let i = w.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
                throw EngineError("evaluate", "sample_weight[\(i)] = \(w[i]) is not a finite non-negative number")
            }
            guard w.contains(where: { $0 > 0 }) else { throw EngineError("evaluate", "sample_weight is zero for every sample") }
        }
        guard bootstrap >= 0 && bootstrap <= 100_000 else {
            throw EngineError("evaluate", "bootstrap must be between 0 and 100000, got \(bootstrap)")
        }
        for i in 0..<scores.count where scores.data[i].isNaN {
            throw EngineError("evaluate", "score [\(i / classes.count), \(i % classes.count)] is NaN")
        }
        self.classes = classes
        self.scores = scores
        self.labels = labels
        let N = scores.shape[0], K = classes.count
        let cols = (0..<K).map { k in (0..<N).map { scores.data[$0 * K + k] } }
        let labs = (0..<K).map { k in (0..<N).map { labels.data[$0 * K + k] > 0.5 } }
        let orders = cols.map(RankingMetrics.descendingOrder)
        // AP of a class without positives: 0 (scikit-learn) or NaN (left out of the macro average).
        let emptyAP = emptyClasses == .zero ? 0.0 : .nan
        func metrics(_ k: Int, _ w: [Double]?) -> (Double, Double) {
            let (a, p) = RankingMetrics.aurocAndAP(scores: cols[k], labels: labs[k], order: orders[k], weights: w)
            return (a, p.isNaN ? emptyAP : p)
        }
        var au = [Double](repeating: .nan, count: K), ap = au
        for k in 0..<K { (au[k], ap[k]) = metrics(k, sampleWeights) }
        perClassAUROC = au
        perClassAUPRC = ap
        auroc = Self.nanMean(au)
        auprc = Self.nanMean(ap)
        classesWithoutPositives = (0..<K).filter { k in !(0..<N).contains { labs[k][$0] && (sampleWeights?[$0] ?? 1) > 0 } }.map {
            classes[$0]
        }
        self.emptyClasses = emptyClasses
        positives = labs.map { $0.filter { $0 }.count }
        fmax = Self.fmax(scores: scores, labels: labels)
        bootstrapSamples = bootstrap
        bootstrapStrict = strict
        if bootstrap > 0 {
            var rng = SeededRandom(seed: seed)
            let needed = strict ? (0..<K).filter { k in labs[k].contains(true) } : []
            var resamples: [[Double]] = []
            var attempts = 0
            while resamples.count < bootstrap {
                attempts += 1
                guard attempts <= 100 * bootstrap + 1000 else {
                    throw EngineError(
                        "evaluate",
                        "could not draw \(bootstrap) bootstrap resamples with a positive for every class in \(attempts - 1) tries (rare "
                            + "classes in \(N) samples); use strict=false to average each resample over the classes it has, or evaluate on "
                            + "more samples"
                    )
                }
                var w = [Double](repeating: 0, count: N)
                for _ in 0..<N { w[Int(rng.next() % UInt64(N))] += 1 }
                if let sw = sampleWeights { for i in 0..<N { w[i] *= sw[i] } }
                var ok = true
                for k in needed { if !(0..<N).contains(where: { labs[k][$0] && w[$0] > 0 }) { ok = false; break } }
                if ok { resamples.append(w) }
            }
            var bAU = [Double](repeating: 0, count: bootstrap), bAP = bAU
            let lock = NSLock()
            try Parallel.forEach(bootstrap, grain: 4) { b in
                var a = [Double](repeating: .nan, count: K), p = a
                for k in 0..<K { (a[k], p[k]) = metrics(k, resamples[b]) }
                let (ma, mp) = (Self.nanMean(a), Self.nanMean(p))
                lock.lock(); bAU[b] = ma; bAP[b] = mp; lock.unlock()
            }
            aurocCI = (Self.quantile(bAU, 0.05), Self.quantile(bAU, 0.95))
            auprcCI = (Self.quantile(bAP, 0.05), Self.quantile(bAP, 0.95))
        }
    }

    static func nanMean(_ xs: [Double]) -> Double {
        let v = xs.filter { !$0.isNaN }
        return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
    }

    /// Linear-interpolation quantile (NumPy's default), NaNs ignored.
    public static func quantile(_ xs: [Double], _ q: Double) -> Double {
        let s = xs.filter { !$0.isNaN }.sorted()
        guard !s.isEmpty else { return .nan }
        let pos = q * Double(s.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
    }

    static func fmax(scores: Tensor, labels: Tensor) -> Double {
        let N = scores.shape[0], K = scores.shape[1]
        var best = 0.0
        for step in 0...100 {
            let t = Float(step) / 100
            var precSum = 0.0, precN = 0, recSum = 0.0, recN = 0
            for i in 0..<N {
                var tp = 0, pred = 0, pos = 0
                for k in 0..<K {
                    let p = scores.data[i * K + k] >= t, y = labels.data[i * K + k] > 0.5
                    if p { pred += 1 }
                    if y { pos += 1 }
                    if p && y { tp += 1 }
                }
                if pred > 0 { precSum += Double(tp) / Double(pred); precN += 1 }
                if pos > 0 { recSum += Double(tp) / Double(pos); recN += 1 }
            }
            guard precN > 0, recN > 0 else { continue }
            let p = precSum / Double(precN), r = recSum / Double(recN)
            if p + r > 0 { best = max(best, 2 * p * r / (p + r)) }
        }
        return best
    }
}
