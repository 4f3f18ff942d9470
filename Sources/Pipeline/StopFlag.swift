import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A request to stop, shared between the thread that asks and the stage loop that checks
/// between short polls.
public final class StopFlag: Sendable {
    private let requested = Atomic<Bool>(false)
    /// The process whose exit also counts as a request (the `up` supervisor), if any.
    private let parent: pid_t?

    /// A flag that only ``request()`` sets; with `parent`, one that is also set once that
    /// process has gone (this process was re-parented).
    public init(parent: pid_t? = nil) {
        self.parent = parent
    }

    public func request() {
        requested.store(true, ordering: .relaxed)
    }

    public var isRequested: Bool {
        if requested.load(ordering: .relaxed) { return true }
        guard let parent, getppid() != parent else { return false }
        request()
        return true
    }

    /// The flag that SIGINT and SIGTERM set once ``installSignalHandlers()``
    /// has run.
    public static let signals = StopFlag(parent: supervisorPID())

    /// The environment variable `up` sets in its children to its own pid, so they stop when
    /// it dies without stopping them.
    public static let parentVariable = "SEQ2SEQ_SUPERVISOR_PID"

    /// Makes SIGINT and SIGTERM set ``signals`` instead of killing the process, and makes a
    /// write to a closed pipe an error rather than a signal.
    ///
    /// The two signals are also unblocked in the calling thread: a process inherits its
    /// parent's signal mask, and some launchers (test runners among them) block them.
    public static func installSignalHandlers() {
        _ = signals.isRequested  // initialises the flag before a handler can touch it
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in StopFlag.signals.request() }
            sigaddset(&mask, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    private static func supervisorPID() -> pid_t? {
        guard let value = getenv(parentVariable) else { return nil }
        return pid_t(String(cString: value))
    }
}
