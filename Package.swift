// swift-tools-version:6.0
import PackageDescription

/// How the release binary is linked on Linux (`swift build -c release --static-swift-stdlib`):
/// with lld, so that `scripts/link-order.txt` (the functions a dashboard runs from start
/// to idle, written by `scripts/profile-link-order`) lays that code out together: the
/// kernel maps code in 64 KiB windows around each page touched, so code run at start and
/// at idle, spread over a 25 MiB text, kept about 20 MiB of it resident. The symbols
/// stay private to the binary (the static runtime's `-export-dynamic` put 2 MiB of names
/// into the dynamic symbol table), and the start-up relocations are packed (RELR), so
/// the dynamic loader reads 24 KiB of them, not 2.8 MiB. Identical functions are folded
/// into one (`--icf=all`: 2.4 MiB less code, 1 MiB less resident; no code of ours compares
/// function addresses, and the end-to-end and tmux suites pass against the release binary,
/// `COCLICK_BINARY=.build/release/coclick swift test --filter "EndToEndTests|TerminalUITests"`,
/// but for the crash-file checks that expect the runtime's symbolicated backtrace, which a
/// static binary does not have with or without these flags: it writes raw frames).
/// The C++ runtime is linked statically: `-L` puts `linker/static-libstdc++` first on the
/// search path, and the `libstdc++.so` there is a linker script naming `libstdc++.a`, so
/// the `-lstdc++` that the static Swift runtime's link arguments carry takes the archive
/// (ICU and toml++ are C++). The dashboard then holds only the C++ runtime code it runs,
/// not the whole shared library mapped and relocated (1.2 MiB less resident).
/// `linker/unnamed-functions.ld` gathers the functions that have no name (so no place in
/// the order list) in one spot before the hot code (3 MiB less resident).
/// Debug builds link as usual.
let packageDirectory = String(#filePath.dropLast("Package.swift".count))
let releaseLinkFlags: [String] = [
    "-use-ld=lld",
    "-Xlinker", "--no-export-dynamic",
    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    "-Xlinker", "--symbol-ordering-file=\(packageDirectory)scripts/link-order.txt",
    "-Xlinker", "--no-warn-symbol-ordering",
    "-Xlinker", "--icf=all",
    "-L\(packageDirectory)linker/static-libstdc++",
    "-Xlinker", "-T", "-Xlinker", "\(packageDirectory)linker/unnamed-functions.ld",
]

/// Only the members of modules a file imports itself are visible to it (SE-0444). Without
/// this, Foundation's String extensions, reached through a dependency that imports
/// Foundation (TOMLKit), answered `contains`, `range(of:)` and the like in modules that
/// import only FoundationEssentials, and the dashboard ran CoreFoundation's string code.
let essentialsOnly: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "coclick",
    platforms: [.macOS(.v14)],
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
            linkerSettings: [.unsafeFlags(releaseLinkFlags, .when(platforms: [.linux], configuration: .release))],
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
