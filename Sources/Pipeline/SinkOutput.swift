/// An output record ready in the sink: its identity, where it goes and its JSON.
struct SinkOutput {
    var epoch: UInt64
    var sequence: UInt64
    var delivery: PipelineItem.Delivery
    var json: [UInt8]
}
