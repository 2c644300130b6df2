import Foundation

/// Open MPI's C library (libmpi.so.40, Debian's `libopenmpi3`), opened with dlopen when a launcher started this
/// process as one of several ranks, so that a plain `ecgs` needs no MPI. Only the calls data-parallel training
/// needs. Open MPI's handles (`MPI_COMM_WORLD`, `MPI_FLOAT`, `MPI_SUM`) are the addresses of its predefined
/// objects (`ompi_mpi_comm_world`, …); MPICH's are integers, so this binding is Open MPI's only.
final class MPI: @unchecked Sendable {
    typealias Handle = UnsafeMutableRawPointer
    private typealias InitThread =
        @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int32, UnsafeMutablePointer<Int32>) -> Int32
    private typealias CommInt = @convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32
    private typealias Allreduce = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Handle, Handle, Handle) -> Int32
    private typealias Allgatherv =
        @convention(c) (
            UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, UnsafePointer<Int32>, UnsafePointer<Int32>, Handle, Handle
        ) -> Int32
    private typealias Abort = @convention(c) (Handle, Int32) -> Int32
    private typealias Finalize = @convention(c) () -> Int32
    private typealias Version = @convention(c) (UnsafeMutablePointer<CChar>, UnsafeMutablePointer<Int32>) -> Int32
    private typealias ErrorString = @convention(c) (Int32, UnsafeMutablePointer<CChar>, UnsafeMutablePointer<Int32>) -> Int32

    private let initThread: InitThread, commRank: CommInt, commSize: CommInt, allreduceFn: Allreduce
    private let allgathervFn: Allgatherv, abortFn: Abort, finalizeFn: Finalize
    private let versionFn: Version, errorStringFn: ErrorString
    let world: Handle, float: Handle, double: Handle, sum: Handle, max: Handle

    /// Opens the library and resolves the calls and predefined handles.
    init() throws {
        // RTLD_GLOBAL: Open MPI's own plugins (opened by the library) resolve their symbols against it.
        guard let lib = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL) ?? dlopen("libmpi.so", RTLD_NOW | RTLD_GLOBAL) else {
            throw EngineError(
                "mpi", "running under an MPI launcher needs Open MPI (Debian: apt-get install openmpi-bin): \(String(cString: dlerror()))")
        }
        func sym<T>(_ name: String, _: T.Type) throws -> T {
            guard let p = dlsym(lib, name) else { throw EngineError("mpi", "the MPI library has no \(name) (ecgs needs Open MPI 4)") }
            return unsafeBitCast(p, to: T.self)
        }
        func object(_ name: String) throws -> Handle {
            guard let p = dlsym(lib, name) else { throw EngineError("mpi", "the MPI library has no \(name) (ecgs needs Open MPI 4)") }
            return p
        }
        initThread = try sym("MPI_Init_thread", InitThread.self)
        commRank = try sym("MPI_Comm_rank", CommInt.self)
        commSize = try sym("MPI_Comm_size", CommInt.self)
        allreduceFn = try sym("MPI_Allreduce", Allreduce.self)
        allgathervFn = try sym("MPI_Allgatherv", Allgatherv.self)
        abortFn = try sym("MPI_Abort", Abort.self)
        finalizeFn = try sym("MPI_Finalize", Finalize.self)
        versionFn = try sym("MPI_Get_library_version", Version.self)
        errorStringFn = try sym("MPI_Error_string", ErrorString.self)
        world = try object("ompi_mpi_comm_world")
        float = try object("ompi_mpi_float")
        double = try object("ompi_mpi_double")
        sum = try object("ompi_mpi_op_sum")
        max = try object("ompi_mpi_op_max")
    }

    /// `MPI_Init_thread` with MPI_THREAD_SERIALIZED (calls come from one thread at a time, not always the main one).
    func initialize() throws {
        var provided: Int32 = 0
        try check(initThread(nil, nil, 2, &provided), "MPI_Init_thread")
    }

    func rank() throws -> Int {
        var r: Int32 = 0
        try check(commRank(world, &r), "MPI_Comm_rank")
        return Int(r)
    }

    func size() throws -> Int {
        var s: Int32 = 0
        try check(commSize(world, &s), "MPI_Comm_size")
        return Int(s)
    }

    /// In-place all-reduce of `count` values of `type` with `op` over the world.
    func allreduce(_ buffer: UnsafeMutableRawPointer, count: Int, type: Handle, op: Handle) throws {
        let inPlace = UnsafeRawPointer(bitPattern: 1) // Open MPI's MPI_IN_PLACE
        try check(allreduceFn(inPlace, buffer, Int32(count), type, op, world), "MPI_Allreduce")
    }

    func allgatherv(
        _ send: UnsafeRawPointer, count: Int, into receive: UnsafeMutableRawPointer, counts: [Int32], offsets: [Int32], type: Handle
    ) throws {
        try check(allgathervFn(send, Int32(count), type, receive, counts, offsets, type, world), "MPI_Allgatherv")
    }

    /// Stops every rank of the job (`MPI_Abort`); does not return.
    func abort(code: Int32) -> Never {
        _ = abortFn(world, code)
        exit(code)
    }

    func finalize() { _ = finalizeFn() }

    /// The library's own description (`MPI_Get_library_version`), first line.
    var libraryVersion: String {
        var buffer = [CChar](repeating: 0, count: 8192)
        var length: Int32 = 0
        guard versionFn(&buffer, &length) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .split(separator: "\n").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "unknown"
    }

    private func check(_ code: Int32, _ call: String) throws {
        guard code != 0 else { return }
        var buffer = [CChar](repeating: 0, count: 512)
        var length: Int32 = 0
        _ = errorStringFn(code, &buffer, &length)
        throw EngineError(
            "mpi", "\(call) failed: \(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))")
    }
}
