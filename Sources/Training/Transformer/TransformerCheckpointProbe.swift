import Foundation

/// Tells which training a checkpoint directory resumes as.
public enum TransformerCheckpointProbe {
    /// Whether `directory` holds a Transformer training checkpoint (its `training.json` says
    /// `"architecture": "transformer"`); a GRU checkpoint's does not.
    public static func isTransformer(_ directory: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: directory + "/" + Checkpoint.stateFile),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        return object["architecture"] as? String == "transformer"
    }
}
