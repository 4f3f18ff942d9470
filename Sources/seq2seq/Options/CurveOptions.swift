import ArgumentParser
import ZeroMQ

/// `--curve-secret`, `--curve-server`, `--curve-clients`: CURVE encryption and
/// authentication of every ZeroMQ socket; shared by the stages, `up`, `send` and `receive`.
struct CurveOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "CURVE: this process's secret key file (see `seq2seq keygen`; mode 0600). Turns CURVE on for every socket.",
            discussion: "Its public key is derived from it; a FILE.pub beside it must hold the same key.",
            valueName: "file"))
    var curveSecret: String?

    @Option(
        help: ArgumentHelp(
            "CURVE: public key file of the server that connecting sockets talk to (default: this process's own public key).",
            valueName: "file"))
    var curveServer: String?

    @Option(
        help: ArgumentHelp(
            "CURVE: the public keys allowed to connect to bound sockets, one per line (this process's own key is always allowed).",
            valueName: "file"))
    var curveClients: String?

    func validate() throws {
        if curveSecret == nil, curveServer != nil || curveClients != nil {
            throw ValidationError("--curve-server and --curve-clients need --curve-secret")
        }
    }

    /// The security the options give, read from the key files; nil (plain) without
    /// --curve-secret. A key file that cannot be used throws a ``CurveKeyFileError`` naming it.
    func security() throws -> CurveSecurity? {
        guard let curveSecret else { return nil }
        let keyPair = try CurveKeyFile.readSecret(curveSecret)
        let serverKey = try curveServer.map(CurveKeyFile.readPublic) ?? keyPair.publicKey
        let clients = try curveClients.map(CurveKeyFile.readList) ?? []
        // A process holding the same secret key (one of `up`'s stages, a tokenizer and a sink
        // sharing a key pair) is always let in.
        return CurveSecurity(keyPair: keyPair, serverKey: serverKey, allowedClients: Set(clients + [keyPair.publicKey]))
    }

    /// These options as command-line arguments, for `up`'s stages: they share its key pair
    /// (so each is the others' server) and its list of clients.
    var stageArguments: [String] {
        (curveSecret.map { ["--curve-secret", $0] } ?? []) + (curveClients.map { ["--curve-clients", $0] } ?? [])
    }
}
