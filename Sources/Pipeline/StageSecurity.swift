import Logging
import ZeroMQ

/// The CURVE security of one stage's sockets, or none (plain ZeroMQ).
///
/// With CURVE, the stage's context gets a ``ZAPHandler`` that lets in the allowed client
/// keys, every bound socket becomes a CURVE server (and is watched for failed handshakes) and
/// every connecting socket a CURVE client of the configured server key; refusals are counted
/// and logged by a ``RefusalLog``. Call ``stop()`` when the stage is done.
final class StageSecurity {
    let curve: CurveSecurity?
    private let handler: ZAPHandler?

    /// Security for the sockets of `context`: with `curve`, a ZAP handler starts in it.
    init(context: Context, curve: CurveSecurity?, stage: String, logger: Logger) throws {
        self.curve = curve
        handler = try curve.map { curve in
            let log = RefusalLog(stage: stage, logger: logger)
            return try ZAPHandler(context, allowing: curve.allowedClients) { log.record($0) }
        }
    }

    /// Security for sockets that only connect (clients, workers): no ZAP handler.
    init(client curve: CurveSecurity?) {
        self.curve = curve
        handler = nil
    }

    /// Secures `socket` before it binds (as a CURVE server) or connects (as a client).
    func prepare(_ socket: Socket, binding: Bool) throws {
        guard let curve else { return }
        if binding {
            precondition(handler != nil, "a CURVE server socket needs a ZAP handler in its context")
            try socket.secureAsCurveServer(curve)
        } else {
            try socket.secureAsCurveClient(curve)
        }
    }

    /// Reports the failed handshakes of `socket`, bound with CURVE.
    func watch(_ socket: Socket) throws {
        try handler?.watch(socket)
    }

    /// Stops the ZAP handler, if any.
    func stop() {
        handler?.stop()
    }
}
