// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ashlink",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ashlink", targets: ["AshlinkMain"]),
        // `make bench`'s HTTP ceiling: bare Hummingbird, one route (bench/hello/main.swift).
        .executable(name: "bench-hello", targets: ["BenchHello"]),
    ],
    dependencies: [
        // Hummingbird's default traits pull in swift-configuration and full Foundation; neither is needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(name: "CSodium", path: "Sources/CSodium"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .systemLibrary(name: "CSeccomp", path: "Sources/CSeccomp"),
        .systemLibrary(name: "CZlib", path: "Tests/CZlib"),
        .target(name: "CKernelCalls"),
        .target(name: "CThreadBroadcast"),
        .target(name: "CHardeningTestSupport", path: "Tests/CHardeningTestSupport"),
        .target(name: "SmallFiles"),
        .target(
            name: "Age",
            dependencies: ["CSodium"]
        ),
        // Length classes (PADMÉ) shared by the tip archive and the vault's sealed rows: pure arithmetic.
        .target(name: "LengthPadding"),
        .target(name: "TipArchive", dependencies: ["LengthPadding"]),
        // Gettext catalogs and the messages of the pages: no HTTP, no SQL, no Foundation.
        .target(name: "Translation"),
        // The pages' Mustache subset: parsed once at start, rendered with HTML escaping; no Foundation.
        .target(name: "Markup"),
        // Locales/*.po compiled in as text at build time (docs/decisions/0019-languages.md).
        .executableTarget(name: "CatalogEmbedder"),
        .plugin(name: "EmbedCatalogs", capability: .buildTool(), dependencies: ["CatalogEmbedder"]),
        .target(name: "Catalogs", exclude: ["Locales/ashlink.pot"], plugins: ["EmbedCatalogs"]),
        .target(
            name: "Vault",
            dependencies: ["CSodium", "CSQLite", "SmallFiles", "Age", "LengthPadding"],
            // The codename word list's source and licence, beside CodenameWords.swift.
            exclude: ["CodenameWords"]
        ),
        .target(
            name: "Hardening",
            dependencies: ["CSeccomp", "CKernelCalls", "CThreadBroadcast", "SmallFiles"]
        ),
        .target(
            name: "Appliance",
            dependencies: [
                "Vault",
                "Hardening",
                "Age",
                "TipArchive",
                "SmallFiles",
                "Translation",
                "Catalogs",
                "Markup",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSOCKS", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The `ashlink` executable is only its entry point: the commands live in the Appliance
        // library, so tests, fuzz targets and further tools link them like any other module.
        .executableTarget(name: "AshlinkMain", dependencies: ["Appliance"]),
        .executableTarget(
            name: "BenchHello", dependencies: [.product(name: "Hummingbird", package: "hummingbird")], path: "bench/hello"),
        .testTarget(name: "VaultTests", dependencies: ["Vault", "Age", "CSodium"]),
        .testTarget(name: "AgeTests", dependencies: ["Age", "CSodium", "CZlib"], exclude: ["Vectors"]),
        .testTarget(name: "TipArchiveTests", dependencies: ["TipArchive", "LengthPadding"]),
        .testTarget(name: "TranslationTests", dependencies: ["Translation"]),
        .testTarget(name: "MarkupTests", dependencies: ["Markup"]),
        .testTarget(
            name: "HardeningTests", dependencies: ["Hardening", "CSeccomp", "CKernelCalls", "CHardeningTestSupport"]),
        .testTarget(
            name: "ApplianceTests",
            dependencies: [
                "Appliance", "Age", "Hardening", "TipArchive", "Vault", "Translation", "Catalogs",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOSOCKS", package: "swift-nio-extras"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
