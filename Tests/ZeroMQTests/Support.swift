import Foundation
import ZeroMQ

/// A socket with linger 0, so that tearing a test down never waits for undeliverable
/// messages.
func makeSocket(_ context: Context, _ type: SocketType) throws -> Socket {
    let socket = try Socket(context, type: type)
    try socket.set(.linger, 0)
    return socket
}

/// `count` bytes of a recognisable pattern.
func pattern(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
}

/// A fresh directory for ipc socket files, removed when `body` returns. It is made under
/// /tmp because an ipc path must fit in 107 bytes.
func withTemporaryDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let path = "/tmp/zmq-tests-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Milliseconds taken by `body`.
func milliseconds<Failure>(_ body: () throws(Failure) -> Void) throws(Failure) -> Int {
    let start = ContinuousClock.now
    try body()
    let (seconds, attoseconds) = (ContinuousClock.now - start).components
    return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
}
