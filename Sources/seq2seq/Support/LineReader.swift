#if canImport(Glibc)
import Glibc
#endif

/// Reads newline-terminated lines of raw bytes from a file descriptor, without decoding
/// them, so that invalid UTF-8 can be reported line by line.
///
/// A line longer than `maxLineBytes` is skipped up to its newline and reported as
/// ``Line/tooLong(bytes:)`` rather than held in memory. A final `\r` is dropped.
final class LineReader {
    enum Line: Equatable {
        /// The bytes of one line, without its terminator.
        case text([UInt8])
        /// A line over the limit (its length in bytes), skipped.
        case tooLong(bytes: Int)
    }

    private let fd: Int32
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0  // first byte of `buffer` not yet returned
    private var scanned = 0  // bytes of `buffer` from `start` known to hold no newline
    private var skipping: Int?  // bytes of an over-long line skipped so far
    private var atEnd = false

    init(fileDescriptor: Int32, maxLineBytes: Int) {
        self.fd = fileDescriptor
        self.maxLineBytes = maxLineBytes
    }

    /// The next line. With `wait`, blocks until one is complete, and returns `nil` only once
    /// the input is exhausted; without, also returns `nil` when no complete line is
    /// available now.
    func next(wait: Bool) -> Line? {
        while true {
            if let line = takeBufferedLine() { return line }
            if atEnd {
                guard start < buffer.count || skipping != nil else { return nil }
                let rest = buffer[start...]
                defer { discardBuffer() }
                return skipping.map { .tooLong(bytes: $0 + rest.count) } ?? .text(trimCR(rest))
            }
            if !wait && !readable() { return nil }
            fill()
        }
    }

    private func takeBufferedLine() -> Line? {
        if let newline = buffer[(start + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = buffer[start..<newline]
            defer {
                start = newline + 1
                scanned = 0
                skipping = nil
            }
            if let skipped = skipping { return .tooLong(bytes: skipped + line.count) }
            return line.count > maxLineBytes ? .tooLong(bytes: line.count) : .text(trimCR(line))
        }
        scanned = buffer.count - start
        if scanned > maxLineBytes {
            skipping = (skipping ?? 0) + scanned
            discardBuffer()
        }
        return nil
    }

    private func discardBuffer() {
        buffer.removeAll(keepingCapacity: true)
        start = 0
        scanned = 0
    }

    private func trimCR(_ line: ArraySlice<UInt8>) -> [UInt8] {
        line.last == UInt8(ascii: "\r") ? Array(line.dropLast()) : Array(line)
    }

    private func readable() -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, 0) > 0
    }

    /// Appends what one `read` returns, first dropping the bytes already returned.
    private func fill() {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let chunk = 1 << 16
        while true {
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: chunk))
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + old, chunk) }
            buffer.removeLast(chunk - max(n, 0))
            if n > 0 { return }
            if n < 0 && errno == EINTR { continue }
            atEnd = true
            return
        }
    }
}
