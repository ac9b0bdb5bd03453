#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOSOCKS

/// Why a fetch stopped, as the one line a journalist reads.
struct InboxClientError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }

    /// The cause of a network failure in words, not in NIO's type names: the system's text for
    /// an errno, tor's meaning for a SOCKS reply, and our own timeouts as they describe themselves.
    static func words(for error: any Error) -> String {
        switch error {
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case ChannelError.connectTimeout(let limit):
            return "no connection within \(limit.nanoseconds / 1_000_000_000) seconds"
        case ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed, ChannelError.inputClosed:
            return InboxResponse.Cut().description
        case let error as SOCKSError.ConnectionFailed:
            return "the SOCKS proxy could not connect: \(socksReply(error.reply.value))"
        case is SOCKSError.NoValidAuthenticationMethod, is SOCKSError.InvalidAuthenticationSelection:
            return "the SOCKS proxy wants a password; tor's SocksPort needs none"
        case is SOCKSError.InvalidProtocolVersion:
            return "not a SOCKS5 proxy"
        case HTTPParserError.invalidEOFState, HTTPParserError.closedConnection:
            return InboxResponse.Cut().description
        case let error as HTTPParserError:
            return "not an HTTP answer (\(error))"
        default:
            return "\(error)"
        }
    }

    /// RFC 1928's replies, and the extended ones tor sends for onion services (tor(1), SocksPort
    /// ExtendedErrors): the difference between a typo, a missing client key and a slow network.
    static func socksReply(_ code: UInt8) -> String {
        let meaning: String = switch code {
        case 0x01: "general failure"
        case 0x02: "not allowed by its rules"
        case 0x03: "network unreachable"
        case 0x04: "host unreachable"
        case 0x05: "connection refused"
        case 0x06: "TTL expired"
        case 0x07: "command not supported"
        case 0x08: "address type not supported"
        case 0xF0: "onion service descriptor can not be found"
        case 0xF1: "onion service descriptor is invalid"
        case 0xF2: "onion service introduction failed"
        case 0xF3: "onion service rendezvous failed"
        case 0xF4: "onion service missing client authorization (add the inbox onion's key to tor's ClientOnionAuthDir)"
        case 0xF5: "onion service wrong client authorization"
        case 0xF6: "onion service invalid address"
        case 0xF7: "onion service introduction timed out"
        default: "unknown reply"
        }
        return "\(meaning) (SOCKS reply 0x\(String(code, radix: 16, uppercase: true)))"
    }
}
