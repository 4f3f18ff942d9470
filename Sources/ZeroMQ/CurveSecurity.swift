import CZeroMQ

/// How a process takes part in CURVE (CurveZMQ: encryption and authentication of every
/// connection), zguide's "Ironhouse" pattern: each side has a key pair, a connecting socket
/// knows the public key of the server it talks to, and a bound socket accepts only the
/// clients whose public keys are allowed (checked by a ``ZAPHandler`` in its context).
public struct CurveSecurity: Sendable {
    /// This process's key pair: the server key of its bound sockets, the client key of its
    /// connecting ones.
    public var keyPair: CurveKeyPair
    /// The public key of the server that connecting sockets talk to.
    public var serverKey: CurveKey
    /// The public keys a bound socket accepts.
    public var allowedClients: Set<CurveKey>

    public init(keyPair: CurveKeyPair, serverKey: CurveKey, allowedClients: Set<CurveKey>) {
        self.keyPair = keyPair
        self.serverKey = serverKey
        self.allowedClients = allowedClients
    }

    /// The ZAP domain of every bound CURVE socket (`ZMQ_ZAP_DOMAIN`); it names the pipeline in
    /// ZAP requests.
    public static let zapDomain = "seq2seq"
}

extension Socket {
    /// Makes this socket the server side of CURVE with `security`'s key pair (set before
    /// ``bind(_:)``): every connection must complete a CURVE handshake, and ZAP is always
    /// consulted (`ZMQ_ZAP_ENFORCE_DOMAIN`), so without a ``ZAPHandler`` in the context
    /// nothing is let in.
    public func secureAsCurveServer(_ security: CurveSecurity) throws(ZMQError) {
        try set(.curveServer, true)
        try set(.curveSecretKey, security.keyPair.secretKey)
        try set(.zapDomain, CurveSecurity.zapDomain)
        try set(.zapEnforceDomain, true)
    }

    /// Makes this socket a CURVE client of the server whose public key is
    /// `security.serverKey` (set before ``connect(_:)``).
    public func secureAsCurveClient(_ security: CurveSecurity) throws(ZMQError) {
        try set(.curveServerKey, security.serverKey)
        try set(.curvePublicKey, security.keyPair.publicKey)
        try set(.curveSecretKey, security.keyPair.secretKey)
    }
}
