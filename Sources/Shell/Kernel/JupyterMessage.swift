import Foundation

/// One message of the Jupyter messaging protocol (5.3) as it travels over ZeroMQ: routing identities, the
/// `<IDS|MSG>` delimiter, the HMAC signature, four JSON dicts and optional binary buffers.
public struct JupyterMessage {
    public static let delimiter = Data("<IDS|MSG>".utf8)
    static let protocolVersion = "5.3"

    var identities: [Data]
    var header: [String: Any]
    var parentHeader: [String: Any]
    var metadata: [String: Any]
    var content: [String: Any]
    var buffers: [Data] = []

    var type: String { header["msg_type"] as? String ?? "" }
    var id: String { header["msg_id"] as? String ?? "" }

    /// Why a received message was dropped.
    struct Rejected: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses and verifies the frames of a received message.
    public init(frames: [Data], signer: HMACSigner) throws {
        guard let d = frames.firstIndex(of: Self.delimiter) else { throw Rejected(description: "no <IDS|MSG> delimiter") }
        guard frames.count >= d + 6 else { throw Rejected(description: "\(frames.count - d - 1) frames after the delimiter, 5 needed") }
        let parts = Array(frames[(d + 2)...(d + 5)])
        guard signer.verify(frames[d + 1], parts) else { throw Rejected(description: "bad signature") }
        func dict(_ data: Data, _ name: String) throws -> [String: Any] {
            guard let obj = try? JSONSerialization.jsonObject(with: data), let dict = obj as? [String: Any] else {
                throw Rejected(description: "\(name) is not a JSON object")
            }
            return dict
        }
        identities = Array(frames[..<d])
        header = try dict(parts[0], "header")
        parentHeader = try dict(parts[1], "parent_header")
        metadata = try dict(parts[2], "metadata")
        content = try dict(parts[3], "content")
        buffers = Array(frames[(d + 6)...])
        guard header["msg_type"] is String, header["msg_id"] is String else {
            throw Rejected(description: "header without msg_type or msg_id")
        }
    }

    init(identities: [Data], header: [String: Any], parentHeader: [String: Any], metadata: [String: Any] = [:], content: [String: Any]) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
    }

    /// A new header of `type` for `session`.
    static func header(_ type: String, session: String) -> [String: Any] {
        [
            "msg_id": UUID().uuidString.lowercased(), "msg_type": type, "session": session, "username": "ecgs",
            "date": isoDate(Date()), "version": protocolVersion
        ]
    }

    static func isoDate(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    /// The frames to send, signed.
    func frames(signer: HMACSigner) -> [Data] {
        func json(_ d: [String: Any]) -> Data {
            (try? JSONSerialization.data(withJSONObject: Self.jsonSafe(d), options: [.sortedKeys])) ?? Data("{}".utf8)
        }
        let parts = [json(header), json(parentHeader), json(metadata), json(content)]
        return identities + [Self.delimiter, Data(signer.signature(parts).utf8)] + parts + buffers
    }

    /// Replaces what JSON cannot hold (NaN, infinities) by null, recursively.
    static func jsonSafe(_ v: Any) -> Any {
        switch v {
        case let d as [String: Any]: return d.mapValues(jsonSafe)
        case let a as [Any]: return a.map(jsonSafe)
        case let x as Double: return x.isFinite ? x : NSNull()
        default: return v
        }
    }
}

/// The connection file a Jupyter client writes: transport, address, the five ports, the signing key.
public struct ConnectionInfo {
    var transport: String
    var ip: String
    var shellPort, controlPort, stdinPort, iopubPort, hbPort: Int
    var key: String
    var signatureScheme: String

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ZMQ.Failure(description: "cannot read connection file '\(path)'")
        }
        try self.init(data: data, path: path)
    }

    /// Parses the connection file's text; `path` names it in errors.
    public init(data: Data, path: String) throws {
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ZMQ.Failure(description: "\(path): not a JSON object")
        }
        func port(_ k: String) throws -> Int {
            guard let p = obj[k] as? Int, p >= 0, p < 65536 else { throw ZMQ.Failure(description: "\(path): '\(k)' must be a port number") }
            return p
        }
        transport = obj["transport"] as? String ?? "tcp"
        guard transport == "tcp" || transport == "ipc" else {
            throw ZMQ.Failure(description: "\(path): transport '\(transport)' (tcp or ipc)")
        }
        guard let ip = obj["ip"] as? String, !ip.isEmpty else { throw ZMQ.Failure(description: "\(path): no 'ip'") }
        self.ip = ip
        shellPort = try port("shell_port")
        controlPort = try port("control_port")
        stdinPort = try port("stdin_port")
        iopubPort = try port("iopub_port")
        hbPort = try port("hb_port")
        key = obj["key"] as? String ?? ""
        signatureScheme = obj["signature_scheme"] as? String ?? "hmac-sha256"
    }

    /// The ZeroMQ endpoint of a channel: `tcp://ip:port`, or `ipc://ip-port` (Jupyter's ipc naming).
    func endpoint(_ port: Int) -> String { transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)" }
}
