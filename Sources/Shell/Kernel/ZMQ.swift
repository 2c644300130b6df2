import Foundation

/// libzmq, opened at first use with dlopen (like OpenBLAS), so a plain `ecgs` runs without it. Only
/// the calls the Jupyter kernel needs: sockets, bind, multipart send and receive, poll.
final class ZMQ: @unchecked Sendable {
    enum SocketType: Int32 { case rep = 4, router = 6, xpub = 9 }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private typealias CtxNew = @convention(c) () -> UnsafeMutableRawPointer?
    private typealias CtxTerm = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    private typealias SocketFn = @convention(c) (UnsafeMutableRawPointer?, Int32) -> UnsafeMutableRawPointer?
    private typealias CloseFn = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    private typealias BindFn = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>) -> Int32
    private typealias SetOpt = @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafeRawPointer?, Int) -> Int32
    private typealias GetOpt =
        @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>) -> Int32
    private typealias SendFn = @convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer?, Int, Int32) -> Int32
    private typealias MsgInit = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    private typealias MsgRecv = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int32) -> Int32
    private typealias MsgData = @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?
    private typealias MsgSize = @convention(c) (UnsafeMutableRawPointer?) -> Int
    private typealias PollFn = @convention(c) (UnsafeMutableRawPointer?, Int32, Int) -> Int32
    private typealias ErrnoFn = @convention(c) () -> Int32
    private typealias StrErr = @convention(c) (Int32) -> UnsafePointer<CChar>?

    private let ctxNew: CtxNew, ctxTerm: CtxTerm, socketFn: SocketFn, closeFn: CloseFn, bindFn: BindFn
    private let setOpt: SetOpt, getOpt: GetOpt, sendFn: SendFn, msgInit: MsgInit, msgRecv: MsgRecv
    private let msgData: MsgData, msgSize: MsgSize, msgClose: CloseFn, pollFn: PollFn, errnoFn: ErrnoFn, strErr: StrErr
    let context: UnsafeMutableRawPointer

    /// Opens libzmq (libzmq.so.5, Debian's `libzmq5`) and creates a context.
    init() throws {
        guard let lib = dlopen("libzmq.so.5", RTLD_NOW) ?? dlopen("libzmq.so", RTLD_NOW) else {
            throw Failure(description: "the Jupyter kernel needs libzmq (Debian: apt-get install libzmq5): \(String(cString: dlerror()))")
        }
        func sym<T>(_ name: String, _: T.Type) throws -> T {
            guard let p = dlsym(lib, name) else { throw Failure(description: "libzmq has no \(name)") }
            return unsafeBitCast(p, to: T.self)
        }
        ctxNew = try sym("zmq_ctx_new", CtxNew.self)
        ctxTerm = try sym("zmq_ctx_term", CtxTerm.self)
        socketFn = try sym("zmq_socket", SocketFn.self)
        closeFn = try sym("zmq_close", CloseFn.self)
        bindFn = try sym("zmq_bind", BindFn.self)
        setOpt = try sym("zmq_setsockopt", SetOpt.self)
        getOpt = try sym("zmq_getsockopt", GetOpt.self)
        sendFn = try sym("zmq_send", SendFn.self)
        msgInit = try sym("zmq_msg_init", MsgInit.self)
        msgRecv = try sym("zmq_msg_recv", MsgRecv.self)
        msgData = try sym("zmq_msg_data", MsgData.self)
        msgSize = try sym("zmq_msg_size", MsgSize.self)
        msgClose = try sym("zmq_msg_close", CloseFn.self)
        pollFn = try sym("zmq_poll", PollFn.self)
        errnoFn = try sym("zmq_errno", ErrnoFn.self)
        strErr = try sym("zmq_strerror", StrErr.self)
        guard let c = ctxNew() else { throw Failure(description: "zmq_ctx_new failed") }
        context = c
    }

    var lastError: String { strErr(errnoFn()).map { String(cString: $0) } ?? "error \(errnoFn())" }
    var interrupted: Bool { errnoFn() == EINTR }

    /// A socket bound to `endpoint` (`tcp://127.0.0.1:5555`, `ipc:///tmp/x-1`). Lingers 1 s at close; drops
    /// messages over `maxMessage` bytes (a peer that sends one is disconnected).
    func socket(_ type: SocketType, bind endpoint: String, maxMessage: Int64 = 256 << 20) throws -> Socket {
        guard let s = socketFn(context, type.rawValue) else { throw Failure(description: "zmq_socket: \(lastError)") }
        var linger: Int32 = 1000, maxSize = maxMessage
        _ = setOpt(s, 17, &linger, 4) // ZMQ_LINGER
        _ = setOpt(s, 22, &maxSize, 8) // ZMQ_MAXMSGSIZE
        if type == .router {
            var handover: Int32 = 1
            _ = setOpt(s, 56, &handover, 4) // ZMQ_ROUTER_HANDOVER: a client reconnecting with its identity takes it over (as ipykernel)
        }
        if type == .xpub {
            var verbose: Int32 = 1
            _ = setOpt(s, 40, &verbose, 4) // ZMQ_XPUB_VERBOSE: every subscription reaches us (for iopub_welcome)
        }
        guard bindFn(s, endpoint) == 0 else {
            let e = lastError
            _ = closeFn(s)
            throw Failure(description: "cannot bind \(endpoint): \(e)")
        }
        return Socket(zmq: self, handle: s)
    }

    /// Waits up to `timeout` ms (-1: forever) for any of `sockets` to be readable; the readable ones' indices.
    func poll(_ sockets: [Socket], timeout: Int) -> [Int] {
        // zmq_pollitem_t: void *socket; int fd; short events; short revents (16 bytes on 64-bit Linux).
        let items = UnsafeMutableRawPointer.allocate(byteCount: 16 * sockets.count, alignment: 8)
        defer { items.deallocate() }
        for (i, s) in sockets.enumerated() {
            let item = items + 16 * i
            item.storeBytes(of: s.handle, as: UnsafeMutableRawPointer.self)
            item.storeBytes(of: Int32(0), toByteOffset: 8, as: Int32.self)
            item.storeBytes(of: Int16(1), toByteOffset: 12, as: Int16.self) // ZMQ_POLLIN
            item.storeBytes(of: Int16(0), toByteOffset: 14, as: Int16.self)
        }
        let n = pollFn(items, Int32(sockets.count), timeout)
        guard n > 0 else { return [] }
        return sockets.indices.filter { (items + 16 * $0).load(fromByteOffset: 14, as: Int16.self) & 1 != 0 }
    }

    func terminate() { _ = ctxTerm(context) }

    /// One socket. Not thread-safe: each is used by one thread at a time (the kernel guards iopub with a lock).
    final class Socket: @unchecked Sendable {
        let zmq: ZMQ
        let handle: UnsafeMutableRawPointer
        init(zmq: ZMQ, handle: UnsafeMutableRawPointer) {
            self.zmq = zmq
            self.handle = handle
        }

        /// Sends the frames as one multipart message.
        func send(_ frames: [Data]) {
            for (i, f) in frames.enumerated() {
                let more: Int32 = i < frames.count - 1 ? 2 : 0 // ZMQ_SNDMORE
                _ = f.withUnsafeBytes { zmq.sendFn(handle, $0.baseAddress, f.count, more) }
            }
        }

        /// Receives one multipart message (nil when interrupted by a signal or nothing is there with `wait` off).
        func receive(wait: Bool = true) -> [Data]? {
            var frames: [Data] = []
            let msg = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
            defer { msg.deallocate() }
            while true {
                _ = zmq.msgInit(msg)
                let n = zmq.msgRecv(msg, handle, wait ? 0 : 1) // ZMQ_DONTWAIT
                if n < 0 {
                    _ = zmq.msgClose(msg)
                    return frames.isEmpty ? nil : frames
                }
                let size = zmq.msgSize(msg)
                frames.append(size == 0 ? Data() : Data(bytes: zmq.msgData(msg)!, count: size))
                _ = zmq.msgClose(msg)
                var more: Int32 = 0
                var len = 4
                _ = zmq.getOpt(handle, 13, &more, &len) // ZMQ_RCVMORE
                if more == 0 { return frames }
            }
        }

        func close() { _ = zmq.closeFn(handle) }
    }
}
