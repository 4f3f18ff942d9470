import Text

/// A model directory could not be loaded or saved.
public typealias ModelDirectoryError = FileError
