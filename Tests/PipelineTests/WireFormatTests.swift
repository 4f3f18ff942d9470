import Testing

@testable import Pipeline

@Suite struct WireFormatTests {
    let item = PipelineItem(
        epoch: 0xDEAD_BEEF_0102_0304, sequence: 42, lowWater: 40, delivery: .acknowledged, clientID: [0xFF, 0x00, 0x41],
        source: "go . ✓", payload: .tokens([5, 0, 187, 70000]))

    /// The items of a frame, or the first problem.
    func decode(_ frame: [UInt8], as kind: WireFormat.Kind) throws(MalformedItem) -> [PipelineItem] {
        try PipelineItem.decodeAll(frame, as: kind).map { result throws(MalformedItem) in try result.get() }
    }

    @Test(arguments: [WireFormat.Kind.work, .result])
    func itemsRoundTrip(kind: WireFormat.Kind) throws {
        #expect(try decode(item.encoded(as: kind), as: kind) == [item])
        var failed = item
        failed.payload = .error("input is empty")
        failed.clientID = []
        #expect(try decode(failed.encoded(as: kind), as: kind) == [failed])
        let many = (0..<300).map { index in
            var next = index % 3 == 0 ? failed : item
            next.sequence = UInt64(index)
            return next
        }
        #expect(try decode(PipelineItem.frame(many, as: kind), as: kind) == many)
    }

    /// A request's item carries its requester's routing id, which only items of delivery
    /// `reply` have on the wire.
    @Test(arguments: [WireFormat.Kind.work, .result])
    func replyItemsCarryTheirRequestersRoutingID(kind: WireFormat.Kind) throws {
        var request = item
        request.delivery = .reply
        request.replyTo = Array("req-123".utf8)
        request.part = SentencePart(index: 1, count: 3, leading: "", trailing: " ")
        let frame = request.encoded(as: kind)
        #expect(try decode(frame, as: kind) == [request])
        #expect(frame.count == item.encoded(as: kind).count + 1 + request.replyTo.count + 17)
    }

    /// Items are length-prefixed: a broken item costs only itself, and is answered when its
    /// identity is intact.
    @Test func aBrokenItemDoesNotCostTheOthers() throws {
        let items = (0..<3).map { index in
            var next = item
            next.sequence = UInt64(index)
            return next
        }
        var frame = PipelineItem.frame(items, as: .work)
        // Header 4 + count 2, item 0 with its length, then item 1's length and identity (epoch,
        // sequence, low water, delivery, client id, source); the payload (tag 1 + count 4 +
        // ids 4 × 4) and the part tag (1) end each item.
        let itemLength = 24 + 1 + 2 + item.clientID.count + 4 + item.source.utf8.count + 1 + 4 + 4 * 4 + 1
        frame[4 + 2 + (4 + itemLength) + 4 + (itemLength - 22)] = 9
        let results = PipelineItem.decodeAll(frame, as: .work)
        #expect(results.count == 3)
        #expect(try results[0].get() == items[0] && results[2].get() == items[2])
        let error = #expect(throws: MalformedItem.self) { try results[1].get() }
        #expect(error?.problem == .invalid(field: "payload tag", reason: "9"))
        #expect(error?.salvage?.sequence == 1)
        #expect(error?.salvage?.payload == .error("malformed work frame: bad payload tag: 9"))
    }

    @Test func frameStartsWithMagicVersionAndKind() {
        #expect(Array(item.encoded(as: .work).prefix(6)) == [0x53, 0x32, 4, 1, 1, 0])
        #expect(Array(item.encoded(as: .result).prefix(4)) == [0x53, 0x32, 4, 2])
        #expect(Array(Acknowledgement(epoch: 1, sinkInstance: 2, entries: []).encoded().prefix(4)) == [0x53, 0x32, 4, 3])
    }

    /// A document's sentences in the journal, and one sentence of it on its way to a worker.
    @Test(arguments: [WireFormat.Kind.work, .result])
    func documentsAndSentencePartsRoundTrip(kind: WireFormat.Kind) throws {
        var document = item
        document.payload = .sentences([[5, 6, 0], [], [70000, 1]])
        var part = item
        part.part = SentencePart(index: 2, count: 3, leading: "", trailing: " \n\t")
        var first = part
        first.part = SentencePart(index: 0, count: 3, leading: "  ", trailing: "")
        #expect(try decode(PipelineItem.frame([document, part, first, item], as: kind), as: kind) == [document, part, first, item])
        var broken = part
        broken.part = SentencePart(index: 3, count: 3, leading: "", trailing: "")
        #expect(throws: MalformedItem.self) { try decode(broken.encoded(as: kind), as: kind) }
    }

