import Foundation
import Testing

@testable import TranslationAPI

@Suite struct AccessTests {
    @Test func eachClientGetsItsLimitAndEarnsItBackOverAMinute() {
        let limiter = RateLimiter(perMinute: 3)
        let start = ContinuousClock.now
        #expect((0..<4).map { _ in limiter.allow("a", now: start) } == [true, true, true, false])
        #expect(limiter.allow("b", now: start))
        #expect(!limiter.allow("a", now: start + .seconds(19)))
        #expect(limiter.allow("a", now: start + .seconds(20)))
        #expect(!limiter.allow("a", now: start + .seconds(20)))
        #expect((0..<4).map { _ in limiter.allow("a", now: start + .seconds(600)) } == [true, true, true, false])
    }

    @Test func apiKeysFromAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# keys\n k1 \n\nk2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let keys = try APIKeys(file: path)
        #expect(keys == APIKeys(["k1", "k2"]))
        #expect(keys.check("k1") == nil)
        #expect(keys.check("nope") == APIError(.forbidden, "Invalid API key"))
        #expect(keys.check(nil) == APIError(.forbidden, "Please contact the server operator to get an API key"))
        #expect(keys.check("") == APIError(.forbidden, "Please contact the server operator to get an API key"))
    }
}
