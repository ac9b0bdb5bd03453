import Dispatch
import Synchronization
import XCTest
@testable import Vault

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let seconds: Mutex<Int64>

    init(_ start: Int64 = 1_800_000_000) {
        seconds = Mutex(start)
    }

    func advance(by delta: Int64) {
        seconds.withLock { $0 += delta }
    }

    var vaultClock: VaultClock {
        VaultClock { self.seconds.withLock { $0 } }
    }
}

/// A fresh data directory for one test, removed afterwards.
func makeTemporaryDirectory() throws -> String {
    var template = Array("/tmp/ashlink-vault-test-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { throw POSIXError(.EIO) }
    return String(cString: path)
}

func removeDirectory(_ path: String) {
    _ = try? FileManager.default.removeItem(atPath: path)
}

extension XCTestCase {
    func makeVault(clock: ManualClock = ManualClock(), configure: (inout VaultConfiguration) -> Void = { _ in }) throws -> Vault {
        let directory = try makeTemporaryDirectory()
        addTeardownBlock { removeDirectory(directory) }
        var configuration = VaultConfiguration(directory: directory)
        configure(&configuration)
        return try Vault(configuration: configuration, clock: clock.vaultClock)
    }
}

// MARK: Tips

/// Stores `bytes` as one tip, appended in pieces of `pieceSize` the way a request body arrives.
func storeTip(_ bytes: [UInt8], in vault: Vault, pieceSize: Int = 64 * 1024) async throws -> StoredTip {
    let upload = try await vault.beginTip()
    var start = 0
    while start < bytes.count {
        let end = min(start + pieceSize, bytes.count)
        try await upload.append(Array(bytes[start..<end]))
        start = end
    }
    return try await upload.finish()
}

/// Every chunk of a reader until the first nil.
func readChunks(_ reader: TipReader) async throws -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    while let chunk = try await reader.chunk(chunks.count) { chunks.append(chunk) }
    return chunks
}

/// A reader's chunks, one after the other.
func readAll(_ reader: TipReader) async throws -> [UInt8] {
    var bytes: [UInt8] = []
    for chunk in try await readChunks(reader) { bytes.append(contentsOf: chunk) }
    return bytes
}

/// `count` bytes that no other tip in the test shares: a random 32-byte pattern, repeated.
func distinctiveBytes(_ count: Int) -> (pattern: [UInt8], bytes: [UInt8]) {
    let pattern = Sodium.randomBytes(32)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + pattern.count)
    while bytes.count < count { bytes.append(contentsOf: pattern) }
    bytes.removeLast(bytes.count - count)
    return (pattern, bytes)
}

/// Byte-for-byte equality with memcmp: megabytes compare fast in a debug build, and a failure
/// does not print them.
func sameBytes(_ left: [UInt8], _ right: some ContiguousBytes) -> Bool {
    left.withUnsafeBytes { left in
        right.withUnsafeBytes { right in
            left.count == right.count && (left.isEmpty || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0)
        }
    }
}

/// Whether `pattern` occurs anywhere in the file at `path` (false for a missing file).
func fileContains(_ pattern: [UInt8], at path: String) throws -> Bool {
    guard !pattern.isEmpty, FileManager.default.fileExists(atPath: path) else { return false }
    let contents = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    return contents.withUnsafeBytes { file in
        pattern.withUnsafeBytes { needle in
            var offset = 0
            while offset + needle.count <= file.count {
                // memchr finds each candidate start, memcmp checks it: fast even in a debug build.
                guard let hit = memchr(file.baseAddress! + offset, Int32(needle[0]), file.count - offset) else { return false }
                offset = file.baseAddress!.distance(to: UnsafeRawPointer(hit))
                if offset + needle.count <= file.count, memcmp(hit, needle.baseAddress!, needle.count) == 0 { return true }
                offset += 1
            }
            return false
        }
    }
}

/// A database file as the release with schema step `version` left it, opened as the store opens
/// one, for upgrade tests to fill with that release's rows.
func olderDatabase(at path: String, version: Int64) throws -> SQLiteConnection {
    let connection = try SQLiteConnection(path: path)
    try connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
    try connection.query("PRAGMA journal_mode = WAL")
    try Schema.migrate(connection, upTo: version)
    return connection
}

