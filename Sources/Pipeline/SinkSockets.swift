import ZeroMQ

/// The sockets the sink hands records over on.
struct SinkSockets {
    /// Plain records (PUSH).
    let output: Socket
    /// Acknowledged records (ROUTER), when bound.
    let deliver: Socket?
    /// Records of requests (ROUTER), when bound.
    let replies: Socket?
}
