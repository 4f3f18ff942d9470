import Foundation
import Testing

/// `seq2seq translate`, run as a real process on the golden model.
@Suite struct TranslateCommandTests {
    let model = Binary.goldenModel

    @Test func goTranslatesToVa() throws {
        let out = try Binary.run(["translate", "--model", model], input: Data("go .\n".utf8))
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.text == "Va !\n")
    }

    @Test func tokensFlagPrintsRawTokens() throws {
        let out = try Binary.run(["translate", "--model", model, "--tokens"], input: Data("I lost.\ngo .\n".utf8))
        #expect(out.text == "j'ai perdu .\nva !\n")
    }

    @Test func badLinesGiveEmptyOutputLinesAndNeverShiftLaterLines() throws {
        var input = Data("go .\n\n   \n".utf8)
        input.append(contentsOf: [0xFF, 0xFE, 0x0A])  // invalid UTF-8
        input.append(Data((String(repeating: "go ", count: 300) + "\n").utf8))  // over --max-input-tokens
        input.append(Data("I lost.".utf8))  // last line without a newline
        let out = try Binary.run(["translate", "--model", model, "--batch-size", "2"], input: input)
        #expect(out.status == 0)
        #expect(out.text == "Va !\n\n\n\n\nJ'ai perdu.\n")
        #expect(out.stderr.contains("line 2: input is empty"))
        #expect(out.stderr.contains("line 4: input is not valid UTF-8"))
        #expect(out.stderr.contains("line 5: input has 300 tokens, more than the limit of 200"))
    }

    @Test func outputStreamsBeforeTheInputEnds() throws {
        let process = Process()
        process.executableURL = Binary.url
        process.arguments = ["translate", "--model", model]
        let (stdin, stdout) = (Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            try? stdin.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        try stdin.fileHandleForWriting.write(contentsOf: Data("go .\n".utf8))
        // Standard input stays open; the translation must arrive anyway.
        let line = stdout.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self) == "Va !\n")
    }

    @Test func batchSizesGiveTheSameOutput() throws {
        let lines = try String(contentsOf: Binary.fixtures.appendingPathComponent("gru-small/cases.json"), encoding: .utf8)
            .components(separatedBy: "\"source\": \"").dropFirst().map { $0.prefix { $0 != "\"" } }
        let input = Data((lines.joined(separator: "\n") + "\n").utf8)
        let one = try Binary.run(["translate", "--model", model, "--batch-size", "1"], input: input)
        let many = try Binary.run(["translate", "--model", model, "--batch-size", "64"], input: input)
        #expect(one.text.split(separator: "\n", omittingEmptySubsequences: false).count == lines.count + 1)
        #expect(one.text == many.text)
    }

    @Test func jsonLogsAreOneObjectPerLine() throws {
        let out = try Binary.run(["translate", "--model", model, "--log-format", "json"], input: Data("\ngo .\n".utf8))
        #expect(out.text == "\nVa !\n")
        let lines = out.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] as? String != nil && object?["ts"] as? String != nil, "\(line)")
        }
        #expect(out.stderr.contains(#""message":"line 1: input is empty; skipped""#), "\(out.stderr)")
        let quiet = try Binary.run(["translate", "--model", model, "--log-level", "error"], input: Data("\n".utf8))
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    @Test func missingModelIsAClearError() throws {
        let out = try Binary.run(["translate", "--model", "/nonexistent/model"], input: Data("go .\n".utf8))
        #expect(out.status != 0)
        #expect(out.stderr.contains("/nonexistent/model/config.json: missing file"), "\(out.stderr)")
    }
}
