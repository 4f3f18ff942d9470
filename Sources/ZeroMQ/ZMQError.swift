import CZeroMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error reported by a libzmq call, modelled on swift-nio's `IOError`.
///
/// It carries the `errno` code that libzmq set (read with `zmq_errno()` right after the
/// failing call), its symbolic name, the text `zmq_strerror` gives for it and the name of
/// the C function that failed, so a log line says exactly what went wrong where:
///
///     zmq_bind failed: EADDRINUSE (98): Address already in use
///
/// `EAGAIN` from a non-blocking or timed-out send or receive is not reported as an error:
/// ``Socket/send(_:dontWait:)`` returns `false` and ``Socket/receive(dontWait:)`` returns
/// `nil` instead. `EINTR` is never reported: the call is retried.
public struct ZMQError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The `errno` value, e.g. `EADDRINUSE`; compare with the constants from Glibc or
    /// with ``name``.
    public let code: Int32
    /// The symbolic name of ``code``, e.g. `"EADDRINUSE"`, `"ETERM"` or `"EFSM"`
    /// (`"errno <code>"` for a code this module has no name for).
    public let name: String
    /// The human-readable text `zmq_strerror` gives for ``code``.
    public let message: String
    /// The C function that failed, e.g. `"zmq_bind"`.
    public let function: String

    /// Creates the error that `function` reports with `code`.
    public init(code: Int32, function: String) {
        self.code = code
        self.name = ZMQError.symbolicName(of: code)
        self.message = String(cString: zmq_strerror(code))
        self.function = function
    }

    /// `"<function> failed: <name> (<code>): <message>"`.
    public var description: String {
        "\(function) failed: \(name) (\(code)): \(message)"
    }

    /// The symbolic name of every `errno` value that libzmq documents for its calls.
    private static func symbolicName(of code: Int32) -> String {
        switch code {
        case EAGAIN: "EAGAIN"
        case EINTR: "EINTR"
        case EINVAL: "EINVAL"
        case EFAULT: "EFAULT"
        case ENOMEM: "ENOMEM"
        case ENODEV: "ENODEV"
        case ENOENT: "ENOENT"
        case EACCES: "EACCES"
        case EMFILE: "EMFILE"
        case ENAMETOOLONG: "ENAMETOOLONG"
        case ENOTSUP: "ENOTSUP"
        case EPROTONOSUPPORT: "EPROTONOSUPPORT"
        case ENOBUFS: "ENOBUFS"
        case ENETDOWN: "ENETDOWN"
        case EADDRINUSE: "EADDRINUSE"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case ECONNREFUSED: "ECONNREFUSED"
        case EINPROGRESS: "EINPROGRESS"
        case ENOTSOCK: "ENOTSOCK"
        case EMSGSIZE: "EMSGSIZE"
        case EAFNOSUPPORT: "EAFNOSUPPORT"
        case ENETUNREACH: "ENETUNREACH"
        case ECONNABORTED: "ECONNABORTED"
        case ECONNRESET: "ECONNRESET"
        case ENOTCONN: "ENOTCONN"
        case ETIMEDOUT: "ETIMEDOUT"
        case EHOSTUNREACH: "EHOSTUNREACH"
        case ENETRESET: "ENETRESET"
        case EFSM: "EFSM"
        case ENOCOMPATPROTO: "ENOCOMPATPROTO"
        case ETERM: "ETERM"
        case EMTHREAD: "EMTHREAD"
        default: "errno \(code)"
        }
    }
}

/// Makes one libzmq call: the single place where this module calls into C and turns a
/// failure into a ``ZMQError``.
///
/// `call` is run; if `isFailure` says its result means failure, `zmq_errno()` is read at
/// once. `EINTR` runs `call` again (so a call that computes a remaining timeout inside
/// `call` retries with the time that is left); any other code is thrown with `function`.
@inline(__always)
func zmqCall<Result>(
    _ function: String, failsWhen isFailure: (Result) -> Bool, _ call: () -> Result
) throws(ZMQError) -> Result {
    while true {
        let result = call()
        guard isFailure(result) else { return result }
        let code = zmq_errno()
        guard code == EINTR else { throw ZMQError(code: code, function: function) }
    }
}

/// ``zmqCall(_:failsWhen:_:)`` for the libzmq calls that return an `int`, `-1` on failure.
@inline(__always)
@discardableResult
func zmqCall(_ function: String, _ call: () -> Int32) throws(ZMQError) -> Int32 {
    try zmqCall(function, failsWhen: { $0 == -1 }, call)
}

/// ``zmqCall(_:failsWhen:_:)`` for the libzmq calls that return a handle, `NULL` on failure.
@inline(__always)
func zmqCall(
    _ function: String, _ call: () -> UnsafeMutableRawPointer?
) throws(ZMQError) -> UnsafeMutableRawPointer {
    // A nil result has been thrown as an error, so the unwrap cannot fail.
    try zmqCall(function, failsWhen: { $0 == nil }, call)!
}
