import Foundation
import Synchronization
import Testing
import ZeroMQ

@Test func pollerReportsReadableOnlyWhenAMessageIsWaiting() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.bind("inproc://poll")
    let push = try makeSocket(context, .push)
    try push.connect("inproc://poll")
    var poller = Poller()
    let index = poller.add(pull, for: .readable)

    var ready: [PollEvents] = []
    let elapsed = try milliseconds { ready = try poller.poll(timeout: 50) }
    #expect(ready == [[]])
    #expect(elapsed >= 40 && elapsed < 5_000, "took \(elapsed) ms")

    try push.send("ping")
    #expect(try poller.poll(timeout: 5_000)[index] == .readable)
    #expect(try pull.events.contains(.readable))
    #expect(try pull.receive(dontWait: true) == [Array("ping".utf8)])
    #expect(try poller.poll(timeout: 0)[index].isEmpty)
    #expect(try pull.events.isEmpty)
}

@Test func pollerTellsWhichOfSeveralSocketsIsReady() throws {
    let context = try Context()
    let pullers = try (0..<3).map { index in
        let pull = try makeSocket(context, .pull)
        try pull.bind("inproc://many-\(index)")
        return pull
    }
    let push = try makeSocket(context, .push)
    try push.connect("inproc://many-1")
    var poller = Poller()
    for pull in pullers {
        poller.add(pull, for: .readable)
    }
    try push.send("to the middle one")
    #expect(try poller.poll(timeout: 5_000) == [[], .readable, []])
}

@Test func pollerReportsWritableWhenASendWouldNotBlock() throws {
    let context = try Context()
    let lonely = try makeSocket(context, .push)
    try lonely.bind("inproc://lonely")
    let pull = try makeSocket(context, .pull)
    try pull.bind("inproc://writable")
    let push = try makeSocket(context, .push)
    try push.connect("inproc://writable")

    var poller = Poller()
    poller.add(lonely, for: [.readable, .writable])
    poller.add(push, for: [.readable, .writable])
    poller.add(push, for: .readable)
    #expect(try poller.poll(timeout: 0) == [[], .writable, []])
}

@Test func pollingAClosedSocketThrows() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    var poller = Poller()
    poller.add(pull, for: .readable)
    try pull.close()
    let error = #expect(throws: ZMQError.self) { try poller.poll(timeout: 0) }
    #expect(error?.name == "ENOTSOCK")
    #expect(error?.function == "zmq_poll")
}

/// How many SIGUSR1 the process has caught.
private let interruptions = Atomic<Int>(0)

@Test func signalsDoNotCutAPollShort() throws {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
        interruptions.add(1, ordering: .relaxed)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0  // no SA_RESTART: the poll inside zmq_poll fails with EINTR
    sigaction(SIGUSR1, &action, nil)

    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.bind("inproc://signals")

    // Test functions run on threads that block signals, so the poll runs on a thread of
    // its own that lets SIGUSR1 in; this thread interrupts it every 20 ms.
    let polling = Shared<pthread_t?>(nil)
    let outcome = Shared<Result<(elapsed: Int, ready: [PollEvents]), ZMQError>?>(nil)
    let mayExit = DispatchSemaphore(value: 0)
    Thread {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        polling.value = pthread_self()
        var poller = Poller()
        poller.add(pull, for: .readable)
        var ready: [PollEvents] = []
        outcome.value = Result { () throws(ZMQError) in
            let elapsed = try milliseconds { () throws(ZMQError) in
                ready = try poller.poll(timeout: 400)
            }
            return (elapsed: elapsed, ready: ready)
        }
        // Signals must not be sent to a thread that has ended.
        mayExit.wait()
    }.start()

    let before = interruptions.load(ordering: .relaxed)
    let deadline = ContinuousClock.now + .seconds(10)
    while outcome.value == nil, ContinuousClock.now < deadline {
        usleep(20_000)
        if let thread = polling.value, outcome.value == nil {
            pthread_kill(thread, SIGUSR1)
        }
    }
    mayExit.signal()

    let (elapsed, ready) = try #require(outcome.value).get()
    #expect(ready == [[]])
    #expect(interruptions.load(ordering: .relaxed) > before)
    #expect(elapsed >= 390 && elapsed < 5_000, "took \(elapsed) ms")
}

@Test func aWorkerOnAnotherThreadStopsWithinOnePollSlice() throws {
    let context = try Context()
    let pull = try makeSocket(context, .pull)
    try pull.bind("inproc://worker")
    let push = try makeSocket(context, .push)
    try push.connect("inproc://worker")

    // The worker owns `pull` from here on, as a pipeline stage would, and checks the stop
    // flag between 20 ms polls.
    let stop = Shared(false)
    let handled = Shared(0)
    let failure = Shared<ZMQError?>(nil)
    let stopped = DispatchSemaphore(value: 0)
    Thread {
        var poller = Poller()
        poller.add(pull, for: .readable)
        do throws(ZMQError) {
            while !stop.value {
                if try poller.poll(timeout: 20)[0].contains(.readable),
                    try pull.receive(dontWait: true) != nil
                {
                    handled.value += 1
                }
            }
            try pull.close()
        } catch {
            failure.value = error
        }
        stopped.signal()
    }.start()

    for _ in 0..<10 {
        try push.send("work")
    }
    let deadline = ContinuousClock.now + .seconds(5)
    while handled.value < 10, ContinuousClock.now < deadline {
        usleep(1_000)
    }
    stop.value = true
    #expect(stopped.wait(timeout: .now() + 5) == .success)
    #expect(handled.value == 10)
    #expect(failure.value == nil)
    #expect(pull.isClosed)
}

/// A value shared between threads.
private final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }
}
