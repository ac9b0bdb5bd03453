// libFuzzer targets for every parser that sees untrusted bytes. Built by Tests/Fuzz/build with
// coverage instrumentation and AddressSanitizer; run by `make fuzz` (long) and `make test` (short).
// The target is chosen with ASHLINK_FUZZ_TARGET; every other argument goes to libFuzzer.

import Glibc
import NIOCore
@testable import Age
@testable import Appliance
@testable import TipArchive
import Translation
@testable import Vault

/// Each target checks a property, not just "does not crash": a violated property aborts, and
/// libFuzzer saves the input.
enum FuzzTarget: String, CaseIterable {
    case form, token, config, listen, vault, tipform, ageheader, catalog, proxyline

    func run(_ bytes: [UInt8]) {
        switch self {
        case .form: FormFuzz.run(bytes)
        case .tipform: TipFormFuzz.run(bytes)
        case .ageheader: AgeHeaderFuzz.run(bytes)
        case .token: TokenFuzz.run(bytes)
        case .config: ConfigFuzz.run(bytes)
        case .listen: ListenFuzz.run(bytes)
        case .catalog: CatalogFuzz.run(bytes)
        case .vault: VaultFuzz.shared.run(bytes)
        case .proxyline: ProxyLineFuzz.run(bytes)
        }
    }
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fputs("property violated: \(message())\n", stderr)
        abort()
    }
}

/// Form and query decoding: either a clear refusal, or fields in which every U+FFFD was really
/// sent as one (the decoder underneath would otherwise repair broken UTF-8 without a word).
enum FormFuzz {
    static func run(_ bytes: [UInt8]) {
        guard let fields = try? SubmittedFields.decode(bytes) else { return }
        let sent = occurrences(of: [0xEF, 0xBF, 0xBD], in: percentDecoded(bytes))
        let received = [fields.secret, fields.passphrase, fields.ttl].compactMap { $0 }
            .reduce(0) { $0 + $1.unicodeScalars.filter { $0 == "\u{FFFD}" }.count }
        require(received <= sent, "a broken encoding was accepted and silently repaired")
        _ = try? fields.ttlSeconds()
    }

    static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard haystack.count >= needle.count else { return 0 }
        return (0...(haystack.count - needle.count)).filter { Array(haystack[$0..<($0 + needle.count)]) == needle }.count
    }
}

/// The tip form's reader (`POST /tip`): a refusal, or a message of valid UTF-8 within its cap;
/// and the same outcome however the body is cut into pieces, since the network decides that.
/// The first byte chooses the piece size; with its high bit set, the first line of the rest is
/// the Content-Type, else a fixed one with the boundary `fuzz`. The limits are small so that
/// inputs of a few KiB reach all of them.
enum TipFormFuzz {
    static let limits = TipForm.Limits(maxTipBytes: 6000, maxMessageBytes: 1000, maxPartHeaderBytes: 512, maxFiles: 3)

    /// What a read gives: the message, the attachments' names and sizes, their staged bytes opened.
    struct Read: Equatable {
        var message: [UInt8]
        var attachments: [StagedAttachments.Attachment]
        var staged: [UInt8]
    }

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        var body = Array(bytes.dropFirst())
        var contentType = "multipart/form-data; boundary=fuzz"
        if selector & 0x80 != 0, let lineEnd = body.firstIndex(of: UInt8(ascii: "\n")) {
            contentType = String(decoding: body[..<lineEnd], as: UTF8.self)
            body = Array(body[(lineEnd + 1)...])
        }
        let whole = outcome([body], contentType)
        let step = Int(selector & 0x3F) + 1
        let pieces = stride(from: 0, to: body.count, by: step).map { Array(body[$0..<min($0 + step, body.count)]) }
        require(outcome(pieces, contentType) == whole, "pieces of \(step) bytes changed the outcome")
        guard case .success(let read) = whole else { return }
        require(String(validating: read.message, as: UTF8.self) != nil, "a message that is not UTF-8 was accepted")
        require(read.message.count <= limits.maxMessageBytes, "a message over its cap was accepted")
        require(read.attachments.count <= limits.maxFiles, "more files than the cap were accepted")
        require(read.attachments.reduce(0) { $0 + $1.size } == read.staged.count, "the staged bytes do not match the sizes counted")
        require(Set(read.attachments.map { $0.name.lowercased() }).count == read.attachments.count, "two attachments share a name")
        for attachment in read.attachments {
            require(MemberName.isSafe(TipArchiveWriter.attachmentsFolder + attachment.name), "an unsafe attachment name: \(attachment.name.debugDescription)")
        }
    }

    static func outcome(_ pieces: [[UInt8]], _ contentType: String) -> Result<Read, TipFormError> {
        Result { () throws(TipFormError) in
            var sealed: [UInt8] = []
            let submission = try TipForm.read(
                pieces.map { ByteBuffer(bytes: $0) }, contentType: contentType, limits: limits, stage: { sealed += $0 })
            var staged: [UInt8] = []
            if let attachments = submission.attachments {
                var decryptor = AgeDecryptor(identities: [attachments.identity])
                let opened = try? decryptor.consume(sealed + submission.lastSealed)
                let last = try? decryptor.finish()
                require(opened != nil && last != nil, "the staged attachments do not decrypt with the request's key")
                staged = (opened ?? []) + (last ?? [])
            } else {
                require(sealed.isEmpty && submission.lastSealed.isEmpty, "bytes were staged without an attachment")
            }
            return Read(message: submission.message.bytes, attachments: submission.attachments?.attachments ?? [], staged: staged)
        }
    }
}

