import DSL
import Engine
import Foundation

/// A Jupyter kernel for ECGScript (messaging protocol 5.3 over ZeroMQ, as ipykernel, IJulia and the xeus
/// kernels): the shell channel runs requests on the main thread one at a time; the control channel
/// (interrupt, shutdown) and the heartbeat have threads of their own, so they answer while a cell runs.
final class JupyterKernel: @unchecked Sendable {
    let zmq: ZMQ
    let signer: HMACSigner
    let shell, control, stdin, iopub, heartbeat: ZMQ.Socket
    let session = UUID().uuidString.lowercased()
    /// IOPub is written by the main thread and the control thread.
    let iopubLock = NSLock()
    let interp: Interpreter
    let sink: KernelSink
    var executionCount = 0
    /// (execution count, input, text output) of each stored execution, for `history_request`.
    var history: [(Int, String, String)] = []
    /// The request whose outputs are being published.
    var parent: JupyterMessage?
    private let stateLock = NSLock()
    private var _shuttingDown = false
    var shuttingDown: Bool {
        get { stateLock.lock(); defer { stateLock.unlock() }; return _shuttingDown }
        set { stateLock.lock(); _shuttingDown = newValue; stateLock.unlock() }
    }

    init(connection: ConnectionInfo) throws {
        zmq = try ZMQ()
        signer = try HMACSigner(key: connection.key, scheme: connection.signatureScheme)
        shell = try zmq.socket(.router, bind: connection.endpoint(connection.shellPort))
        control = try zmq.socket(.router, bind: connection.endpoint(connection.controlPort))
        stdin = try zmq.socket(.router, bind: connection.endpoint(connection.stdinPort))
        iopub = try zmq.socket(.xpub, bind: connection.endpoint(connection.iopubPort))
        heartbeat = try zmq.socket(.rep, bind: connection.endpoint(connection.hbPort))
        var publishRef: ((String, [String: Any]) -> Void)?
        sink = KernelSink(publish: { t, c in publishRef?(t, c) })
        interp = Interpreter(sink: sink)
        interp.shouldStop = { Interrupt.isRequested }
        interp.showsEveryExpression = false
        // Jupyter starts a kernel in its notebook's folder: files a notebook writes go next to it.
        interp.setGlobal("NOTEBOOK_OUTPUT", .string(FileManager.default.currentDirectoryPath))
        publishRef = { [unowned self] t, c in self.publish(t, c, parent: self.parent) }
    }

    static func log(_ s: String) { FileHandle.standardError.write(Data("ecgs kernel: \(s)\n".utf8)) }

    // MARK: sending

    func send(_ socket: ZMQ.Socket, _ type: String, _ content: [String: Any], parent: JupyterMessage?, identities: [Data]) {
        let m = JupyterMessage(
            identities: identities, header: JupyterMessage.header(type, session: session), parentHeader: parent?.header ?? [:],
            content: content)
        socket.send(m.frames(signer: signer))
    }

    func reply(_ socket: ZMQ.Socket, to request: JupyterMessage, _ type: String, _ content: [String: Any]) {
        send(socket, type, content, parent: request, identities: request.identities)
    }

    func publish(_ type: String, _ content: [String: Any], parent: JupyterMessage?) {
        iopubLock.lock()
        defer { iopubLock.unlock() }
        // A subscriber gets its welcome before anything else (its subscription may be waiting while the
        // control thread sleeps in its poll: seen with a slow start, under AddressSanitizer).
        welcomePendingSubscribers()
        // IOPub topics: "kernel.<id>.<type>" as ipykernel (clients subscribe to everything).
        send(iopub, type, content, parent: parent, identities: [Data("kernel.\(session).\(type)".utf8)])
    }

    func status(_ state: String, parent: JupyterMessage?) { publish("status", ["execution_state": state], parent: parent) }

    /// Answers new IOPub subscriptions with `iopub_welcome` (XPUB passes subscriptions to us), so a client
    /// knows its subscription is live before it sends requests.
    func welcomeSubscribers() {
        iopubLock.lock()
        defer { iopubLock.unlock() }
        welcomePendingSubscribers()
    }

