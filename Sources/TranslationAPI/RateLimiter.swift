import Synchronization

/// Requests per minute per client (an API key or an address), as token buckets: each client
/// may make up to the limit at once, and earns it back evenly over a minute.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let perMinute: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(perMinute: Int) {
        precondition(perMinute >= 1)
        self.perMinute = perMinute
    }

    /// Takes one request of `client` at `now`: true if it is within the limit.
    public func allow(_ client: String, now: ContinuousClock.Instant = .now) -> Bool {
        let rate = Double(perMinute) / 60
        return buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: Double(perMinute), updated: now)
            let elapsed = bucket.updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(perMinute), bucket.tokens + max(0, seconds) * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[client] = bucket
            // Full buckets say nothing: forget them now and then, so memory stays bounded.
            if buckets.count > 10_000 { buckets = buckets.filter { $0.value.updated.duration(to: now) < .seconds(60) } }
            return allowed
        }
    }
}
