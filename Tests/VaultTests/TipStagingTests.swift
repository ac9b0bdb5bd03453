import Glibc
import XCTest
@testable import Vault

/// Stagings in their unnamed file: read back whole, never a tip, counted in the bytes quota
/// only, never visible in the data directory or the database, gone with their descriptor, and
/// a full file system answered as the vault's "disk full".
final class TipStagingTests: XCTestCase {
    func testStagedBytesReadBackInChunksAndAreNeverATip() async throws {
        let vault = try makeVault { $0.maxTips = 1 }
        let original = Sodium.randomBytes(2 * TipStaging.chunkBytes + 777)
        let staging = try await vault.beginStaging()
        try await appendAsABodyArrives(original, to: staging)
        try await staging.seal()
        var read: [UInt8] = []
        var index = 0
        while let chunk = try await staging.chunk(index) {
            XCTAssertLessThanOrEqual(chunk.count, TipStaging.chunkBytes)
            read += chunk
            index += 1
        }
        XCTAssertEqual(index, 3)
        XCTAssertTrue(sameBytes(read, original))
        let listed = try await vault.tips()
        XCTAssertEqual(listed, [], "a staging is never listed")
        XCTAssertEqual(vault.statistics.storedTips, 0, "a staging takes no tip of the count quota")
        XCTAssertEqual(vault.statistics.storedTipBytes, original.count, "its bytes take room on disk, so they count")
        let path = vault.configuration.databasePath
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip_chunk", inDatabaseAt: path), 0, "nothing of it is in the database")
        let tip = try await storeTip([1, 2, 3], in: vault)
        XCTAssertEqual(tip.bytes, 3, "the one tip maxTips allows still fits beside a staging")

        await staging.discard()
        XCTAssertEqual(vault.statistics.storedTipBytes, 3)
        XCTAssertEqual(try countRows("SELECT count(*) FROM tip WHERE received_day IS NULL", inDatabaseAt: path), 0)
    }

    func testAStagingThatExceedsTheQuotaIsRefused() async throws {
        let vault = try makeVault { $0.maxStoredTipBytes = 1000 }
        let staging = try await vault.beginStaging()
        try await staging.append(Array(repeating: 7, count: 600))
        do {
            try await staging.append(Array(repeating: 7, count: 600))
            XCTFail("over the quota")
        } catch VaultError.inboxFull {}
        await staging.discard()
        XCTAssertEqual(vault.statistics.storedTipBytes, 0)
    }

    /// The file never has a name, so a crash (which closes every descriptor) leaves nothing
    /// for the next open to find; discarding closes it, and the kernel frees its blocks.
    func testTheStagingFileHasNoNameAndDiscardClosesIt() async throws {
        let vault = try makeVault()
        let directory = vault.configuration.directory
        let before = try directoryEntries(directory)
        let staging = try await vault.beginStaging()
        try await staging.append(Sodium.randomBytes(TipStaging.chunkBytes + 1))
        try await staging.seal()
        XCTAssertEqual(try directoryEntries(directory), before, "the staging is never a file in the data directory")
        XCTAssertEqual(unnamedFilesOpen(in: directory), 1)

        await staging.discard()
        XCTAssertEqual(unnamedFilesOpen(in: directory), 0, "discard closes the file, which frees it")
        XCTAssertEqual(vault.statistics.storedTipBytes, 0)
    }

    func testAStagingDroppedWithoutDiscardGivesItsRoomAndFileBack() async throws {
        let vault = try makeVault()
        do {
            let staging = try await vault.beginStaging()
            try await staging.append(Sodium.randomBytes(2 * TipStaging.chunkBytes))
            XCTAssertEqual(vault.statistics.storedTipBytes, 2 * TipStaging.chunkBytes)
        }
        XCTAssertEqual(vault.statistics.storedTipBytes, 0)
        // The queue's last job lets go of the file a moment after it answered.
        var waited = 0
        while unnamedFilesOpen(in: vault.configuration.directory) > 0, waited < 100 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        XCTAssertEqual(unnamedFilesOpen(in: vault.configuration.directory), 0)
    }

    /// A file system with no room left: the staging's write fails as the vault's own writes do
    /// on SQLITE_FULL, with ``VaultError/diskFull``, which the pages answer as "try again later".
    func testAFullFileSystemIsDiskFull() async throws {
        guard geteuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root (CI runs as root)") }
        let mountPoint = try makeTemporaryDirectory()
        guard mount("tmpfs", mountPoint, "tmpfs", 0, "size=1m,mode=0700") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here: \(String(cString: strerror(errno)))")
        }
        addTeardownBlock {
            umount2(mountPoint, Int32(MNT_DETACH))
            removeDirectory(mountPoint)
        }
        let file = try StagingFile(directory: mountPoint)
        do {
            try await file.write(Sodium.randomBytes(2 * 1024 * 1024), at: 0)
            XCTFail("2 MiB fit in a 1 MiB file system")
        } catch VaultError.diskFull {}
        await file.close()
    }

    func testOnlyAFullFileSystemOrQuotaIsDiskFull() {
        XCTAssertEqual(StagingFile.failure(ENOSPC, "write"), .diskFull)
        XCTAssertEqual(StagingFile.failure(EDQUOT, "write"), .diskFull)
        XCTAssertEqual(StagingFile.failure(EIO, "cannot write"), .storage("cannot write: \(String(cString: strerror(EIO)))"))
    }

    private func directoryEntries(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    /// This process's descriptors on unnamed files in `directory` (the kernel shows them as
    /// `DIRECTORY/#INODE (deleted)`).
    private func unnamedFilesOpen(in directory: String) -> Int {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.filter { descriptor in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)") else { return false }
            return target.hasPrefix(directory + "/#") && target.hasSuffix(" (deleted)")
        }.count
    }
}
