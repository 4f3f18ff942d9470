import Foundation
import Tensor

/// Reads and writes the safetensors format: an 8-byte little-endian header length `N`, `N`
/// bytes of JSON mapping each tensor name to `{"dtype", "shape", "data_offsets"}`, then the
/// raw little-endian tensor data (offsets are relative to the start of the data).
///
/// `F32`, `F16` and `BF16` tensors are read (the half-precision ones widened to `Float`
/// exactly) and `F32` tensors written; they become ``Matrix`` values (a 1-D tensor of `n`
/// values is a `1 × n` matrix, a 2-D tensor `[r, c]` an `r × c` matrix).
public enum SafeTensors {
    /// One tensor as stored: its shape and its values, row-major.
    public struct Tensor: Equatable, Sendable {
        public var shape: [Int]
        public var values: [Float]

        public init(shape: [Int], values: [Float]) {
            self.shape = shape
            self.values = values
        }
    }

    /// Why bytes are not a valid safetensors file. Each case names the problem; the caller
    /// adds the file name.
    public enum FormatError: Error, Equatable, CustomStringConvertible {
        case truncatedHeaderLength(fileSize: Int)
        case headerTooLong(length: UInt64, fileSize: Int)
        case badHeaderJSON(String)
        case badEntry(name: String, reason: String)
        case unsupportedDType(name: String, dtype: String)
        case truncatedData(name: String, end: Int, dataSize: Int)
        case sizeMismatch(name: String, shape: [Int], bytes: Int)

        public var description: String {
            switch self {
            case .truncatedHeaderLength(let size):
                return "truncated: \(size) bytes, too short for the 8-byte header length"
            case .headerTooLong(let length, let size):
                return "truncated or corrupt: header length \(length) exceeds the file size \(size)"
            case .badHeaderJSON(let why):
                return "bad header JSON: \(why)"
            case .badEntry(let name, let reason):
                return "bad header entry for tensor \(name): \(reason)"
            case .unsupportedDType(let name, let dtype):
                return "tensor \(name) has dtype \(dtype); only F32, F16 and BF16 are supported"
            case .truncatedData(let name, let end, let dataSize):
                return "truncated data: tensor \(name) ends at byte \(end) of a \(dataSize)-byte data section"
            case .sizeMismatch(let name, let shape, let bytes):
                return "tensor \(name) of shape \(shape) needs \(shape.reduce(1, *) * 4) bytes but has \(bytes)"
            }
        }
    }

    /// Parses a whole safetensors file.
    public static func decode(_ bytes: [UInt8]) throws -> [String: Tensor] {
        guard bytes.count >= 8 else { throw FormatError.truncatedHeaderLength(fileSize: bytes.count) }
        var headerLength: UInt64 = 0
        for i in (0..<8).reversed() { headerLength = headerLength << 8 | UInt64(bytes[i]) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw FormatError.headerTooLong(length: headerLength, fileSize: bytes.count)
        }
        let dataStart = 8 + Int(headerLength)
        let header: [String: Any]
        do {
            let json = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
            guard let object = json as? [String: Any] else { throw FormatError.badHeaderJSON("not a JSON object") }
            header = object
        } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError.badHeaderJSON(String(describing: error))
        }
        let dataSize = bytes.count - dataStart
        var tensors = [String: Tensor]()
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any],
                let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int],
                let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw FormatError.badEntry(name: name, reason: "needs dtype, shape and two data_offsets") }
            guard let width = ["F32": 4, "F16": 2, "BF16": 2][dtype] else { throw FormatError.unsupportedDType(name: name, dtype: dtype) }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, shape.allSatisfy({ $0 >= 0 }) else {
                throw FormatError.badEntry(name: name, reason: "negative or reversed offsets or shape")
            }
            guard end <= dataSize else { throw FormatError.truncatedData(name: name, end: end, dataSize: dataSize) }
            guard end - begin == shape.reduce(1, *) * width else {
                throw FormatError.sizeMismatch(name: name, shape: shape, bytes: end - begin)
            }
            let count = (end - begin) / width
            let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                bytes.withUnsafeBytes { raw in
                    let source = raw.baseAddress! + dataStart + begin
                    func half(_ i: Int) -> UInt16 { UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
                    // The dtype is matched once per tensor, each with its own loop.
                    switch dtype {
                    case "F16": for i in 0..<count { buffer[i] = Float(Float16(bitPattern: half(i))) }
                    case "BF16": for i in 0..<count { buffer[i] = Float(bitPattern: UInt32(half(i)) << 16) }
                    default:
                        for i in 0..<count {
                            buffer[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                        }
                    }
                }
                initialized = count
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        return tensors
    }

    /// Serialises tensors (names sorted, data in that order) with optional string metadata.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        var header = [String: Any]()
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + t.values.count * 4]]
            offset += t.values.count * 4
        }
        var json = Array(try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        while json.count % 8 != 0 { json.append(0x20) }
        var out = [UInt8]()
        out.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        for name in names {
            for v in tensors[name]!.values {
                withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        return out
    }
}
