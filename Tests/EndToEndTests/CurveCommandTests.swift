import Foundation
import Testing

/// `keygen`, the key files every command reads and the errors for each broken one.
@Suite struct CurveCommandTests {
    @Test func keygenWritesAPrivateSecretAndAPublicKey() throws {
        let keys = try KeyRing()
        let secret = try keys.secret("a")
        let attributes = try FileManager.default.attributesOfItem(atPath: secret)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: secret + ".pub")[.posixPermissions] as? Int) == 0o644)
        for path in [secret, secret + ".pub"] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.count == 41 && text.hasSuffix("\n"))
        }
        #expect(try keys.keyPair("a").publicKey.text + "\n" == String(contentsOfFile: secret + ".pub", encoding: .utf8))
        // Never overwrites a key.
        let again = try Binary.run(["keygen", "--out", secret])
        #expect(again.status != 0)
        #expect(again.stderr.contains("curve key file \(secret): exists already"), "\(again.stderr)")
    }

    /// Each broken key file stops the command with an error naming the file and the problem.
    @Test func brokenKeyFilesAreRefusedByName() throws {
        let keys = try KeyRing()
        let good = try keys.secret("good")
        let directory = keys.directory.path
        func file(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
            let path = "\(directory)/\(name)"
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            return path
        }
        let secretText = try String(contentsOfFile: good, encoding: .utf8)
        let exposed = try file("exposed.key", secretText, mode: 0o644)
        let groupReadable = try file("group.key", secretText, mode: 0o640)
        let short = try file("short.key", String(secretText.prefix(39)) + "\n")
        let notZ85 = try file("quote.key", "\"" + String(secretText.dropFirst()))
        let empty = try file("empty.key", "\n")
        let badList = try file("clients", try String(contentsOfFile: good + ".pub", encoding: .utf8) + "not a key\n")
        let mismatched = try file("mismatch.key", try String(contentsOfFile: keys.secret("other"), encoding: .utf8))
        try FileManager.default.copyItem(atPath: good + ".pub", toPath: mismatched + ".pub")
        let cases: [(arguments: [String], message: String)] = [
            (["--curve-secret", "\(directory)/absent.key"], "curve key file \(directory)/absent.key: missing"),
            (["--curve-secret", directory], "curve key file \(directory): unreadable: not a regular file"),
            (["--curve-secret", exposed], "curve key file \(exposed): readable by group or others (mode 644)"),
            (["--curve-secret", groupReadable], "curve key file \(groupReadable): readable by group or others (mode 640)"),
            (["--curve-secret", short], "curve key file \(short): line 1 is not a CURVE key of 40 Z85 characters: it has 39 characters"),
            (["--curve-secret", notZ85], "curve key file \(notZ85): line 1 is not a CURVE key of 40 Z85 characters: it has characters outside the Z85 alphabet"),
            (["--curve-secret", empty], "curve key file \(empty): holds no key"),
            (["--curve-secret", good, "--curve-server", "\(directory)/absent.pub"], "curve key file \(directory)/absent.pub: missing"),
            (["--curve-secret", good, "--curve-clients", badList], "curve key file \(badList): line 2 is not a CURVE key of 40 Z85 characters: it has 9 characters"),
            (["--curve-secret", mismatched], "curve key file \(mismatched).pub: is not the public key of the secret key in \(mismatched)"),
        ]
        for (arguments, message) in cases {
            for command in [["send", "--to", freeEndpoint()], ["tokenizer", "--ingest", freeEndpoint(), "--work", freeEndpoint(), "--model", Binary.goldenModel]] {
                let result = try Binary.run(command + arguments)
                #expect(result.status != 0, "\(command) \(arguments)")
                #expect(result.stderr.contains(message), "\(command) \(arguments): \(result.stderr)")
            }
        }
    }

    @Test func curveOptionsNeedASecretKey() throws {
        let keys = try KeyRing()
        let result = try Binary.run(["send", "--curve-server", try keys.publicKey("a")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--curve-server and --curve-clients need --curve-secret"), "\(result.stderr)")
        let up = try Binary.run(["up", "--model", Binary.goldenModel, "--curve-secret", try keys.secret("a"), "--curve-server", try keys.publicKey("a")])
        #expect(up.status != 0)
        #expect(up.stderr.contains("up takes no --curve-server"), "\(up.stderr)")
    }

    /// `up` warns when it binds an address the network reaches without CURVE, and not on loopback or with CURVE.
    @Test func upWarnsWhenItExposesPlainEndpoints() throws {
        let keys = try KeyRing()
        let warning = "binding non-loopback addresses without CURVE"
        let exposed = try UpProcess(["--workers", "1", "--work", "tcp://0.0.0.0:\(freePort())"])
        #expect(exposed.stage.waitForLog("started worker"), "\(exposed.stage.log)")
        #expect(exposed.stage.log.contains(warning), "\(exposed.stage.log)")
        let loopback = try UpProcess(["--workers", "1"])
        let secured = try UpProcess(["--workers", "1", "--work", "tcp://0.0.0.0:\(freePort())"] + (try keys.arguments("server")))
        for up in [loopback, secured] {
            #expect(up.stage.waitForLog("started worker"), "\(up.stage.log)")
            #expect(!up.stage.log.contains(warning), "\(up.stage.log)")
        }
    }
}
