import CZeroMQ
import Foundation
import Synchronization

/// The ZAP authentication handler (ZeroMQ RFC 27) of one context: a REP socket bound to
/// `inproc://zeromq.zap.01`, served by a thread of its own, that lets in the CURVE clients
/// whose public keys are allowed and refuses everyone else.
///
/// libzmq asks it about every CURVE handshake on the context's bound sockets secured with
/// ``Socket/secureAsCurveServer(_:)``; it answers version `1.0`, status `200` with the
/// client's Z85 key as user id, or `400`. It also watches those sockets (``watch(_:)``) for
/// handshakes that fail before a key is presented (a plain peer, a client with another
/// server key). Every refusal is reported to `refused`, on the handler's thread.
///
/// One handler per context (a second bind of the ZAP endpoint fails with `EADDRINUSE`).
/// Call ``stop()`` before the context goes: the handler's socket keeps it alive.
public final class ZAPHandler: @unchecked Sendable {
    /// Where libzmq sends ZAP requests, in the same context as the sockets it secures.
    public static let endpoint = "inproc://zeromq.zap.01"

    private let allowed: Set<CurveKey>
    private let refused: @Sendable (AuthFailure) -> Void
    private let stopRequested = Atomic<Bool>(false)
    /// Monitors handed over by ``watch(_:)`` and not yet taken by the handler's thread.
    private let newMonitors = Mutex<[SocketMonitor]>([])
    private let finished = DispatchSemaphore(value: 0)
    private let isRunning = Mutex(true)

    /// Binds the ZAP endpoint in `context` and starts answering: clients with a key in
    /// `allowed` are let in.
    public init(
        _ context: Context, allowing allowed: Set<CurveKey>, refused: @escaping @Sendable (AuthFailure) -> Void
    ) throws(ZMQError) {
        self.allowed = allowed
        self.refused = refused
        let socket = try Socket(context, type: .rep)
        try socket.set(.linger, 0)
        try socket.bind(Self.endpoint)
        Thread.detachNewThread { [self] in
            serve(socket)
            finished.signal()
        }
    }

    /// Reports the handshakes on `socket` (a bound CURVE socket of this context) that fail
    /// before the ZAP handler is asked.
    public func watch(_ socket: Socket) throws(ZMQError) {
        let monitor = try SocketMonitor(socket, events: [.handshakeFailedProtocol, .handshakeFailedNoDetail])
        newMonitors.withLock { $0.append(monitor) }
    }

    /// Stops answering and closes the handler's sockets; waits for its thread (at most one
    /// poll slice). Stopping twice does nothing.
    public func stop() {
        let wasRunning = isRunning.withLock { running in
            defer { running = false }
            return running
        }
        guard wasRunning else { return }
        stopRequested.store(true, ordering: .relaxed)
        finished.wait()
    }

    /// The handler's thread: answers requests and reads monitor events until stopped.
    private func serve(_ socket: Socket) {
        var monitors: [SocketMonitor] = []
        while !stopRequested.load(ordering: .relaxed) {
            monitors += newMonitors.withLock { pending in
                defer { pending = [] }
                return pending
            }
            var poller = Poller()
            poller.add(socket, for: .readable)
            for monitor in monitors { poller.add(monitor.pair, for: .readable) }
            guard let ready = try? poller.poll(timeout: 100) else { break }
            if ready[0].contains(.readable), let request = try? socket.receive(dontWait: true) {
                _ = try? socket.send(answer(request))
            }
            for (index, monitor) in monitors.enumerated() where ready[index + 1].contains(.readable) {
                while let event = try? monitor.nextWithEndpoint() {
                    refused(AuthFailure(peer: event.endpoint, reason: Self.reason(for: event.event)))
                }
            }
        }
        try? socket.close()
        for monitor in monitors { try? monitor.pair.close() }
    }

    /// The reply to one ZAP request: `[version, request id, status code, status text, user
    /// id, metadata]`. A request is `[version, request id, domain, address, identity,
    /// mechanism, credentials…]`; for CURVE the one credential is the client's 32-byte key.
    func answer(_ request: [[UInt8]]) -> [[UInt8]] {
        let requestID = request.count > 1 ? request[1] : []
        func reply(_ status: String, _ text: String, user: String = "") -> [[UInt8]] {
            [Array("1.0".utf8), requestID, Array(status.utf8), Array(text.utf8), Array(user.utf8), []]
        }
        guard request.count >= 6, request[0] == Array("1.0".utf8) else {
            refused(AuthFailure(peer: "unknown", reason: "malformed ZAP request"))
            return reply("400", "malformed ZAP request")
        }
        let peer = String(decoding: request[3], as: UTF8.self)
        let mechanism = String(decoding: request[5], as: UTF8.self)
        guard mechanism == "CURVE", request.count >= 7, let key = CurveKey(binary: request[6]) else {
            refused(AuthFailure(peer: peer, reason: "mechanism \(mechanism), not CURVE"))
            return reply("400", "CURVE only")
        }
        guard allowed.contains(key) else {
            refused(AuthFailure(peer: peer, reason: "key not allowed", publicKey: key))
            return reply("400", "key not allowed")
        }
        return reply("200", "OK", user: key.text)
    }

    /// What a failed handshake `event` means.
    private static func reason(for event: SocketEvents) -> String {
        event == .handshakeFailedProtocol
            ? "handshake failed: not CURVE, or not this server's key" : "handshake failed"
    }
}
