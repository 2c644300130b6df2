import Foundation

/// HMAC-SHA256 signatures of Jupyter messages with OpenSSL's libcrypto (opened at first use with dlopen):
/// the hex digest of header, parent header, metadata and content. An empty key means unsigned messages.
public struct HMACSigner: @unchecked Sendable {
    private typealias EVPFn = @convention(c) () -> OpaquePointer?
    private typealias HMACFn =
        @convention(c) (
            OpaquePointer?, UnsafeRawPointer?, Int32, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UInt8>?,
            UnsafeMutablePointer<UInt32>?
        ) -> UnsafeMutablePointer<UInt8>?

    let key: [UInt8]
    private let hmac: HMACFn?
    private let sha256: EVPFn?

    public init(key: String, scheme: String) throws {
        self.key = Array(key.utf8)
        guard !self.key.isEmpty else {
            hmac = nil
            sha256 = nil
            return
        }
        guard scheme == "hmac-sha256" else {
            throw ZMQ.Failure(description: "signature scheme '\(scheme)' is not supported (hmac-sha256 is)")
        }
        guard let lib = dlopen("libcrypto.so.3", RTLD_NOW) ?? dlopen("libcrypto.so", RTLD_NOW),
            let h = dlsym(lib, "HMAC"), let e = dlsym(lib, "EVP_sha256")
        else {
            throw ZMQ.Failure(description: "message signing needs OpenSSL's libcrypto (Debian: apt-get install libssl3)")
        }
        hmac = unsafeBitCast(h, to: HMACFn.self)
        sha256 = unsafeBitCast(e, to: EVPFn.self)
    }

    var signs: Bool { !key.isEmpty }

    /// The lowercase hex signature of the parts ("" when unsigned).
    public func signature(_ parts: [Data]) -> String {
        guard let hmac, let sha256 else { return "" }
        var joined = Data()
        for p in parts { joined.append(p) }
        var out = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        key.withUnsafeBytes { k in
            joined.withUnsafeBytes { d in
                _ = hmac(sha256(), k.baseAddress, Int32(key.count), d.bindMemory(to: UInt8.self).baseAddress, d.count, &out, &len)
            }
        }
        return out.prefix(Int(len)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is the signature of the parts (compared in constant time).
    func verify(_ signature: Data, _ parts: [Data]) -> Bool {
        guard signs else { return true }
        let want = Array(self.signature(parts).utf8), got = Array(signature)
        guard want.count == got.count else { return false }
        var diff: UInt8 = 0
        for (a, b) in zip(want, got) { diff |= a ^ b }
        return diff == 0
    }
}
