import Foundation
import Testing

/// Three hosts on one machine: network namespaces joined by veth pairs, each with its own
/// address. The tokenizer and the sink run on one, a worker on each of the other two, and
/// the work crosses real TCP connections between them, encrypted and authenticated with CURVE.
///
/// Needs root and iproute2; skipped, with that reason, where namespaces cannot be created.
@Suite(.enabled(if: NetworkNamespaces.canCreate, "needs root and `ip netns` (iproute2) to create network namespaces"))
struct MultiHostTests {
    /// With CURVE, as the README's "Scaling out" sets it up: the tokenizer and the sink share
    /// the hub's key pair and list the keys of the workers and of the client; each worker has
    /// its own key pair and knows the hub's public key.
    @Test func aThousandLinesThroughWorkersOnTwoOtherHosts() throws {
        let network = try NetworkNamespaces(workers: 2)
        defer { network.remove() }
        let keys = try KeyRing()
        let clients = try keys.list("clients", ["client", "worker1", "worker2"])
        let hubKeys = try keys.arguments("hub", clients: clients)
        let lines = Corpus.sentences(1000, seed: 21)
        let expected = try Corpus.offline(lines)
        let model = ["--model", Binary.goldenModel]
        let hub = network.hub
        let tokenizer = try StageProcess(
            ["tokenizer", "--ingest", "tcp://127.0.0.1:5555", "--work", "tcp://*:5558", "--acks", "tcp://127.0.0.1:5557"] + model + hubKeys,
            namespace: hub)
        let sink = try StageProcess(
            ["sink", "--results", "tcp://*:5559", "--output", "tcp://127.0.0.1:5556", "--acks", "tcp://127.0.0.1:5557"] + model + hubKeys,
            namespace: hub)
        let workers = try network.workerHosts.enumerated().map { index, host in
            try StageProcess(
                ["worker", "--work", "tcp://\(host.hubAddress):5558", "--results", "tcp://\(host.hubAddress):5559"] + model
                    + (try keys.arguments("worker\(index + 1)", server: "hub")),
                namespace: host.name)
        }
        for stage in [tokenizer, sink] + workers { #expect(stage.waitForLog(stage === tokenizer ? "tokenizer up" : "up"), "\(stage.log)") }
        #expect(!tokenizer.log.contains("without CURVE"), "\(tokenizer.log)")

        let translations = try sendAndReceive(
            lines, ingest: "tcp://127.0.0.1:5555", output: "tcp://127.0.0.1:5556", curve: try keys.arguments("client", server: "hub"),
            namespace: hub)
        #expect(translations.count == lines.count)
        #expect(translations == expected)
        #expect(!tokenizer.log.contains("peer refused") && !sink.log.contains("peer refused"), "\(tokenizer.log)\n\(sink.log)")

        // Both remote workers took part.
        for worker in workers { worker.send(SIGTERM) }
        for worker in workers {
            #expect(worker.exitStatus() == 0)
            #expect((worker.logValue("processed", in: "worker stopped") ?? 0) > 0, "\(worker.log)")
        }
    }
}

/// A hub namespace and one namespace per worker host, each joined to the hub by a veth pair
/// on its own /24 in 198.18.0.0/15 (the range reserved for network benchmarks, RFC 2544).
/// Nothing leaves the machine.
final class NetworkNamespaces {
    struct Host {
        let name: String
        /// The hub's address on this host's link.
        let hubAddress: String
    }

    let hub: String
    let workerHosts: [Host]

    init(workers: Int) throws {
        let tag = "s2s\(getpid() % 100_000)"
        hub = "\(tag)-hub"
        workerHosts = (1...workers).map { Host(name: "\(tag)-w\($0)", hubAddress: "198.18.\($0).1") }
        remove()
        try Self.ip("netns", "add", hub)
        try Self.ip("-n", hub, "link", "set", "lo", "up")
        for (index, host) in workerHosts.enumerated() {
            let n = index + 1
            let (hubEnd, hostEnd) = ("\(tag)h\(n)", "\(tag)w\(n)")
            try Self.ip("netns", "add", host.name)
            try Self.ip("-n", host.name, "link", "set", "lo", "up")
            try Self.ip("link", "add", hubEnd, "netns", hub, "type", "veth", "peer", "name", hostEnd, "netns", host.name)
            try Self.ip("-n", hub, "addr", "add", "198.18.\(n).1/24", "dev", hubEnd)
            try Self.ip("-n", host.name, "addr", "add", "198.18.\(n).2/24", "dev", hostEnd)
            try Self.ip("-n", hub, "link", "set", hubEnd, "up")
            try Self.ip("-n", host.name, "link", "set", hostEnd, "up")
        }
    }

    /// Deletes the namespaces (and with them their veth ends).
    func remove() {
        for name in [hub] + workerHosts.map(\.name) { try? Self.ip("netns", "del", name) }
    }

    /// Whether this process may create network namespaces.
    static let canCreate: Bool = {
        let probe = "s2s-probe-\(getpid())"
        guard (try? ip("netns", "add", probe)) != nil else { return false }
        try? ip("netns", "del", probe)
        return true
    }()

    struct CommandFailed: Error, CustomStringConvertible {
        let description: String
    }

    static func ip(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw CommandFailed(description: "ip \(arguments.joined(separator: " ")): \(message)")
        }
    }
}
