import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to a live test server, read at the test's own pace: unlike an HTTP
/// client it shows exactly what arrived and whether the server closed the connection. Its
/// blocking calls run on a Dispatch thread, away from the tasks the server answers on.
final class BlockingConnection: @unchecked Sendable {
    struct Failure: Error {
        let what: String
        let code: Int32
    }

    private let descriptor: Int32

    /// Connects to `localhost:port`, as the live test server binds it, with a small receive
    /// buffer (the server cannot run far ahead of the reader) and a receive timeout.
    init(port: Int, timeoutSeconds: Int) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo("localhost", String(port), &hints, &found) == 0, let address = found else {
            throw Failure(what: "resolve localhost", code: 0)
        }
        defer { freeaddrinfo(found) }
        descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard descriptor >= 0 else { throw Failure(what: "socket", code: errno) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        var bufferSize: Int32 = 16 * 1024
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &bufferSize, socklen_t(MemoryLayout<Int32>.size))
        guard connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(what: "connect", code: code)
        }
    }

    deinit {
        close(descriptor)
    }

    func send(_ text: String) async throws {
        try await offThePool {
            let bytes = Array(text.utf8)
            var sent = 0
            while sent < bytes.count {
                let result = bytes[sent...].withUnsafeBytes { Glibc.send(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard result > 0 else { throw Failure(what: "send", code: errno) }
                sent += result
            }
        }
    }

    /// At least `count` bytes, unless the server closes first.
    func receive(atLeast count: Int) async throws -> [UInt8] {
        try await offThePool { try self.receiveBlocking(until: { $0.count >= count }) }
    }

    /// Everything until the server closes the connection; a timeout (the server kept it open) throws.
    func receiveUntilClosed() async throws -> [UInt8] {
        try await offThePool { try self.receiveBlocking(until: { _ in false }) }
    }

    private func receiveBlocking(until enough: ([UInt8]) -> Bool) throws -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while !enough(received) {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw Failure(what: "recv (the server neither sent nor closed)", code: errno) }
            received += buffer[..<count]
        }
        return received
    }

    private func offThePool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
