// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "depeche",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "depeche", targets: ["depeche"]),
        .library(name: "DepecheCore", targets: ["DepecheCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // ICU's C API renames every symbol after its version (utrans_openU_72), which Swift
        // cannot import through the macros: this small C target calls ICU for Swift.
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n")]),
        .systemLibrary(name: "CStemmer", providers: [.apt(["libstemmer-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "DepecheCore",
            dependencies: [
                "CICU", "CStemmer", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .executableTarget(
            name: "depeche",
            dependencies: [
                "DepecheCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // The in-process query timer of scripts/bench.
        .executableTarget(name: "depeche-bench", dependencies: ["DepecheCore"]),
        .testTarget(
            name: "DepecheCoreTests",
            dependencies: ["DepecheCore", "depeche"],
            resources: [.copy("Fixtures")]),
    ]
)
