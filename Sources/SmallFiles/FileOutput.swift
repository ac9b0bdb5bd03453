#if canImport(Glibc)
import Glibc
#endif

/// The two steps every durable write here needs: all the bytes written (a short write or a
/// signal is not an error), and the folder synced so that a new entry in it survives a crash.
public enum FileOutput {
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(TextFileError) {
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TextFileError(description: String(cString: strerror(errno)))
            }
            written += count
        }
    }

    public static func syncFolder(_ folder: String) throws(TextFileError) {
        let descriptor = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TextFileError(description: "\(folder): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw TextFileError(description: "\(folder): \(String(cString: strerror(errno)))") }
    }
}
