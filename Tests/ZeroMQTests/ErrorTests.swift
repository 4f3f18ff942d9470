import CZeroMQ
import Glibc
import Testing
import ZeroMQ

@Test(arguments: [
    ("no-scheme-at-all", "EINVAL"),
    ("tcp://127.0.0.1", "EINVAL"),
    ("tcp://127.0.0.1:notaport", "EINVAL"),
    ("carrier-pigeon://127.0.0.1:5555", "EPROTONOSUPPORT"),
])
func connectingToAMalformedEndpointThrows(endpoint: String, name: String) throws {
    let context = try Context()
    let push = try makeSocket(context, .push)
    let error = #expect(throws: ZMQError.self) { try push.connect(endpoint) }
    #expect(error?.name == name)
    #expect(error?.function == "zmq_connect")
}

@Test func errorCarriesCodeNameMessageAndFunction() throws {
    let context = try Context()
    let push = try makeSocket(context, .push)
    let error = #expect(throws: ZMQError.self) { try push.connect("nonsense") }
    #expect(error == ZMQError(code: EINVAL, function: "zmq_connect"))
    #expect(error?.code == EINVAL)
    #expect(error?.message == String(cString: strerror(EINVAL)))
    #expect(error?.description == "zmq_connect failed: EINVAL (\(EINVAL)): Invalid argument")
    // libzmq's own error numbers get their names too.
    #expect(ZMQError(code: ETERM, function: "zmq_ctx_term").name == "ETERM")
    #expect(ZMQError(code: EFSM, function: "zmq_send").name == "EFSM")
    #expect(ZMQError(code: 123_456, function: "zmq_send").name == "errno 123456")
}

@Test func bindingATCPPortTwiceGivesEADDRINUSE() throws {
    let context = try Context()
    let first = try makeSocket(context, .pull)
    try first.bind("tcp://127.0.0.1:*")
    let second = try makeSocket(context, .pull)
    let error = #expect(throws: ZMQError.self) { try second.bind(try first.lastEndpoint) }
    #expect(error?.name == "EADDRINUSE")
    #expect(error?.code == EADDRINUSE)
    #expect(error?.function == "zmq_bind")
}

@Test func aClosedSocketThrowsENOTSOCKInsteadOfCrashing() throws {
    let context = try Context()
    let socket = try makeSocket(context, .push)
    #expect(!socket.isClosed)
    try socket.close()
    try socket.close()
    #expect(socket.isClosed)

    let calls: [(String, () throws -> Void)] = [
        ("zmq_bind", { try socket.bind("inproc://closed") }),
        ("zmq_connect", { try socket.connect("inproc://closed") }),
        ("zmq_send", { try socket.send("x") }),
        ("zmq_msg_recv", { _ = try socket.receive(dontWait: true) }),
        ("zmq_setsockopt", { try socket.set(.sendHighWaterMark, 5) }),
        ("zmq_getsockopt", { _ = try socket.get(.linger) }),
        ("zmq_getsockopt", { _ = try socket.lastEndpoint }),
        ("zmq_msg_recv", { _ = try socket.receive(timeout: 10) }),
        (
            "zmq_poll",
            {
                var poller = Poller()
                poller.add(socket, for: .readable)
                _ = try poller.poll(timeout: 10)
            }
        ),
    ]
    for (function, call) in calls {
        let error = #expect(throws: ZMQError.self) { try call() }
        #expect(error == ZMQError(code: ENOTSOCK, function: function))
        #expect(error?.name == "ENOTSOCK")
    }
}

@Test func anInvalidContextOptionThrows() throws {
    let error = #expect(throws: ZMQError.self) { try Context(ioThreads: -1) }
    #expect(error == ZMQError(code: EINVAL, function: "zmq_ctx_set"))
}

@Test func aClosedContextRefusesNewSockets() throws {
    let context = try Context()
    try context.close()
    try context.close()
    try context.shutdown()
    let error = #expect(throws: ZMQError.self) { try Socket(context, type: .pull) }
    #expect(error == ZMQError(code: ETERM, function: "zmq_socket"))
}

@Test func shutdownMakesBlockingCallsThrowETERM() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.bind("inproc://shutdown")
    try context.shutdown()
    let error = #expect(throws: ZMQError.self) { try pull.receive() }
    #expect(error?.name == "ETERM")
    #expect(error?.function == "zmq_msg_recv")
}

@Test func patternViolationsGiveEFSMAndENOTSUP() throws {
    let context = try Context()
    let request = try makeSocket(context, .req)
    let error = #expect(throws: ZMQError.self) { try request.receive(dontWait: true) }
    #expect(error?.name == "EFSM")

    let pull = try makeSocket(context, .pull)
    let sendError = #expect(throws: ZMQError.self) { try pull.send("x", dontWait: true) }
    #expect(sendError?.name == "ENOTSUP")
    #expect(sendError?.function == "zmq_send")

    let emptyError = #expect(throws: ZMQError.self) { try request.send([[UInt8]]()) }
    #expect(emptyError?.name == "EINVAL")
}
