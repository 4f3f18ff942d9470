import Foundation
import Testing
import ZeroMQ

/// Key pairs made by `seq2seq keygen` in a temporary directory, and lists of allowed keys.
final class KeyRing {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("curve-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The path of `name`'s secret key file, made with `keygen` on first use (`.pub` beside it).
    func secret(_ name: String) throws -> String {
        let path = directory.appendingPathComponent("\(name).key").path
        if !FileManager.default.fileExists(atPath: path) {
            let result = try Binary.run(["keygen", "--out", path])
            try #require(result.status == 0, "\(result.stderr)")
        }
        return path
    }

    /// The path of `name`'s public key file.
    func publicKey(_ name: String) throws -> String { try secret(name) + ".pub" }

    /// The key pair in `name`'s files, for in-process sockets.
    func keyPair(_ name: String) throws -> CurveKeyPair { try CurveKeyFile.readSecret(try secret(name)) }

    /// A file listing the public keys of `names`, one per line.
    func list(_ file: String, _ names: [String]) throws -> String {
        let text = try names.map { try String(contentsOfFile: try publicKey($0), encoding: .utf8) }.joined()
        let path = directory.appendingPathComponent(file).path
        try ("# allowed clients\n" + text).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `--curve-secret` (and `--curve-server`, `--curve-clients`) arguments.
    func arguments(_ name: String, server: String? = nil, clients: String? = nil) throws -> [String] {
        ["--curve-secret", try secret(name)] + (try server.map { ["--curve-server", try publicKey($0)] } ?? [])
            + (clients.map { ["--curve-clients", $0] } ?? [])
    }
}

/// Runs `send` and `receive` processes (with `--acked` when `acked`: then `ingest` and `output`
/// are the submit and deliver endpoints) for `lines` against the endpoints, with `curve`
/// arguments; the translations received, one per line.
func sendAndReceive(
    _ lines: [String], ingest: String, output: String, curve: [String] = [], acked: Bool = false, namespace: String? = nil
) throws -> [String] {
    let mode = acked ? ["--acked"] : []
    let received = Pipe()
    let receive = try StageProcess(
        ["receive", "--from", output, "--count", "\(lines.count)"] + mode + curve, namespace: namespace, standardOutput: received)
    let sent = Pipe()
    let send = try StageProcess(["send", "--to", ingest] + mode + curve, namespace: namespace, standardInput: sent)
    try sent.fileHandleForWriting.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
    try sent.fileHandleForWriting.close()
    let output = received.fileHandleForReading.readDataToEndOfFile()
    #expect(send.exitStatus() == 0, "\(send.log)")
    #expect(receive.exitStatus() == 0, "\(receive.log)")
    return String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}
