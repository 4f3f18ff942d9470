#if canImport(Glibc)
import Glibc
#endif

/// The `epoch` file of a state directory: the tokenizer epoch that every journaled item
/// carries, kept across restarts so that a restarted tokenizer's items (replayed or new)
/// continue the sequence the sink is ordering and deduplicating.
///
/// Content: `u64` epoch and its `u32` CRC-32C, little-endian; written to a temporary file,
/// synced, renamed into place and the directory synced, so it is whole or absent.
enum EpochFile {
    /// The epoch stored in `directory`, or a new random one stored there now.
    static func loadOrCreate(in directory: String) throws(JournalError) -> (epoch: UInt64, created: Bool) {
        let path = directory + "/epoch"
        guard access(path, F_OK) == 0 else { return (try create(path, directory: directory), true) }
        var reader = ByteReader(try AppendFile.read(path))
        do throws(FrameError) {
            let epoch = try reader.read(UInt64.self, "epoch")
            let checksum = try reader.read(UInt32.self, "checksum")
            try reader.finish()
            guard CRC32C.checksum(bytes(of: epoch)) == checksum, epoch != 0 else {
                throw .invalid(field: "epoch", reason: "checksum mismatch")
            }
            return (epoch, false)
        } catch {
            throw .badEpochFile(path: path, reason: "\(error)")
        }
    }

    private static func create(_ path: String, directory: String) throws(JournalError) -> UInt64 {
        let epoch = UInt64.random(in: 1...UInt64.max)
        var writer = ByteWriter()
        writer.append(epoch)
        writer.append(CRC32C.checksum(bytes(of: epoch)))
        let temporary = path + ".tmp"
        unlink(temporary)
        let file = try AppendFile(path: temporary)
        try file.write(writer.bytes)
        try file.sync()
        guard rename(temporary, path) == 0 else { throw .system(call: "rename", path: temporary, errno: errno) }
        try AppendFile.syncDirectory(directory)
        return epoch
    }

    private static func bytes(of epoch: UInt64) -> [UInt8] {
        var writer = ByteWriter()
        writer.append(epoch)
        return writer.bytes
    }
}
