import Testing
import ZeroMQ

@Test func nonBlockingReceiveOnAnEmptySocketReturnsNil() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.bind("inproc://empty")
    #expect(try pull.receive(dontWait: true) == nil)
    #expect(try pull.receive(timeout: 0) == nil)
}

@Test func receiveWithATimeoutReturnsNilAfterTheTimeout() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.bind("inproc://timeout")
    var result: [[UInt8]]? = [[]]
    let elapsed = try milliseconds { result = try pull.receive(timeout: 100) }
    #expect(result == nil)
    #expect(elapsed >= 90 && elapsed < 5_000, "took \(elapsed) ms")
}

@Test func receiveTimeoutOptionMakesABlockingReceiveReturnNil() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.set(.receiveTimeout, 50)
    try pull.bind("inproc://rcvtimeo")
    var result: [[UInt8]]? = [[]]
    let elapsed = try milliseconds { result = try pull.receive() }
    #expect(result == nil)
    #expect(elapsed >= 40 && elapsed < 5_000, "took \(elapsed) ms")
}

@Test func sendWithoutAPeerReturnsFalse() throws {
    let context = try Context()
    // A bound PUSH with nobody connected has nowhere to queue.
    let bound = try makeSocket(context, .push)
    try bound.bind("tcp://127.0.0.1:*")
    #expect(try bound.send("x", dontWait: true) == false)
    // The same through the send timeout instead of dontWait.
    try bound.set(.sendTimeout, 50)
    #expect(try bound.send("x") == false)

    // A connecting PUSH with ZMQ_IMMEDIATE queues only to live connections: none here,
    // since nobody listens on the port that `bound` gave back.
    let port = try bound.lastEndpoint
    try bound.unbind(port)
    let immediate = try makeSocket(context, .push)
    try immediate.set(.immediate, true)
    try immediate.connect(port)
    #expect(try immediate.send("x", dontWait: true) == false)
}

@Test func connectingPushQueuesUpToItsHighWaterMarkWithoutImmediate() throws {
    let context = try Context()
    let free = try makeSocket(context, .pull)
    try free.bind("tcp://127.0.0.1:*")
    let port = try free.lastEndpoint
    try free.close()

    let push = try makeSocket(context, .push)
    try push.set(.sendHighWaterMark, 5)
    try push.connect(port)
    var queued = 0
    while queued < 1_000, try push.send([UInt8(queued)], dontWait: true) {
        queued += 1
    }
    #expect(queued == 5)
}

@Test func aFullQueueRefusesUntilTheReceiverDrainsIt() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.set(.receiveHighWaterMark, 10)
    try pull.bind("inproc://hwm")
    let push = try makeSocket(context, .push)
    try push.set(.sendHighWaterMark, 10)
    try push.connect("inproc://hwm")

    var queued = 0
    while queued < 1_000, try push.send(Array(String(queued).utf8), dontWait: true) {
        queued += 1
    }
    // An inproc pipe holds the sender's plus the receiver's high-water mark.
    #expect((10...40).contains(queued), "queued \(queued)")

    var drained: [Int] = []
    while let message = try pull.receive(dontWait: true) {
        drained.append(Int(String(decoding: message[0], as: UTF8.self))!)
    }
    #expect(drained == Array(0..<queued))
    // PUSH learns that the queue has room when it next processes libzmq's internal
    // commands, which a poll (or the `events` property) makes it do.
    var poller = Poller()
    poller.add(push, for: .writable)
    #expect(try poller.poll(timeout: 5_000) == [.writable])
    #expect(try push.send("again", dontWait: true))
}

@Test func anOversizedFrameDropsTheConnectionAndLaterMessagesStillArrive() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.set(.maxMessageSize, 1_024)
    try pull.bind("tcp://127.0.0.1:*")
    let push = try makeSocket(context, .push)
    try push.set(.reconnectInterval, 20)
    try push.connect(try pull.lastEndpoint)

    // libzmq checks the limit per frame, so frames at the limit pass even when the
    // message as a whole is larger.
    #expect(try push.send([pattern(1_024), pattern(1_024)]))
    #expect(try pull.receive(timeout: 5_000) == [pattern(1_024), pattern(1_024)])

    // A frame over the limit makes PULL drop the connection; the message is lost.
    #expect(try push.send(pattern(1_025)))
    #expect(try pull.receive(timeout: 300) == nil)

    // PUSH reconnects on its own; the next message goes over the new connection.
    #expect(try push.send("small"))
    #expect(try pull.receive(timeout: 5_000) == [Array("small".utf8)])
    #expect(try pull.receive(timeout: 100) == nil)
}

@Test func inprocDoesNotEnforceTheMessageSizeLimit() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.set(.maxMessageSize, 1_024)
    try pull.bind("inproc://unlimited")
    let push = try makeSocket(context, .push)
    try push.connect("inproc://unlimited")
    #expect(try push.send(pattern(4_096)))
    #expect(try pull.receive(timeout: 5_000) == [pattern(4_096)])
}