/// The two links an older release's row was written for.
struct WrittenLinks {
    let secret: LinkToken
    let receipt: LinkToken
}

/// What every upgrade asks of the rows an older release wrote, once the vault has opened them:
/// `plain`'s receipt turns from new to received when its secret is revealed, `guarded` counts a
/// wrong passphrase and opens with its own, and burning `burnable`'s receipt takes its secret.
func assertOlderRowsStillWork(
    in vault: Vault, holding secret: [UInt8], plain: WrittenLinks, guarded: WrittenLinks, passphrase: String,
    burnable: WrittenLinks, file: StaticString = #filePath, line: UInt = #line
) async throws {
    let receipt = try await vault.receipt(plain.receipt)
    XCTAssertEqual(receipt?.state, .new, file: file, line: line)
    XCTAssertEqual(receipt?.secretToken, plain.secret, file: file, line: line)
    let revealed = try await vault.reveal(plain.secret, passphrase: nil)
    XCTAssertEqual(revealed, .revealed(secret), file: file, line: line)
    let read = try await vault.receipt(plain.receipt)
    XCTAssertEqual(read?.state, .received, file: file, line: line)

    let preview = try await vault.preview(guarded.secret)
    XCTAssertEqual(preview?.passphraseRequired, true, file: file, line: line)
    let wrong = try await vault.reveal(guarded.secret, passphrase: "not it")
    XCTAssertEqual(wrong, .wrongPassphrase(attemptsLeft: vault.configuration.maxPassphraseAttempts - 1), file: file, line: line)
    let right = try await vault.reveal(guarded.secret, passphrase: passphrase)
    XCTAssertEqual(right, .revealed(secret), file: file, line: line)

    let burned = try await vault.burn(receipt: burnable.receipt)
    XCTAssertEqual(burned?.state, .burned, file: file, line: line)
    let afterBurn = try await vault.reveal(burnable.secret, passphrase: nil)
    XCTAssertEqual(afterBurn, .unavailable, file: file, line: line)
}

/// Counts rows with a connection of its own, as someone inspecting the file would.
func countRows(_ sql: String, inDatabaseAt path: String) throws -> Int64 {
    try SQLiteConnection(path: path).query(sql).first?[0].integer ?? -1
}

/// Waits for a signal from a worker thread (an Argon2 gate's, say) without blocking the
/// cooperative pool.
func waitFor(_ semaphore: DispatchSemaphore) async {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            semaphore.wait()
            continuation.resume()
        }
    }
}

/// Polls `condition` every 10 ms for up to 30 seconds of the wall clock (a loaded machine may
/// oversleep); answers whether it came true.
func eventually(_ condition: @escaping @Sendable () async throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let giveUp = clock.now + .seconds(30)
    while clock.now < giveUp {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// Creates `secrets` secrets one after the other and sends each `reveals` concurrent reveals;
/// answers how many reveals of each secret got it (exactly once means every count is 1).
func winnersOfConcurrentReveals(in vault: Vault, secrets: Int = 20, reveals: Int = 50) async throws -> [Int] {
    var counts: [Int] = []
    for index in 0..<secrets {
        let secret = Array("secret \(index)".utf8)
        let token = try await vault.create(secret: secret, passphrase: nil, ttl: nil).secretToken
        counts.append(try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<reveals {
                group.addTask { try await vault.reveal(token, passphrase: nil) == .revealed(secret) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        })
    }
    return counts
}

/// Appends `bytes` to `staging` in pieces smaller than a chunk, then one larger, the way the
/// sealed pieces of a body arrive.
func appendAsABodyArrives(_ bytes: [UInt8], to staging: TipStaging) async throws {
    var start = 0
    for size in [100_000, 1, 65_536, 3 * TipStaging.chunkBytes] {
        let end = min(start + size, bytes.count)
        try await staging.append(Array(bytes[start..<end]))
        start = end
    }
}