    /// The subscriptions waiting on the IOPub socket, each answered with `iopub_welcome` (call under iopubLock).
    private func welcomePendingSubscribers() {
        while !zmq.poll([iopub], timeout: 0).isEmpty, let frames = iopub.receive(wait: false) {
            guard let f = frames.first, f.first == 1 else { continue }
            let topic = String(decoding: f.dropFirst(), as: UTF8.self)
            send(iopub, "iopub_welcome", ["subscription": topic], parent: nil, identities: [Data(topic.utf8)])
        }
    }

    // MARK: loops

    /// Runs until a shutdown request; returns whether a restart was asked for.
    func run() -> Bool {
        // The other threads signal when their loops end, so their sockets are closed only after they stopped using them.
        let stopped = DispatchSemaphore(value: 0)
        let hb = Thread { [unowned self] in
            self.heartbeatLoop()
            stopped.signal()
        }
        hb.name = "ecgs-kernel-heartbeat"
        hb.start()
        let ctl = Thread { [unowned self] in
            self.controlLoop()
            stopped.signal()
        }
        ctl.name = "ecgs-kernel-control"
        ctl.stackSize = 8 << 20
        ctl.start()
        status("starting", parent: nil)
        var restart = false
        while !shuttingDown {
            guard !zmq.poll([shell], timeout: 100).isEmpty, let frames = shell.receive(wait: false) else { continue }
            guard let msg = receive(frames, channel: "shell") else { continue }
            if let r = handleShell(msg) { restart = r; shuttingDown = true }
        }
        for _ in 0..<2 { _ = stopped.wait(timeout: .now() + 2) } // each loop polls with a 100 ms timeout
        for s in [shell, control, stdin, iopub, heartbeat] { s.close() }
        zmq.terminate()
        return restart
    }

    func heartbeatLoop() {
        while !shuttingDown {
            guard !zmq.poll([heartbeat], timeout: 100).isEmpty, let frames = heartbeat.receive(wait: false) else { continue }
            heartbeat.send(frames)
        }
    }

    func controlLoop() {
        while !shuttingDown {
            welcomeSubscribers()
            guard !zmq.poll([control], timeout: 50).isEmpty, let frames = control.receive(wait: false) else { continue }
            guard let msg = receive(frames, channel: "control") else { continue }
            status("busy", parent: msg)
            switch msg.type {
            case "interrupt_request":
                Interrupt.requested = 1
                reply(control, to: msg, "interrupt_reply", ["status": "ok"])
            case "shutdown_request":
                let restart = msg.content["restart"] as? Bool ?? false
                reply(control, to: msg, "shutdown_reply", ["status": "ok", "restart": restart])
                Interrupt.requested = 1 // a running cell stops at its next check; what it finished is kept
                shuttingDown = true
            case "kernel_info_request":
                reply(control, to: msg, "kernel_info_reply", kernelInfo)
            default:
                Self.log("control: message type '\(msg.type)' is not handled; dropped")
            }
            status("idle", parent: msg)
        }
    }

    /// A received message, or nil (logged) when it does not parse or verify.
    func receive(_ frames: [Data], channel: String) -> JupyterMessage? {
        do {
            let m = try JupyterMessage(frames: frames, signer: signer)
            if let v = m.header["version"] as? String, !v.hasPrefix("5.") {
                Self.log("\(channel): '\(m.type)' speaks protocol \(v); answering as 5.3")
            }
            return m
        } catch {
            Self.log("\(channel): message dropped: \(error)")
            return nil
        }
    }

    var kernelInfo: [String: Any] {
        [
            "status": "ok", "protocol_version": JupyterMessage.protocolVersion, "implementation": "ecgs",
            "implementation_version": KernelSpec.version,
            "language_info": [
                "name": "ecgscript", "version": KernelSpec.version, "mimetype": "text/x-ecgscript", "file_extension": ".ecgs",
                "pygments_lexer": "python", "codemirror_mode": "python", "nbconvert_exporter": "script"
            ],
            "banner": "ecgs — ECGScript (help() for help). BLAS: \(BLAS.coreDescription)",
            "help_links": [[String: String]](),
            "debugger": false
        ]
    }
}
