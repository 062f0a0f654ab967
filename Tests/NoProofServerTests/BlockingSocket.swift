#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain blocking TCP socket, for a peer that must not read: unlike `RawConnection` (whose
/// NIO channel reads everything the server sends), nothing is taken from this one's receive
/// buffer unless the test asks, so the server sees a peer that stopped reading.
final class BlockingSocket {
    private let fd: Int32

    /// `receiveBuffer`: SO_RCVBUF, set before connecting so that the window stays small.
    init(port: Int, receiveBuffer: Int32? = nil) throws {
        #if canImport(Glibc)
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SocketError(what: "socket", errno: errno) }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw SocketError(what: "connect", errno: errno)
        }
    }

    deinit { close(fd) }

    /// Sends what the kernel takes without blocking; returns the number of bytes taken.
    func sendSome(_ bytes: [UInt8]) -> Int {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
        return sent
    }

    /// Reads what is there (up to `max` bytes) without blocking; nil once the server closed.
    func receiveAvailable(max: Int = 1 << 20) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: max)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, Int32(MSG_DONTWAIT)) }
        if n == 0 { return nil }
        if n < 0 { return errno == ECONNRESET ? nil : [] }
        return Array(buffer.prefix(n))
    }

    struct SocketError: Error {
        var what: String
        var errno: Int32
    }
}
