/// A model that cannot be loaded: printed as `Error: <description>`, without the usage
/// text that argument-parser adds to validation errors, and the command exits 1.
struct ModelLoadFailure: Error, CustomStringConvertible {
    let description: String
}
