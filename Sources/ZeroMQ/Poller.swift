import CZeroMQ

/// What a ``Poller`` waits for on a socket, and what it found (`ZMQ_POLLIN`,
/// `ZMQ_POLLOUT`).
public struct PollEvents: OptionSet, Sendable, Hashable {
    public let rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// A whole message can be received without blocking.
    public static let readable = PollEvents(rawValue: Int16(ZMQ_POLLIN))
    /// A message can be sent without blocking.
    public static let writable = PollEvents(rawValue: Int16(ZMQ_POLLOUT))
}

/// Waits until one of several sockets can receive or send (`zmq_poll`).
///
/// A pipeline stage's main loop polls in short slices so that it notices a stop request
/// (set, for instance, by a SIGINT/SIGTERM handler) within one slice:
///
///     var poller = Poller()
///     let input = poller.add(pull, for: .readable)
///     while !stopRequested() {
///         let ready = try poller.poll(timeout: 100)
///         if ready[input].contains(.readable), let message = try pull.receive(dontWait: true) {
///             handle(message)
///         }
///     }
///
/// A poller is used by one thread at a time, like its sockets.
public struct Poller {
    private var entries: [(socket: Socket, events: PollEvents)] = []

    /// Creates a poller watching nothing.
    public init() {}

    /// Watches `socket` for `events`; returns the index of its result in ``poll(timeout:)``.
    @discardableResult
    public mutating func add(_ socket: Socket, for events: PollEvents) -> Int {
        entries.append((socket, events))
        return entries.count - 1
    }

    /// Waits until at least one socket is ready for what it is watched for, or until
    /// `milliseconds` have passed (-1 = no limit, 0 = just look).
    ///
    /// A signal (`EINTR`) does not end the wait early: it goes on for the time that is
    /// left. Hence poll with a short timeout and check a stop flag between polls.
    ///
    /// - Returns: for each ``add(_:for:)`` in order, the events that are ready on that
    ///   socket (among those asked for), empty when it is not ready.
    /// - Throws: `ENOTSOCK` if a socket is closed, `ETERM` after ``Context/shutdown()``.
    public func poll(timeout milliseconds: Int) throws(ZMQError) -> [PollEvents] {
        var items = try entries.map { entry throws(ZMQError) in
            zmq_pollitem_t(
                socket: try entry.socket.openHandle(for: "zmq_poll"), fd: 0,
                events: entry.events.rawValue, revents: 0)
        }
        let deadline = milliseconds < 0 ? nil : ContinuousClock.now + .milliseconds(milliseconds)
        try zmqCall("zmq_poll") {
            zmq_poll(&items, Int32(items.count), deadline.map(Poller.milliseconds(until:)) ?? -1)
        }
        return items.map { PollEvents(rawValue: $0.revents) }
    }

    /// The whole milliseconds left until `deadline`, rounded up so a poll never ends early;
    /// 0 once it has passed.
    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let (seconds, attoseconds) = ContinuousClock.now.duration(to: deadline).components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let milliseconds = (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
        return Int(seconds * 1000 + milliseconds)
    }
}
