/// Whether a ZeroMQ endpoint can only be reached from this host: `ipc://` and `inproc://`,
/// and `tcp://` on a loopback address (127.0.0.0/8, `::1`, `localhost`, the `lo` interface).
/// A wildcard (`*`), `0.0.0.0` or any other address is reachable from the network.
enum LoopbackEndpoint {
    static func contains(_ endpoint: String) -> Bool {
        guard endpoint.hasPrefix("tcp://") else { return true }
        let address = endpoint.dropFirst("tcp://".count)
        // The host is what comes before the last colon (the port), without IPv6 brackets.
        let host = address.lastIndex(of: ":").map { address[..<$0] } ?? address
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? host.dropFirst().dropLast() : host
        return bare.hasPrefix("127.") || bare == "::1" || bare == "localhost" || bare == "lo"
    }

    /// The endpoints of `endpoints` that the network can reach; `nil` stands for one not bound.
    static func exposed(_ endpoints: [String?]) -> [String] {
        endpoints.compactMap { $0 }.filter { !contains($0) }
    }
}
