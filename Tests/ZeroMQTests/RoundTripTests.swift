import Testing
import ZeroMQ

/// Messages covering single and multipart frames, empty frames and a 1 MB frame.
private let messages: [[[UInt8]]] = [
    [Array("hello".utf8)],
    [[], [1], []],
    [[]],
    [Array("header".utf8), pattern(1 << 20), Array("trailer".utf8)],
]

/// PULL binds `endpoint`, PUSH connects to whatever `lastEndpoint` reports; every message
/// must arrive whole and in order.
private func roundTrip(bindingTo endpoint: String) throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.bind(endpoint)
    let push = try makeSocket(context, .push)
    try push.connect(try pull.lastEndpoint)

    for message in messages {
        #expect(try push.send(message))
    }
    for message in messages {
        let received = try pull.receive(timeout: 5_000)
        #expect(received?.map(\.count) == message.map(\.count))
        #expect(received == message)
    }
    #expect(try pull.receive(dontWait: true) == nil)
}

@Test func pushPullOverTCPWithWildcardPort() throws {
    try roundTrip(bindingTo: "tcp://127.0.0.1:*")
}

@Test func pushPullOverIPC() throws {
    try withTemporaryDirectory { directory in
        try roundTrip(bindingTo: "ipc://\(directory)/pipeline")
    }
}

@Test func pushPullOverInproc() throws {
    try roundTrip(bindingTo: "inproc://pipeline")
}

@Test func wildcardBindReportsTheChosenPort() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    #expect(try pull.lastEndpoint == "")
    try pull.bind("tcp://127.0.0.1:*")
    let endpoint = try pull.lastEndpoint
    let prefix = "tcp://127.0.0.1:"
    #expect(endpoint.hasPrefix(prefix))
    let port = Int(endpoint.dropFirst(prefix.count))
    #expect(port.map { (1...65535).contains($0) } == true)
}

@Test func stringAndSingleFrameConveniences() throws {
    let context = try Context(ioThreads: 2)
    let pull = try makeSocket(context, .pull)
    try pull.bind("inproc://convenience")
    let push = try makeSocket(context, .push)
    try push.connect("inproc://convenience")

    #expect(try push.send("héllo"))
    #expect(try push.send([0, 255]))
    #expect(try pull.receive() == [Array("héllo".utf8)])
    #expect(try pull.receive() == [[0, 255]])
}

@Test func unbindAndDisconnect() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.bind("tcp://127.0.0.1:*")
    let endpoint = try pull.lastEndpoint
    let push = try makeSocket(context, .push)
    try push.connect(endpoint)
    try push.disconnect(endpoint)
    try pull.unbind(endpoint)
    // Neither is attached to the endpoint any more. (The port itself is released
    // asynchronously by libzmq's I/O thread.)
    let disconnected = #expect(throws: ZMQError.self) { try push.disconnect(endpoint) }
    #expect(disconnected?.name == "ENOENT")
    #expect(disconnected?.function == "zmq_disconnect")
    let unbound = #expect(throws: ZMQError.self) { try pull.unbind(endpoint) }
    #expect(unbound?.name == "ENOENT")
    #expect(unbound?.function == "zmq_unbind")
}

@Test func fanOutSpreadsMessagesOverAllPullers() throws {
    let context = try Context()
    let push = try makeSocket(context, .push)
    // With no puller attached yet a send blocks; bound that wait.
    try push.set(.sendTimeout, 5_000)
    try push.bind("tcp://127.0.0.1:*")
    let endpoint = try push.lastEndpoint
    let pullers = try (0..<2).map { _ in try makeSocket(context, .pull) }
    var poller = Poller()
    for pull in pullers {
        try pull.connect(endpoint)
        poller.add(pull, for: .readable)
    }

    var received: [[Int]] = [[], []]
    /// Receives every waiting message; false if none was waiting within `timeout` ms.
    func receiveWaiting(timeout: Int) throws -> Bool {
        let ready = try poller.poll(timeout: timeout)
        for (index, events) in ready.enumerated() where events.contains(.readable) {
            while let message = try pullers[index].receive(dontWait: true) {
                received[index].append(Int(String(decoding: message[0], as: UTF8.self))!)
            }
        }
        return ready.contains { !$0.isEmpty }
    }

    // Each TCP connection attaches to PUSH on its own schedule, and until both have, all
    // messages go to one puller: so send one at a time until both have had some.
    var sent = 0
    let deadline = ContinuousClock.now + .seconds(10)
    while sent < 100 || received.contains(where: \.isEmpty) {
        guard ContinuousClock.now < deadline else {
            Issue.record("a puller got nothing")
            break
        }
        #expect(try push.send(Array(String(sent).utf8)))
        sent += 1
        _ = try receiveWaiting(timeout: 5)
    }
    while received.joined().count < sent, try receiveWaiting(timeout: 5_000) {}

    #expect(!received[0].isEmpty && !received[1].isEmpty)
    #expect(received.joined().sorted() == Array(0..<sent))
    // Each puller sees its share in order.
    #expect(received[0] == received[0].sorted() && received[1] == received[1].sorted())
}
