// swift-tools-version:6.0
import PackageDescription

/// Only the members of modules a file imports itself are visible to it (SE-0444). Without
/// this, Foundation's String extensions, reached through a dependency that imports
/// Foundation (TOMLKit), answered `contains`, `range(of:)` and the like in modules that
/// import only FoundationEssentials, and the dashboard ran CoreFoundation's string code.
let essentialsOnly: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "coclick",
    products: [
        .executable(name: "coclick", targets: ["coclick"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcurses",
            path: "Sources/CNcurses",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(name: "CSignals"),
        .target(name: "TerminalText", swiftSettings: essentialsOnly),
        .target(
            name: "CoClickAPI",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: essentialsOnly
        ),
        .target(
            name: "CoClickSimulator",
            dependencies: [
                "CoClickAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Dashboard",
            dependencies: [
                "CoClickAPI", "TerminalText",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: essentialsOnly
        ),
        .target(
            name: "TerminalUI",
            dependencies: ["Dashboard", "TerminalText", "CNcurses", "CSignals"],
            swiftSettings: essentialsOnly
        ),
        .executableTarget(
            name: "coclick",
            dependencies: [
                "CoClickAPI", "CoClickSimulator", "Dashboard", "TerminalText", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            plugins: ["BuildInfoPlugin"]
        ),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        .testTarget(name: "TerminalTextTests", dependencies: ["TerminalText"]),
        // Property-test helpers for the test targets below (not shipped).
        .target(name: "FuzzSupport", dependencies: [.product(name: "PropertyBased", package: "swift-property-based")], path: "Tests/FuzzSupport"),
        .testTarget(name: "CoClickAPITests", dependencies: ["CoClickAPI", "CoClickSimulator", "FuzzSupport"]),
        .testTarget(name: "CoClickSimulatorTests", dependencies: [
            "CoClickAPI", "CoClickSimulator", "FuzzSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "CoClickAPI", "TerminalText", "FuzzSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "Dashboard", "TerminalText", "CoClickAPI", "CoClickSimulator", "FuzzSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "CoClickAPI", "CoClickSimulator", "Dashboard",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
