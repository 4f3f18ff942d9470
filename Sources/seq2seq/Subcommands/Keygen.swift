import ArgumentParser
import Foundation
import ZeroMQ

extension Root {
    /// `seq2seq keygen`: a new CURVE key pair in two files.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new CURVE key pair: the secret key to FILE (mode 0600), the public key to FILE.pub.",
            discussion: """
                Each file holds the key as 40 Z85 characters and a newline. Give the secret key file to \
                --curve-secret of the process it belongs to; list public keys in the --curve-clients file \
                of the servers it may connect to, or give it to the clients as --curve-server. Neither file \
                may exist already.
                """)

        @Option(help: ArgumentHelp("Secret key file to write; the public key goes to FILE.pub.", valueName: "file"))
        var out: String

        func run() throws {
            let keyPair = try CurveKeyPair.generate()
            try CurveKeyFile.write(keyPair, to: out)
            print("\(CurveKeyFile.publicPath(of: out)): \(keyPair.publicKey)")
        }
    }
}
