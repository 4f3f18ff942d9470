/// A SentencePiece model, a piece vocabulary or an OPUS-MT model directory's text files could
/// not be loaded.
public typealias SentencePieceError = FileError
