// swift-tools-version:6.1
import PackageDescription

// The data flow, one target per stage, each importing only the stages before it:
//
//   DepecheModel ── DepecheAnalysis ── DepecheIngest ────────────┐
//        │                 └──────────── DepecheIndex ───────────┴─ DepecheIndexing ─┐
//        ├─ DepecheRanking ──────────────────┘   └─ DepecheSearch ───────────────────┤
//        └─ DepecheOutput (model values) ─────────────────────────────────────────────┴─ depeche
//
// Only DepecheIndex links GRDB (it owns every SQL statement); analysis needs ICU and
// Snowball, nothing of SQLite; the store knows nothing of input files, the indexing
// pipeline (which files, read how, on which thread) nothing of SQL. See docs/ARCHITECTURE.md.
let package = Package(
    name: "depeche",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "depeche", targets: ["depeche"]),
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
        /// Values every stage shares: days, dispatches, hits, filters, errors; and the small
        /// text utilities every stage needs without an analyzer (line ends, control
        /// characters, UTF-8 scalars, FNV-1a).
        .target(name: "DepecheModel"),
        /// French analysis: segmentation, then a chain of token filters (ICU, Snowball).
        .target(name: "DepecheAnalysis", dependencies: ["DepecheModel", "CICU", "CStemmer"]),
        /// Reading files into records: pages, JSON, CSV/TSV, dates, cleaning.
        .target(name: "DepecheIngest", dependencies: ["DepecheModel", "DepecheAnalysis", "CZlib"]),
        /// The scoring formulas and orders (bm25 statistics, the recency blend), pure Swift.
        .target(name: "DepecheRanking", dependencies: ["DepecheModel"]),
        /// The SQLite file: schema, writing, and every statement that reads it.
        .target(
            name: "DepecheIndex",
            dependencies: [
                "DepecheModel", "DepecheAnalysis", "DepecheRanking",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        /// An `index` run: the files to read (unchanged ones skipped), parsed and analyzed
        /// on a thread of their own, stored through the index's batch writer.
        .target(name: "DepecheIndexing", dependencies: ["DepecheModel", "DepecheAnalysis", "DepecheIngest", "DepecheIndex"]),
        /// Queries and their plans: which dispatches, in which order.
        .target(name: "DepecheSearch", dependencies: ["DepecheModel", "DepecheAnalysis", "DepecheRanking", "DepecheIndex"]),
        /// Hit lists, tables and dispatches as text, from model values (control characters
        /// kept from terminals by the model's PlainText, the rules ingest cleans with).
        .target(name: "DepecheOutput", dependencies: ["DepecheModel"]),
        .executableTarget(
            name: "depeche",
            dependencies: [
                "DepecheModel", "DepecheIngest", "DepecheRanking", "DepecheIndex", "DepecheIndexing", "DepecheSearch", "DepecheOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // The in-process query timer of scripts/bench.
        .executableTarget(name: "depeche-bench", dependencies: ["DepecheModel", "DepecheIndex", "DepecheSearch", "DepecheOutput"]),
        .testTarget(
            name: "DepecheTests",
            dependencies: [
                "DepecheModel", "DepecheAnalysis", "DepecheIngest", "DepecheRanking", "DepecheIndex", "DepecheIndexing",
                "DepecheSearch", "DepecheOutput", "depeche",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Fixtures")]),
    ]
)
