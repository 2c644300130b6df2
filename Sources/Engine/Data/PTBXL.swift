import Foundation

/// Loads PTB-XL (or any folder in its layout) as a dataset for one benchmark task.
public enum PTBXL {
    /// What loading does about records listed in the database whose files are absent.
    public enum MissingRecords: String, CaseIterable, Sendable {
        /// Fail, naming the file (a complete download is expected).
        case error
        /// Leave them out (a partial download or a sample).
        case skip
    }

    public struct Row: Sendable {
        public var ecgID: Int
        public var fold: Int
        public var file: String
        public var labels: Set<String>
    }

    /// Reads the two CSVs and builds the task's labels; rows without a label in the task are dropped.
    public static func rows(dir: String, task: PTBXLTask, rate: Int, folds: Set<Int>? = nil) throws -> (
        rows: [Row], statements: [String: SCPStatement]
    ) {
        guard rate == 100 || rate == 500 else { throw EngineError("ptbxl", "rate must be 100 or 500 Hz, got \(rate)") }
        let statements = try SCPStatement.read(dir + "/scp_statements.csv")
        let dbPath = dir + "/ptbxl_database.csv"
        let db = try CSVFile.read(dbPath, op: "ptbxl")
        let idCol = try db.column("ecg_id", op: "ptbxl"), codesCol = try db.column("scp_codes", op: "ptbxl")
        let foldCol = try db.column("strat_fold", op: "ptbxl")
        let fileCol = try db.column(rate == 100 ? "filename_lr" : "filename_hr", op: "ptbxl")
        var out: [Row] = []
        for r in db.rows.indices {
            let place = "\(dbPath):\(r + 2)"
            guard let idValue = Double(db.field(r, idCol)), let id = Int(exactly: idValue) else {
                throw EngineError("ptbxl", "\(place): ecg_id '\(db.field(r, idCol))' is not an integer")
            }
            guard let fv = Double(db.field(r, foldCol)), let f = Int(exactly: fv), (1...10).contains(f) else {
                throw EngineError("ptbxl", "\(place): strat_fold '\(db.field(r, foldCol))' is not a fold 1–10")
            }
            if let folds, !folds.contains(f) { continue }
            let codes = try SCPCodes.parse(db.field(r, codesCol), place: place)
            for c in codes where statements[c.code] == nil {
                throw EngineError("ptbxl", "\(place): code '\(c.code)' is not in \(dir)/scp_statements.csv")
            }
            let labels = task.labels(codes: codes.map(\.code), statements: statements)
            if labels.isEmpty { continue }
            let file = db.field(r, fileCol)
            guard !file.isEmpty else { throw EngineError("ptbxl", "\(place): empty \(db.header[fileCol])") }
            out.append(Row(ecgID: id, fold: f, file: file, labels: labels))
        }
        return (out, statements)
    }

    /// The dataset of `task` at `rate` Hz from a PTB-XL folder, standardised on its training split
    /// when `standardize` is set. Decoded signals are cached (see `SignalCache`); `progress` is called
    /// with (records done, total) while decoding.
    public static func load(
        dir: String, task: PTBXLTask = .superdiagnostic, rate: Int = 100, folds: Set<Int>? = nil,
        standardize: Bool = true, useCache: Bool = true, missing: MissingRecords = .error,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> ECGDataset {
        var (rows, statements) = try rows(dir: dir, task: task, rate: rate, folds: folds)
        guard !rows.isEmpty else { throw EngineError("ptbxl", "\(dir): no record has a label in task '\(task.rawValue)'") }
        if missing == .skip { // a partial download or a sample: keep the records whose header is there
            rows = rows.filter { FileManager.default.fileExists(atPath: dir + "/" + $0.file + ".hea") }
            guard !rows.isEmpty else {
                throw EngineError("ptbxl", "none of the records of task '\(task.rawValue)' has its \(rate) Hz files in '\(dir)'")
            }
        }
        let classes = Set(rows.flatMap(\.labels)).sorted()
        let paths = rows.map { dir + "/" + $0.file }
        let absDir = URL(fileURLWithPath: dir).standardizedFileURL.path
        let key = SignalCache.key(files: [absDir + "/ptbxl_database.csv"] + paths.flatMap { [$0 + ".hea", $0 + ".dat"] })
        let cacheName = "ptbxl-\(SignalCache.key(files: [absDir + "|\(rate)|" + paths.joined(separator: ",")]))"
        let signals: Tensor
        let leads: [String]
        if useCache, let (h, t) = SignalCache.load(name: cacheName, key: key) {
            signals = t
            leads = h.leads
        } else {
            (signals, leads) = try decodeAll(paths: paths, rows: rows, rate: rate, progress: progress)
            if useCache {
                SignalCache.store(
                    name: cacheName,
                    header: .init(
                        key: key, records: rows.count, leads: leads,
                        samples: signals.shape[2], rate: Double(rate)), signals: signals)
            }
        }
        let targets = Tensor(zeros: [rows.count, classes.count])
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        for (i, r) in rows.enumerated() { for l in r.labels { targets.data[i * classes.count + classIndex[l]!] = 1 } }
        var ds = try ECGDataset(
            name: "PTB-XL \(task.rawValue)", rate: Double(rate), leads: leads, classes: classes,
            signals: signals, targets: targets, recordNames: rows.map { String(format: "%05d", $0.ecgID) },
            folds: rows.map(\.fold), statements: statements)
        if standardize { ds = try ds.standardized() }
        return ds
    }

    /// Decodes every record in parallel into one `(records, 12, L)` block; all must agree in leads and length.
    static func decodeAll(paths: [String], rows: [Row], rate: Int, progress: ((Int, Int) -> Void)?) throws -> (Tensor, [String]) {
        let first = try WFDB.read(paths[0])
        let leads = first.leads, L = first.sampleCount, C = leads.count
        guard first.rate == Double(rate) else {
            throw EngineError("ptbxl", "\(paths[0]).hea: sampling frequency \(first.rate) Hz, expected \(rate) Hz")
        }
        let out = Tensor(zeros: [paths.count, C, L], zeroed: false)
        let outPtr = out.data
        do {
            try Parallel.forEach(
                paths.count, grain: 64, progress: progress.map { p in { done in if done % 256 == 0 { p(done, paths.count) } } }
            ) { i in
                let r = try WFDB.read(paths[i])
                guard r.leads.count == C, r.sampleCount == L, r.rate == Double(rate) else {
                    throw EngineError(
                        "ptbxl",
                        "\(paths[i]).hea: \(r.leads.count) leads × \(r.sampleCount) samples at \(r.rate) Hz, but the first record has \(C) "
                            + "× \(L) at \(rate) Hz"
                    )
                }
                (outPtr + i * C * L).update(from: r.signal.data, count: C * L)
            }
        } catch let e as IndexedError {
            throw EngineError("ptbxl", "record of ecg_id \(rows[e.index].ecgID) (\(rows[e.index].file)): \(e.message)")
        }
        progress?(paths.count, paths.count)
        return (out, leads)
    }
}
