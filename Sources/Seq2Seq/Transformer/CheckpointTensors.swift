import Tensor

/// The tensors of a `model.safetensors` file, taken by checkpoint name with their shapes
/// checked, so that every tensor a model declares is verified as it loads, and the compute
/// type the dense layers built from them use.
struct CheckpointTensors {
    /// Path of the file, for error messages.
    let file: String
    /// The number type of the matrix products of the model being loaded.
    let computeType: ComputeType
    private var tensors: [String: SafeTensors.Tensor]
    /// Names taken so far.
    private(set) var taken: Set<String> = []

    init(file: String, tensors: [String: SafeTensors.Tensor], computeType: ComputeType = .float32) {
        self.file = file
        self.computeType = computeType
        self.tensors = tensors
    }

    /// Whether the file holds `name`.
    func contains(_ name: String) -> Bool { tensors[name] != nil }

    /// Names in the file that nothing took, sorted.
    var untaken: [String] { tensors.keys.filter { !taken.contains($0) }.sorted() }

    /// The values of tensor `name`, which must have `shape`.
    mutating func values(_ name: String, shape: [Int]) throws(ModelDirectoryError) -> [Float] {
        guard let tensor = tensors[name] else { throw ModelDirectoryError(file: file, problem: "missing tensor \(name)") }
        // A 1-row matrix may be stored as a vector and the other way round (final_logits_bias is [1, V]).
        guard tensor.shape.filter({ $0 != 1 }) == shape.filter({ $0 != 1 }) && tensor.values.count == shape.reduce(1, *) else {
            throw ModelDirectoryError(
                file: file, problem: "tensor \(name) has shape \(tensor.shape), expected \(shape) from config.json")
        }
        taken.insert(name)
        return tensor.values
    }

    /// Tensor `name` as a `rows × cols` matrix.
    mutating func matrix(_ name: String, rows: Int, cols: Int) throws(ModelDirectoryError) -> Matrix {
        Matrix(rows: rows, cols: cols, storage: try values(name, shape: [rows, cols]))
    }

    /// The parameters of the `nn.Linear` at `prefix` (`prefix.weight` `outputs × inputs`, `prefix.bias`).
    mutating func linear(_ prefix: String, inputs: Int, outputs: Int) throws(ModelDirectoryError) -> Linear.Parameters {
        Linear.Parameters(
            weight: try matrix("\(prefix).weight", rows: outputs, cols: inputs),
            bias: try values("\(prefix).bias", shape: [outputs]))
    }

    /// The dense layer of the `nn.Linear` at `prefix`, in the compute type.
    mutating func dense(_ prefix: String, inputs: Int, outputs: Int) throws(ModelDirectoryError) -> Linear {
        Linear(try linear(prefix, inputs: inputs, outputs: outputs), computeType: computeType)
    }

    /// The `nn.LayerNorm` at `prefix`.
    mutating func layerNorm(_ prefix: String, width: Int) throws(ModelDirectoryError) -> LayerNorm {
        LayerNorm(weight: try values("\(prefix).weight", shape: [width]), bias: try values("\(prefix).bias", shape: [width]))
    }
}
