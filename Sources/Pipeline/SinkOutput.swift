/// An output record ready in the sink: its identity, where it goes and its JSON.
struct SinkOutput {
    var epoch: UInt64
    var sequence: UInt64
    var delivery: PipelineItem.Delivery
    /// The requester's routing id, for ``PipelineItem/Delivery/reply``.
    var replyTo: [UInt8] = []
    var json: [UInt8]
}
