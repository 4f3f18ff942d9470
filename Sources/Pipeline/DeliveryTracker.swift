/// The sink's bookkeeping for one tokenizer epoch: the results it holds, the sequence
/// numbers it has output, and which result goes out next: the lowest missing one in
/// order mode, the earliest arrival in unordered mode. It is what makes output exactly
/// once: a result it has seen before is recognised as a duplicate.
///
/// Memory is bounded by the tokenizer's in-flight limit: everything held or remembered
/// lies at or above the tokenizer's low water, within its window.
struct DeliveryTracker<Value> {
    /// What became of a result offered with ``admit(_:sequence:lowWater:)``.
    enum Admission: Equatable {
        /// New: now held until output.
        case held
        /// Already held (a redelivery).
        case alreadyHeld
        /// Already output (a redelivery, or below the tokenizer's low water).
        case alreadyDelivered
    }

    /// Whether results go out in sequence order.
    let ordered: Bool
    /// Every sequence number below this has been output, here or by an earlier sink.
    private(set) var floor: UInt64 = 0
    /// Unordered mode: sequence numbers at or above ``floor`` already output.
    private var delivered: Set<UInt64> = []
    private var waiting: [UInt64: Value] = [:]
    /// Unordered mode: held sequence numbers in arrival order, from `arrivalHead` on.
    private var arrivals: [UInt64] = []
    private var arrivalHead = 0

    init(ordered: Bool) {
        self.ordered = ordered
    }

    /// Results held, not yet output.
    var heldCount: Int { waiting.count }

    /// Offers the result `value` of item `sequence`, whose frame carried `lowWater`.
    mutating func admit(_ value: Value, sequence: UInt64, lowWater: UInt64) -> Admission {
        if lowWater > floor { raiseFloor(to: lowWater) }
        if sequence < floor || delivered.contains(sequence) { return .alreadyDelivered }
        if waiting[sequence] != nil { return .alreadyHeld }
        waiting[sequence] = value
        if !ordered { arrivals.append(sequence) }
        return .held
    }

    /// The result to output next, if one is ready; it stays held until
    /// ``markDelivered(_:)``.
    mutating func next() -> (sequence: UInt64, value: Value)? {
        if ordered { return waiting[floor].map { (floor, $0) } }
        while arrivalHead < arrivals.count {
            let sequence = arrivals[arrivalHead]
            if let value = waiting[sequence] { return (sequence, value) }
            arrivalHead += 1
        }
        return nil
    }

    /// Records that result `sequence` (from ``next()``) has been output.
    mutating func markDelivered(_ sequence: UInt64) {
        waiting[sequence] = nil
        if ordered {
            floor += 1
            return
        }
        arrivalHead += 1
        if arrivalHead >= 1024 && arrivalHead * 2 >= arrivals.count {
            arrivals.removeFirst(arrivalHead)
            arrivalHead = 0
        }
        delivered.insert(sequence)
        while delivered.remove(floor) != nil { floor += 1 }
    }

    /// Takes every held result out, in sequence order, e.g. when its epoch has ended.
    mutating func removeAll() -> [(sequence: UInt64, value: Value)] {
        defer {
            waiting = [:]
            arrivals = []
            arrivalHead = 0
        }
        return waiting.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Forgets everything below `lowWater`: the tokenizer says it has all been output.
    private mutating func raiseFloor(to lowWater: UInt64) {
        floor = lowWater
        waiting = waiting.filter { $0.key >= lowWater }
        delivered = delivered.filter { $0 >= lowWater }
        while delivered.remove(floor) != nil { floor += 1 }
    }
}
