import ArgumentParser

@main
struct Root: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seq2seq",
        abstract: "Streaming English→French translation with a GRU encoder-decoder.",
        subcommands: [
            Translate.self, Train.self, Eval.self,
            TokenizerStage.self, WorkerStage.self, SinkStage.self, Up.self, Send.self, Receive.self, HTTP.self, Keygen.self,
        ])
}
