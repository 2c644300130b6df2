import Foundation

/// The ranks of a data-parallel job and the collective operations training needs, over Open MPI
/// (`MPI_COMM_WORLD`). `Communicator.single` is a world of one rank without MPI, whose collectives are the
/// identity (tests use it to check the distributed code paths against the plain ones).
public final class Communicator: @unchecked Sendable {
    private let mpi: MPI?
    public let rank: Int
    public let size: Int
    /// The MPI library's description (`MPI_Get_library_version`).
    public let library: String
    /// Seconds spent in all-reduce calls and their number (the scaling figures read them).
    public private(set) var allreduceSeconds = 0.0
    public private(set) var allreduceCalls = 0

    init(mpi: MPI) throws {
        self.mpi = mpi
        rank = try mpi.rank()
        size = try mpi.size()
        library = mpi.libraryVersion
    }

    private init() {
        mpi = nil
        rank = 0
        size = 1
        library = "none"
    }

    /// One rank, no MPI.
    public static let single = Communicator()

    /// In-place sum over the ranks of `count` floats (in pieces that fit MPI's 32-bit counts).
    public func allreduceSum(_ p: UnsafeMutablePointer<Float>, count: Int) throws {
        guard let mpi else { return }
        let t0 = DispatchTime.now().uptimeNanoseconds
        var start = 0
        while start < count {
            let n = Swift.min(count - start, 1 << 28)
            try mpi.allreduce(UnsafeMutableRawPointer(p + start), count: n, type: mpi.float, op: mpi.sum)
            start += n
        }
        allreduceSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        allreduceCalls += 1
    }

    /// In-place sum over the ranks of a few doubles (losses, counts).
    public func allreduceSum(_ values: inout [Double]) throws {
        guard let mpi, !values.isEmpty else { return }
        let n = values.count
        try values.withUnsafeMutableBytes { try mpi.allreduce($0.baseAddress!, count: n, type: mpi.double, op: mpi.sum) }
    }

    /// The largest value over the ranks (a flag any rank can raise).
    public func allreduceMax(_ value: Double) throws -> Double {
        guard let mpi else { return value }
        var v = value
        try withUnsafeMutableBytes(of: &v) { try mpi.allreduce($0.baseAddress!, count: 1, type: mpi.double, op: mpi.max) }
        return v
    }

    /// This rank's contiguous part of `n` items: ranks get ⌊n/size⌋ or one more, in rank order.
    public func share(of n: Int) -> Range<Int> { Self.share(of: n, rank: rank, size: size) }

    static func share(of n: Int, rank: Int, size: Int) -> Range<Int> {
        let base = n / size, extra = n % size
        let lo = rank * base + Swift.min(rank, extra)
        return lo..<(lo + base + (rank < extra ? 1 : 0))
    }

    /// Concatenates every rank's `(n_r, F…)` rows in rank order (each rank's `n_r` is `share(of: total)`).
    public func allgatherRows(_ part: Tensor, total: Int) throws -> Tensor {
        guard let mpi else { return part }
        let rowSize = part.shape.dropFirst().reduce(1, *)
        let counts = (0..<size).map { Int32(Self.share(of: total, rank: $0, size: size).count * rowSize) }
        guard Int(counts[rank]) == part.count else {
            throw EngineError("mpi", "rank \(rank) has \(part.shape.first ?? 0) rows of \(total); expected \(share(of: total).count)")
        }
        guard total * rowSize <= Int(Int32.max) else { throw EngineError("mpi", "\(total * rowSize) values are too many for one gather") }
        var offsets: [Int32] = [0]
        for c in counts.dropLast() { offsets.append(offsets.last! + c) }
        let out = Tensor(zeros: [total] + part.shape.dropFirst(), zeroed: false)
        try mpi.allgatherv(part.data, count: part.count, into: out.data, counts: counts, offsets: offsets, type: mpi.float)
        return out
    }

    /// Prints `message` as this rank's and stops every rank of the job.
    public func abort(_ message: String) -> Never {
        FileHandle.standardError.write(Data("ecgs: rank \(rank) of \(size): \(message); stopping every rank\n".utf8))
        guard let mpi else { exit(1) }
        mpi.abort(code: 1)
    }

    func finalize() { mpi?.finalize() }
}

/// The data-parallel world this process belongs to, if a launcher started it as one of several ranks.
public enum Distributed {
    /// Nil in a plain run (and in a launch of one rank).
    nonisolated(unsafe) public private(set) static var world: Communicator?

    /// True where files are written and output is shown: every process except ranks 1… of a job.
    public static var isLeader: Bool { (world?.rank ?? 0) == 0 }

    /// Whether `environment` says a launcher started this process as one of several ranks: Open MPI's `mpirun`
    /// (`OMPI_COMM_WORLD_SIZE`) or Slurm's `srun --mpi=pmix` (`PMIX_RANK` with `SLURM_STEP_NUM_TASKS`).
    public static func launchedRanks(_ environment: [String: String]) -> Int? {
        if let n = environment["OMPI_COMM_WORLD_SIZE"].flatMap(Int.init), n > 1 { return n }
        if environment["PMIX_RANK"] != nil, let n = (environment["SLURM_STEP_NUM_TASKS"] ?? environment["SLURM_NTASKS"]).flatMap(Int.init),
            n > 1
        {
            return n
        }
        return nil
    }

    /// Opens Open MPI and joins the job when launched as one of several ranks; nil otherwise.
    @discardableResult
    public static func startIfLaunched(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Communicator? {
        guard world == nil, launchedRanks(environment) != nil else { return world }
        // Ranks that share this machine share its cores: each takes its part for its element-wise workers.
        let slurmLocal = environment["SLURM_STEP_TASKS_PER_NODE"].flatMap { Int($0.prefix { $0.isNumber }) }
        if let local = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init) ?? slurmLocal, local > 1 {
            Parallel.workers = Swift.max(1, Parallel.workers / local)
        }
        let mpi = try MPI()
        try mpi.initialize()
        let comm = try Communicator(mpi: mpi)
        guard comm.size > 1 else {
            mpi.finalize()
            return nil
        }
        world = comm
        return comm
    }

    /// Leaves the job (`MPI_Finalize`) at the end of a successful run.
    public static func stop() {
        world?.finalize()
        world = nil
    }
}