/// age's header parser: a clear `AgeError`, or a header whose canonical encoding is exactly the
/// bytes that were parsed, so that two readers can never disagree on what a header says. The
/// whole input then goes through the decryptor, which holds an identity no input can know: it
/// must refuse, never crash and never produce a file.
enum AgeHeaderFuzz {
    static let identity = AgeIdentity.generate()

    static func run(_ bytes: [UInt8]) {
        if let macLine = Header.macLineStart(in: bytes, from: 0), let end = bytes[macLine...].firstIndex(of: UInt8(ascii: "\n")),
           let header = try? Header(parsing: bytes[...end]) {
            let text = Header.authenticatedText(header.stanzas)
            require(text == header.authenticatedBytes, "the MAC would cover other bytes than the canonical header")
            let encoded = text + Array(" ".utf8) + Base64Unpadded.encode(header.mac) + [UInt8(ascii: "\n")]
            require(encoded.elementsEqual(bytes[...end]), "a header parsed that does not re-encode to its own bytes")
        }
        var decryptor = AgeDecryptor(identities: [identity])
        let released = (try? decryptor.consume(bytes)) ?? []
        require(released.isEmpty, "a file nobody encrypted to this identity released plaintext")
        require((try? decryptor.finish()) == nil, "a file nobody encrypted to this identity decrypted")
    }
}

/// Token parsing: whatever parses has exactly one spelling, the one that was given.
enum TokenFuzz {
    static func run(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self), let token = LinkToken(text) else { return }
        require(token.text == text, "two spellings for one token")
        require(LinkToken(token.text) == token, "a token does not survive its own text form")
    }
}

/// The configuration file: a clear error, or a configuration that passes its own checks again.
enum ConfigFuzz {
    static func run(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        var configuration = ApplianceConfiguration()
        guard (try? ConfigFile.parse(text, file: "fuzz.conf", into: &configuration)) != nil,
              let valid = try? configuration.validated() else { return }
        if case .tcp(let host, _) = valid.listen {
            require(ListenAddress.isLoopback(host), "a non-loopback listen address was accepted")
        }
        require(valid.socketMode & 0o007 == 0, "a world-accessible socket mode was accepted")
        require(valid.vault.minimumTTL <= valid.vault.defaultTTL && valid.vault.defaultTTL <= valid.vault.maximumTTL,
                "an inconsistent TTL range was accepted")
    }
}

/// Gettext catalogs: either a refusal with a line, or a catalog whose every entry is found again
/// under its own key and whose plural rule picks a form it has for any count.
enum CatalogFuzz {
    static func run(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        let catalog: Catalog
        do {
            catalog = try Catalog(parsing: text)
        } catch {
            if case .syntax(let refusal) = error {
                require(refusal.line >= 1 && refusal.line <= text.utf8.count + 1, "a refusal names line \(refusal.line)")
            }
            return
        }
        for n in [0, 1, 2, 5, 11, 21, 101, 1_000_000, -1] {
            require((0..<catalog.pluralRule.count).contains(catalog.pluralRule.form(for: n)), "no form for \(n)")
        }
        for entry in catalog.entries {
            let message = entry.plural.map { Message(one: entry.id, other: $0, count: 1) } ?? Message(entry.id, context: entry.context)
            guard entry.plural == nil || entry.context == nil else { continue }
            let expected = entry.translations[entry.plural == nil ? 0 : catalog.pluralRule.form(for: 1)]
            require(catalog.translation(of: message) == (expected.isEmpty ? nil : expected), "\(entry.id) is not found again")
        }
    }
}

/// Listen addresses: anything accepted is loopback or a Unix socket path.
enum ListenFuzz {
    static func run(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self), let address = try? ListenAddress(parsing: text) else { return }
        switch address {
        case .tcp(let host, let port):
            require(host == "::1" || host.hasPrefix("127."), "non-loopback host \(host)")
            require((1...65535).contains(port), "port \(port)")
        case .unix(let path):
            require(path.hasPrefix("/"), "relative socket path")
        }
    }
}

/// The target named by ASHLINK_FUZZ_TARGET, read once when libFuzzer starts.
let selectedTarget: FuzzTarget = {
    guard let name = getenv("ASHLINK_FUZZ_TARGET").map({ String(cString: $0) }), let target = FuzzTarget(rawValue: name) else {
        fputs("set ASHLINK_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n", stderr)
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    _ = selectedTarget
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
