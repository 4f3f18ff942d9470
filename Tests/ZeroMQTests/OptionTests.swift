import CZeroMQ
import Testing
@testable import ZeroMQ

@Test(arguments: [
    (SocketOption<Int>.sendHighWaterMark, 17),
    (.receiveHighWaterMark, 23),
    (.linger, 250),
    (.sendTimeout, 1_500),
    (.receiveTimeout, 2_500),
    (.maxMessageSize, 5_000_000_000),
    (.heartbeatInterval, 1_000),
    (.heartbeatTimeout, 3_000),
    (.heartbeatTTL, 6_000),
    (.reconnectInterval, 200),
    (.reconnectIntervalMax, 5_000),
])
func integerOptionsReadBackWhatWasSet(option: SocketOption<Int>, value: Int) throws {
    let context = try Context()
    let socket = try makeSocket(context, .push)
    try socket.set(option, value)
    #expect(try socket.get(option) == value, "\(option)")
}

@Test func booleanOptionReadsBack() throws {
    let context = try Context()
    let socket = try makeSocket(context, .push)
    #expect(try socket.get(.immediate) == false)
    try socket.set(.immediate, true)
    #expect(try socket.get(.immediate) == true)
}

@Test func invalidOptionValuesThrowEINVAL() throws {
    let context = try Context()
    let socket = try makeSocket(context, .push)
    let tooWide = #expect(throws: ZMQError.self) { try socket.set(.sendHighWaterMark, 1 << 40) }
    #expect(tooWide == ZMQError(code: EINVAL, function: "zmq_setsockopt"))
    let rejected = #expect(throws: ZMQError.self) { try socket.set(.sendHighWaterMark, -5) }
    #expect(rejected == ZMQError(code: EINVAL, function: "zmq_setsockopt"))
}

@Test func socketTypesMapToTheirLibzmqConstants() throws {
    let context = try Context()
    for type in SocketType.allCases {
        let socket = try makeSocket(context, type)
        #expect(try socket.getInteger(code: ZMQ_TYPE, width: .int32) == Int(type.cValue))
    }
}

@Test func subscribersReceiveOnlyMatchingTopics() throws {
    let context = try Context()
    let publisher = try makeSocket(context, .pub)
    try publisher.bind("inproc://topics")
    let subscriber = try makeSocket(context, .sub)
    try subscriber.subscribe(Array("news".utf8))
    try subscriber.connect("inproc://topics")
    // Subscriptions travel to the publisher asynchronously; publish until one arrives.
    var received: [[UInt8]]?
    for _ in 0..<500 where received == nil {
        try publisher.send([Array("weather".utf8), [1]])
        try publisher.send([Array("news".utf8), [2]])
        received = try subscriber.receive(timeout: 10)
    }
    #expect(received == [Array("news".utf8), [2]])
    try subscriber.unsubscribe(Array("news".utf8))
}
