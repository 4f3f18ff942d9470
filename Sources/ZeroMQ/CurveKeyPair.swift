import CZeroMQ

/// A CURVE key pair: a secret key and the public key that belongs to it.
public struct CurveKeyPair: Hashable, Sendable {
    public let publicKey: CurveKey
    public let secretKey: CurveKey

    /// A new random key pair (`zmq_curve_keypair`). Throws `ENOTSUP` when libzmq was built
    /// without CURVE.
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        var publicText = [CChar](repeating: 0, count: CurveKey.textLength + 1)
        var secretText = [CChar](repeating: 0, count: CurveKey.textLength + 1)
        try zmqCall("zmq_curve_keypair") { zmq_curve_keypair(&publicText, &secretText) }
        // libzmq writes 40 Z85 characters and a NUL into each.
        return CurveKeyPair(publicKey: CurveKey(text: String(cString: publicText))!, secretKey: CurveKey(text: String(cString: secretText))!)
    }

    /// The pair of `secretKey`, its public key derived from it (`zmq_curve_public`).
    public init(secretKey: CurveKey) throws(ZMQError) {
        var publicText = [CChar](repeating: 0, count: CurveKey.textLength + 1)
        try zmqCall("zmq_curve_public") { zmq_curve_public(&publicText, secretKey.text) }
        self.init(publicKey: CurveKey(text: String(cString: publicText))!, secretKey: secretKey)
    }

    private init(publicKey: CurveKey, secretKey: CurveKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }
}
