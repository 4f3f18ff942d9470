/// How to decode.
public struct DecodingOptions: Sendable, Equatable {
    /// Beam width; 1 is greedy decoding.
    public var beamWidth: Int
    /// Most tokens generated per sentence, the end of sentence included; `nil` for the
    /// model's default (``TranslationModel/defaultMaxLength(sourceLength:)``).
    public var maxLength: Int?
    /// Exponent of the length normalisation of beam scores; `nil` for the model's default.
    public var lengthPenalty: Double?

    public init(beamWidth: Int = 1, maxLength: Int? = nil, lengthPenalty: Double? = nil) {
        self.beamWidth = beamWidth
        self.maxLength = maxLength
        self.lengthPenalty = lengthPenalty
    }
}
