import CZeroMQ

/// The kind of a ``Socket``, i.e. its messaging pattern (the `type` of `zmq_socket`).
public enum SocketType: Sendable, CaseIterable {
    /// `ZMQ_PAIR`: exclusive one-to-one link.
    case pair
    /// `ZMQ_PUB`: publisher, sends to every subscriber.
    case pub
    /// `ZMQ_SUB`: subscriber; receives nothing until ``Socket/subscribe(_:)`` is called.
    case sub
    /// `ZMQ_REQ`: strict send–receive–send client.
    case req
    /// `ZMQ_REP`: strict receive–send–receive server.
    case rep
    /// `ZMQ_DEALER`: asynchronous, round-robin request side.
    case dealer
    /// `ZMQ_ROUTER`: asynchronous reply side, addressing peers by identity frame.
    case router
    /// `ZMQ_PULL`: pipeline input, fair-queues from all PUSH peers.
    case pull
    /// `ZMQ_PUSH`: pipeline output, round-robins over all PULL peers.
    case push

    /// The `ZMQ_*` constant for this type.
    var cValue: Int32 {
        switch self {
        case .pair: ZMQ_PAIR
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .req: ZMQ_REQ
        case .rep: ZMQ_REP
        case .dealer: ZMQ_DEALER
        case .router: ZMQ_ROUTER
        case .pull: ZMQ_PULL
        case .push: ZMQ_PUSH
        }
    }
}
