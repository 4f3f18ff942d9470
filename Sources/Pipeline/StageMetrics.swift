import Metrics

/// The counters every stage keeps, under the names a Prometheus backend exports:
/// `seq2seq_inputs_total`, `seq2seq_outputs_total` and `seq2seq_errors_total`, each with a
/// `stage` dimension (and `kind` for errors). Without a bootstrapped backend they cost
/// next to nothing.
final class StageMetrics {
    let stage: String
    /// Messages the stage took in.
    let inputs: Counter
    /// Messages the stage sent on.
    let outputs: Counter
    private var errors: [String: Counter] = [:]

    init(stage: String) {
        self.stage = stage
        inputs = Counter(label: "seq2seq_inputs_total", dimensions: [("stage", stage)])
        outputs = Counter(label: "seq2seq_outputs_total", dimensions: [("stage", stage)])
    }

    /// Counts one error of `kind` (e.g. `invalid_utf8`, `malformed_frame`).
    func error(_ kind: String) {
        if let counter = errors[kind] { return counter.increment() }
        let counter = Counter(label: "seq2seq_errors_total", dimensions: [("stage", stage), ("kind", kind)])
        errors[kind] = counter
        counter.increment()
    }
}
