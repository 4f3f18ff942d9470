import Foundation
import Synchronization
import Testing
@testable import ZeroMQ

/// What a ZAP handler reported, gathered from its thread.
private final class Refusals: Sendable {
    private let list = Mutex<[AuthFailure]>([])
    func add(_ failure: AuthFailure) { list.withLock { $0.append(failure) } }
    var all: [AuthFailure] { list.withLock { $0 } }
}

/// A CURVE client PUSH socket in a context of its own, connected to `endpoint`.
private func curveClient(_ keyPair: CurveKeyPair, server: CurveKey, to endpoint: String) throws -> Socket {
    let socket = try makeSocket(Context(), .push)
    try socket.secureAsCurveClient(CurveSecurity(keyPair: keyPair, serverKey: server, allowedClients: []))
    try socket.connect(endpoint)
    return socket
}

@Suite struct CurveTests {
    @Test func aSecretKeyGivesBackItsPublicKey() throws {
        let pair = try CurveKeyPair.generate()
        #expect(pair.publicKey.text.count == 40 && pair.secretKey.text.count == 40)
        #expect(try CurveKeyPair(secretKey: pair.secretKey) == pair)
        #expect(try CurveKeyPair.generate() != pair)
        #expect(CurveKey(text: String(pair.publicKey.text.dropLast())) == nil)
        #expect(CurveKey(text: String(pair.publicKey.text.dropLast()) + "\"") == nil)
    }

    /// Ironhouse: the bound PULL lets in only the listed client; a client with another key,
    /// a plain client and a client with another server key get nothing through, and each
    /// refusal is reported.
    @Test func onlyAllowedKeysGetThrough() throws {
        let (server, allowed, stranger, otherServer) = (
            try CurveKeyPair.generate(), try CurveKeyPair.generate(), try CurveKeyPair.generate(), try CurveKeyPair.generate()
        )
        let context = try Context()
        let refusals = Refusals()
        let handler = try ZAPHandler(context, allowing: [allowed.publicKey]) { refusals.add($0) }
        defer { handler.stop() }
        let pull = try makeSocket(context, .pull)
        try pull.secureAsCurveServer(CurveSecurity(keyPair: server, serverKey: server.publicKey, allowedClients: []))
        try pull.bind("tcp://127.0.0.1:*")
        try handler.watch(pull)
        let endpoint = try pull.lastEndpoint

        let intruders = [
            try curveClient(stranger, server: server.publicKey, to: endpoint),
            try curveClient(allowed, server: otherServer.publicKey, to: endpoint),
            try makeSocket(Context(), .push),
        ]
        try intruders[2].connect(endpoint)
        for socket in intruders {
            for _ in 0..<100 { try socket.send("intruder", dontWait: true) }
        }
        let client = try curveClient(allowed, server: server.publicKey, to: endpoint)
        for index in 0..<10 { #expect(try client.send("line \(index)")) }
        var received: [String] = []
        while let message = try pull.receive(timeout: 2000) { received += message.map { String(decoding: $0, as: UTF8.self) } }
        #expect(received == (0..<10).map { "line \($0)" })

        #expect(waitFor { refusals.all.contains { $0.reason == "key not allowed" && $0.publicKey == stranger.publicKey } })
        #expect(waitFor { refusals.all.filter { $0.reason.hasPrefix("handshake failed") }.count >= 2 }, "\(refusals.all)")
        #expect(!refusals.all.contains { $0.publicKey == allowed.publicKey })
    }

    /// Without a ZAP handler in its context a CURVE server lets nobody in (ZMQ_ZAP_ENFORCE_DOMAIN).
    @Test func noHandlerNoEntry() throws {
        let (server, client) = (try CurveKeyPair.generate(), try CurveKeyPair.generate())
        let context = try Context()
        let pull = try makeSocket(context, .pull)
        try pull.secureAsCurveServer(CurveSecurity(keyPair: server, serverKey: server.publicKey, allowedClients: []))
        try pull.bind("tcp://127.0.0.1:*")
        let push = try curveClient(client, server: server.publicKey, to: try pull.lastEndpoint)
        try push.send("hello", dontWait: true)
        #expect(try pull.receive(timeout: 1500) == nil)
    }

    @Test func theHandlerAnswersZAPRequests() throws {
        let allowed = try CurveKeyPair.generate()
        let handler = try ZAPHandler(Context(), allowing: [allowed.publicKey]) { _ in }
        defer { handler.stop() }
        let binary = allowed.publicKey.binary
        #expect(CurveKey(binary: binary) == allowed.publicKey)
        let request: [[UInt8]] = ["1.0", "7", "seq2seq", "10.0.0.9", "", "CURVE"].map { Array($0.utf8) } + [binary]
        let granted = handler.answer(request)
        #expect(granted.count == 6)
        #expect(granted[2] == Array("200".utf8) && granted[1] == Array("7".utf8))
        #expect(granted[4] == Array(allowed.publicKey.text.utf8))
        var other = binary
        other[0] ^= 1
        #expect(handler.answer(Array(request.dropLast()) + [other])[2] == Array("400".utf8))
        #expect(handler.answer(Array(request.prefix(5)) + [Array("NULL".utf8)])[2] == Array("400".utf8))
        #expect(handler.answer([Array("1.0".utf8)])[2] == Array("400".utf8))
    }
}

/// Waits up to five seconds for `condition`.
private func waitFor(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(5)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return condition()
}