    /// Frames of version 3 (no sentence parts), as a journal written before the upgrade
    /// holds them, are still read.
    @Test func versionThreeFramesAreStillRead() throws {
        var frame = item.encoded(as: .work)
        #expect(frame.last == 0)  // no part
        frame.removeLast()
        frame[2] = 3
        frame[6] -= 1  // the item's length, little-endian
        #expect(try decode(frame, as: .work) == [item])
        var withSentences = item
        withSentences.payload = .sentences([[1]])
        var newer = withSentences.encoded(as: .work)
        newer[2] = 3
        #expect(throws: MalformedItem.self) { try decode(newer, as: .work) }
    }

    @Test func acknowledgementsRoundTrip() throws {
        let ack = Acknowledgement(
            epoch: 9, sinkInstance: .max,
            entries: [.init(sequence: 3, state: .held), .init(sequence: .max, state: .delivered)])
        #expect(try Acknowledgement.decode(ack.encoded()) == ack)
        let heartbeat = Acknowledgement(epoch: 0, sinkInstance: 5, entries: [])
        #expect(try Acknowledgement.decode(heartbeat.encoded()) == heartbeat)
    }

    @Test func everyTruncationIsAnErrorAndSalvagesTheIdentityOnceItIsWhole() throws {
        let frame = item.encoded(as: .result)
        // Header 4 + count 2 + item length 4 + epoch, sequence, low water 24 + delivery 1 + id 2+3
        // + source 4+utf8.
        let identityEnd = 4 + 2 + 4 + 24 + 1 + 2 + item.clientID.count + 4 + item.source.utf8.count
        for length in 0..<frame.count {
            let error = #expect(throws: MalformedItem.self) { try decode(Array(frame.prefix(length)), as: .result) }
            if length >= identityEnd {
                let salvage = try #require(error?.salvage)
                #expect(salvage.sequence == 42 && salvage.clientID == item.clientID && salvage.source == item.source)
                guard case .error(let message) = salvage.payload else { Issue.record("no error payload"); continue }
                #expect(message.hasPrefix("malformed result frame: frame ends inside"))
            } else {
                #expect(error?.salvage == nil, "length \(length)")
            }
        }
    }

    @Test func wrongMagicVersionKindOrTrailingBytesAreNamed() {
        var frame = item.encoded(as: .work)
        func problem(_ bytes: [UInt8], as kind: WireFormat.Kind = .work) -> String? {
            #expect(throws: MalformedItem.self) { try decode(bytes, as: kind) }?.problem.description
        }
        #expect(problem(frame, as: .result) == "bad kind: work, expected result")
        frame[2] = 7
        #expect(problem(frame) == "bad version: version 7, expected 4")
        frame[0] = 0
        #expect(problem(frame) == "bad magic: not a seq2seq pipeline frame")
        #expect(problem(item.encoded(as: .work) + [0]) == "1 bytes after the last field")
        #expect(problem([0x53, 0x32, 3, 9]) == "bad kind: unknown kind 9, expected work")
        #expect(problem([0x53, 0x32, 3, 1, 0, 0]) == "bad item count: 0")
        #expect(throws: FrameError.self) { try Acknowledgement.decode(item.encoded(as: .work)) }
        let twoFrames = PipelineItem.decodeAll(message: [frame, frame], as: .work)
        #expect(twoFrames.count == 1)
        #expect(throws: MalformedItem(problem: .invalid(field: "message", reason: "2 frames, expected 1"))) { try twoFrames[0].get() }
    }

    @Test func hugeCountsInShortFramesAreRejectedWithoutAllocating() {
        var writer = WireFormat.writer(for: .ack)
        writer.append(UInt64(1))
        writer.append(UInt64(2))
        writer.append(UInt32.max)
        #expect(throws: FrameError.truncated(field: "entries")) { try Acknowledgement.decode(writer.bytes) }
        var tokens = item
        tokens.payload = .tokens([])
        var frame = tokens.encoded(as: .work)
        frame.replaceSubrange((frame.count - 4)..., with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: MalformedItem.self) { try decode(frame, as: .work) }
        // 65,535 items of 4 GiB each, in ten bytes.
        let results = PipelineItem.decodeAll([0x53, 0x32, 3, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], as: .work)
        #expect(results.count == 1)
        #expect(throws: MalformedItem(problem: .truncated(field: "epoch"))) { try results[0].get() }
    }

    @Test func randomBytesNeverCrashTheDecoders() {
        var generator = SystemRandomNumberGenerator()
        let valid = item.encoded(as: .result)
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                // A valid frame with a few bytes flipped reaches deeper fields.
                bytes = valid
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    bytes[Int.random(in: 4..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            _ = PipelineItem.decodeAll(bytes, as: .result)
            _ = try? Acknowledgement.decode(bytes)
        }
    }
}
