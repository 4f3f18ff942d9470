import Foundation
import Logging
import Seq2Seq
import Tensor
import Text

/// A checkpoint cannot be resumed. The description says why.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// What `training.json` holds beside the model: the run's options, the optimizer's step,
/// the history, and a fingerprint tying it to the weights and moments saved with it.
struct TrainingState: Codable, Equatable {
    var options: TrainingOptions
    var step: Int
    var history: [EpochRecord]
    /// ``fingerprint(_:)`` of the weights and the optimizer moments, in hex.
    var fingerprint: String
}

/// FNV-1a over the bit patterns of the tensors, in order.
func fingerprint(_ tensors: [[Float]]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for tensor in tensors {
        for value in tensor {
            hash = (hash ^ UInt64(value.bitPattern)) &* 0x100_0000_01b3
        }
    }
    return String(hash, radix: 16)
}

/// A training checkpoint is a model directory (loadable by PyTorch) with, beside it,
/// `optimizer.safetensors` (Adam's moments, `exp_avg.NAME` and `exp_avg_sq.NAME` for each
/// parameter), `training.json` (``TrainingState``), `training.csv` and `training.svg`.
enum Checkpoint {
    static let optimizerFile = "optimizer.safetensors"
    static let stateFile = "training.json"
    static let csvFile = "training.csv"
    static let plotFile = "training.svg"

    /// Writes the checkpoint; each file is replaced atomically, the weights last.
    static func save(
        config: ModelConfig, weights: Seq2SeqWeights, optimizer: Adam, options: TrainingOptions, history: [EpochRecord],
        sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary, to directory: String
    ) throws {
        var moments: [String: SafeTensors.Tensor] = [:]
        for (k, parameter) in weights.parameters.enumerated() {
            moments["exp_avg.\(parameter.name)"] = .init(shape: parameter.shape, values: optimizer.firstMoments[k])
            moments["exp_avg_sq.\(parameter.name)"] = .init(shape: parameter.shape, values: optimizer.secondMoments[k])
        }
        let state = TrainingState(
            options: options, step: optimizer.step, history: history,
            fingerprint: fingerprint(weights.parameters.map { weights[keyPath: $0.path].storage } + optimizer.firstMoments + optimizer.secondMoments))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try GRUDirectory.save(
            config: config, weights: weights, sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary, to: directory,
            extraFiles: [
                optimizerFile: Data(SafeTensors.encode(moments)),
                stateFile: try encoder.encode(state),
                csvFile: Data(trainingCSV(history).utf8),
                plotFile: Data(lossPlotSVG(history).utf8),
            ])
    }

    /// Loads a checkpoint written by ``save``.
    ///
    /// - Throws: ``ModelDirectoryError`` for the model, ``CheckpointError`` when the
    ///   optimizer state or `training.json` is missing, unreadable, or from another save than the weights.
    static func load(_ directory: String, logger: Logger) throws -> (model: GRUModel, optimizer: Adam, state: TrainingState) {
        let model = try GRUDirectory.load(directory, logger: logger)
        let url = URL(fileURLWithPath: directory)
        func read(_ name: String) throws -> Data {
            do { return try Data(contentsOf: url.appendingPathComponent(name)) } catch {
                throw CheckpointError(description: "\(directory) cannot be resumed: cannot read \(name) (\(error.localizedDescription))")
            }
        }
        let state: TrainingState
        do { state = try JSONDecoder().decode(TrainingState.self, from: try read(stateFile)) } catch let e as CheckpointError {
            throw e
        } catch {
            throw CheckpointError(description: "\(directory)/\(stateFile) is not a training state: \(error)")
        }
        let tensors: [String: SafeTensors.Tensor]
        do { tensors = try SafeTensors.decode(Array(try read(optimizerFile))) } catch let e as CheckpointError {
            throw e
        } catch {
            throw CheckpointError(description: "\(directory)/\(optimizerFile): \(error)")
        }
        let weights = model.weights
        var first: [[Float]] = []
        var second: [[Float]] = []
        for parameter in weights.parameters {
            guard let m = tensors["exp_avg.\(parameter.name)"], let v = tensors["exp_avg_sq.\(parameter.name)"],
                m.shape == parameter.shape, v.shape == parameter.shape
            else {
                throw CheckpointError(description: "\(directory)/\(optimizerFile) lacks the moments of \(parameter.name) \(parameter.shape)")
            }
            first.append(m.values)
            second.append(v.values)
        }
        let expected = fingerprint(weights.parameters.map { weights[keyPath: $0.path].storage } + first + second)
        guard expected == state.fingerprint else {
            throw CheckpointError(
                description: "\(directory): the weights, the optimizer state and \(stateFile) come from different saves "
                    + "(an interrupted save?); cannot resume")
        }
        let optimizer = Adam(
            learningRate: Float(state.options.learningRate), step: state.step, firstMoments: first, secondMoments: second)
        return (model, optimizer, state)
    }
}
