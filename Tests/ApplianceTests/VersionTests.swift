import XCTest
@testable import Appliance

/// `ashlink --version` and the package's changelog name one version; packaging/build-deb refuses
/// a binary that disagrees, and this says so before anything is packaged.
final class VersionTests: XCTestCase {
    func testTheVersionIsTheChangelogsTopEntry() throws {
        let changelog = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("packaging/changelog").path
        let top = try XCTUnwrap(try ConfigurationLoader.readTextFile(changelog).split(separator: "\n").first)
        XCTAssertTrue(top.hasPrefix("ashlink (\(Ashlink.version)) "), "changelog: \(top), binary: \(Ashlink.version)")
    }
}
