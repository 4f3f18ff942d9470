import Foundation
import Seq2Seq
import Tensor
import Text

/// A Transformer training checkpoint: an OPUS-MT model directory (``MarianDirectoryWriter``)
/// with, beside it, `optimizer.safetensors` (Adam's moments, `exp_avg.NAME` and
/// `exp_avg_sq.NAME` for each tensor), `training.json` (``TransformerTrainingState``),
/// `training.csv` and `training.svg`, as the GRU's ``Checkpoint`` writes them.
enum TransformerCheckpoint {
    /// What a checkpoint holds.
    struct Contents {
        var parameters: TransformerParameters
        var optimizer: Adam
        var state: TransformerTrainingState
        var sourceModel: [UInt8]
        var targetModel: [UInt8]
        var vocabulary: [String]
    }

    /// Writes the checkpoint; each file is replaced atomically, the weights last.
    static func save(_ contents: Contents, to directory: String) throws {
        let (parameters, optimizer) = (contents.parameters, contents.optimizer)
        var moments: [String: SafeTensors.Tensor] = [:]
        for slot in parameters.layout.slots {
            let range = slot.offset..<(slot.offset + slot.count)
            moments["exp_avg.\(slot.name)"] = .init(shape: slot.shape, values: Array(optimizer.firstMoments[0][range]))
            moments["exp_avg_sq.\(slot.name)"] = .init(shape: slot.shape, values: Array(optimizer.secondMoments[0][range]))
        }
        var state = contents.state
        state.step = optimizer.step
        state.fingerprint = fingerprint([parameters.values] + optimizer.firstMoments + optimizer.secondMoments)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try MarianDirectoryWriter.save(
            config: parameters.layout.config, dropout: state.options.dropout, tensors: parameters.tensors,
            sourceModel: contents.sourceModel, targetModel: contents.targetModel, vocabulary: contents.vocabulary, to: directory,
            extraFiles: [
                Checkpoint.optimizerFile: Data(SafeTensors.encode(moments)),
                Checkpoint.stateFile: try encoder.encode(state),
                Checkpoint.csvFile: Data(trainingCSV(state.history).utf8),
                Checkpoint.plotFile: Data(lossPlotSVG(state.history).utf8),
            ])
    }

    /// Loads a checkpoint written by ``save(_:to:)``.
    ///
    /// - Throws: ``ModelDirectoryError`` for the model, ``CheckpointError`` when the optimizer
    ///   state or `training.json` is missing, unreadable, or from another save than the weights.
    static func load(_ directory: String) throws -> Contents {
        let url = URL(fileURLWithPath: directory)
        func read(_ name: String) throws -> Data {
            do { return try Data(contentsOf: url.appendingPathComponent(name)) } catch {
                throw CheckpointError(description: "\(directory) cannot be resumed: cannot read \(name) (\(error.localizedDescription))")
            }
        }
        let config: MarianConfig
        do { config = try JSONDecoder().decode(MarianConfig.self, from: try read(MarianDirectory.configFile)) } catch let e as CheckpointError {
            throw e
        } catch {
            throw ModelDirectoryError(file: "\(directory)/\(MarianDirectory.configFile)", problem: "\(error)")
        }
        if let problem = config.problem { throw ModelDirectoryError(file: "\(directory)/\(MarianDirectory.configFile)", problem: problem) }
        let weightsFile = url.appendingPathComponent(MarianDirectory.weightsFile).path
        let parameters = try TransformerParameters(
            layout: TransformerLayout(config: config), tensors: try SafeTensors.decode(Array(try read(MarianDirectory.weightsFile))),
            file: weightsFile)
        let state: TransformerTrainingState
        do { state = try JSONDecoder().decode(TransformerTrainingState.self, from: try read(Checkpoint.stateFile)) } catch let e as CheckpointError {
            throw e
        } catch {
            throw CheckpointError(description: "\(directory)/\(Checkpoint.stateFile) is not a Transformer training state: \(error)")
        }
        let tensors: [String: SafeTensors.Tensor]
        do { tensors = try SafeTensors.decode(Array(try read(Checkpoint.optimizerFile))) } catch let e as CheckpointError {
            throw e
        } catch {
            throw CheckpointError(description: "\(directory)/\(Checkpoint.optimizerFile): \(error)")
        }
        var first = [Float](repeating: 0, count: parameters.layout.count)
        var second = first
        for slot in parameters.layout.slots {
            guard let m = tensors["exp_avg.\(slot.name)"], let v = tensors["exp_avg_sq.\(slot.name)"], m.shape == slot.shape,
                v.shape == slot.shape
            else {
                throw CheckpointError(description: "\(directory)/\(Checkpoint.optimizerFile) lacks the moments of \(slot.name) \(slot.shape)")
            }
            first.replaceSubrange(slot.offset..<(slot.offset + slot.count), with: m.values)
            second.replaceSubrange(slot.offset..<(slot.offset + slot.count), with: v.values)
        }
        guard fingerprint([parameters.values, first, second]) == state.fingerprint else {
            throw CheckpointError(
                description: "\(directory): the weights, the optimizer state and \(Checkpoint.stateFile) come from different saves "
                    + "(an interrupted save?); cannot resume")
        }
        let options = state.options
        let optimizer = Adam(
            learningRate: 0, beta2: Float(options.beta2), epsilon: Float(options.epsilon), step: state.step, firstMoments: [first],
            secondMoments: [second])
        let vocabulary: [String]
        do { vocabulary = try PieceVocabulary(contentsOf: url.appendingPathComponent("vocab.json").path).pieces } catch {
            throw ModelDirectoryError(file: error.file, problem: error.problem)
        }
        return Contents(
            parameters: parameters, optimizer: optimizer, state: state, sourceModel: Array(try read("source.spm")),
            targetModel: Array(try read("target.spm")), vocabulary: vocabulary)
    }
}
