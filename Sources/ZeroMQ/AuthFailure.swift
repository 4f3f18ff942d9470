/// A peer refused at a bound CURVE socket, as a ``ZAPHandler`` reports it.
public struct AuthFailure: Sendable, Equatable, CustomStringConvertible {
    /// Who was refused: the peer's IP address when the ZAP handler refused its key, else the
    /// bound endpoint the failed handshake came to (libzmq's monitor events do not name
    /// the peer).
    public let peer: String
    /// Why: `key not allowed`, or the handshake failure libzmq reported.
    public let reason: String
    /// The public key the peer presented, when it got as far as presenting one.
    public let publicKey: CurveKey?

    public init(peer: String, reason: String, publicKey: CurveKey? = nil) {
        self.peer = peer
        self.reason = reason
        self.publicKey = publicKey
    }

    public var description: String {
        "\(peer): \(reason)" + (publicKey.map { " (public key \($0))" } ?? "")
    }
}
