import Foundation
import DepecheIndex
import DepecheIngest
import DepecheModel

/// What an `index` run did, for the summary line and for tests.
public struct IndexReport: Sendable {
    /// Files parsed in this run.
    public var filesRead = 0
    /// Files skipped because they had not changed since they were indexed.
    public var filesUnchanged = 0
    public var added = 0
    public var updated = 0
    /// Dispatches found as they were (including those of unchanged files).
    public var unchanged = 0
    public var duplicates = 0
    public var inferredYears = 0
    /// Dispatches removed with `--prune` because their file is gone.
    public var pruned = 0
    /// The first ``keptProblems`` problems and repairs; ``problemCount`` and
    /// ``repairCount`` count them all (a file of millions of bad lines must not fill
    /// memory with their messages).
    public var problems: [IngestProblem] = []
    public var problemCount = 0
    /// Records kept with their text mended (``IngestProblem/isRepair``).
    public var repairCount = 0
    public static let keptProblems = 1_000
    /// Files that could not be read at all (a subset of the problems' files).
    public var failedFiles = 0
    /// What happened to the index file itself.
    public var outcome = Outcome.updatedInPlace
    /// The older schema the index was upgraded from in place, if it was.
    public var upgradedFrom: Int?

    public var stored: Int { added + updated + unchanged }

    /// What a run did to the index file.
    public enum Outcome: Sendable, Equatable {
        /// An existing index was updated (or found up to date).
        case updatedInPlace
        /// A new index was built and put in place (first build, or `--rebuild`).
        case built
        /// Put in place while a reader (a long export) held the old content: its space is
        /// reclaimed by a later write.
        case builtWhileRead
        /// A first build read no file: no index was created.
        case notCreated
        /// A rebuild that could not read every file: the old index is kept as it was.
        case rebuildAbandoned
    }
}

/// Where an `index` run is, for a progress display.
public struct IndexProgress: Sendable {
    public var filesDone = 0
    public var filesTotal = 0
    public var records = 0
    /// Bytes of the input files consumed so far (compressed bytes for gzip), and in all.
    public var bytesRead: Int64 = 0
    public var bytesTotal: Int64 = 0
    public var currentFile = ""
}

/// Options of an `index` run.
public struct IndexRunOptions: Sendable {
    public var mapping = FieldMapping()
    /// The year of dates written without one; when nil, the year is inferred.
    public var year: Int?
    /// Build a new file and swap it in, instead of updating the index in place.
    public var rebuild = false
    /// The format of every file, instead of detecting it.
    public var format: InputFormat?
    /// Globs choosing among the files found in folders.
    public var include: [String] = []
    public var exclude: [String] = []
    /// Remove the dispatches of indexed files that no longer exist.
    public var prune = false
    /// Read every file already indexed again, with the options it was indexed with.
    public var refresh = false

    public init(mapping: FieldMapping = FieldMapping(), year: Int? = nil, rebuild: Bool = false, format: InputFormat? = nil,
                include: [String] = [], exclude: [String] = [], prune: Bool = false, refresh: Bool = false) {
        self.mapping = mapping
        self.year = year
        self.rebuild = rebuild
        self.format = format
        self.include = include
        self.exclude = exclude
        self.prune = prune
        self.refresh = refresh
    }

    /// How the files named in this run are read.
    public var reading: ReadOptions { ReadOptions(format: format, mapping: mapping, year: year) }
}

/// Runs a batch: reads every path, stores every dispatch, and settles the years of
/// dates written without one once the whole batch has been seen. Files indexed before
/// and unchanged since (same size and modification time, or same content), and read
/// with the same options, are skipped.
///
/// Only what ``IndexFile`` calls a depeche index, an empty file or a missing path is
/// ever written: a new index (or a rebuild) is built beside the target and put in
/// place when complete, and not at all when no file could be read.
///
///     let report = try IndexUpdater.run(paths: ["corpus"], databasePath: "depeche.sqlite", options: IndexRunOptions())
///     print(report.added, report.problems.count)
public enum IndexUpdater {
    /// Records between two progress reports.
    static let progressInterval = 500

    /// Indexes `paths` into the index at `databasePath`, creating it if needed.
    /// `problem` is called as each problem is found, so that a long run reports as it goes.
    public static func run(paths: [String], databasePath given: String, options: IndexRunOptions,
                           problem: @escaping (IngestProblem) -> Void = { _ in },
                           progress: @escaping (IndexProgress) -> Void = { _ in }) throws -> IndexReport {
        let databasePath = FileSystem.resolvingLinks(given)
        let kind = IndexFile.kind(at: databasePath)
        switch kind {
        case .missing, .empty, .depecheIndex: break
        default: throw IndexFile.refusal(given, kind)
        }
        if options.refresh, options.rebuild {
            throw UsageError("--refresh reads an existing index's files again in place; it does not go with --rebuild")
        }
        if options.refresh, kind != .depecheIndex { throw DispatchIndex.OpenError.missing(path: given) }
        let folder = (databasePath as NSString).deletingLastPathComponent
        if !folder.isEmpty, (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) == nil {
            throw DepecheError("cannot create the folder \(folder) for the index")
        }
        if access(folder.isEmpty ? "." : folder, W_OK) != 0 {
            throw DepecheError("cannot write the index in \(folder.isEmpty ? "." : folder): no write permission on the folder")
        }
        let ingestor = try Ingestor(mapping: options.mapping, format: options.format)
        var batch = IndexBatch(ingestor: ingestor, options: options, problem: problem, progress: progress)
        guard options.rebuild || kind != .depecheIndex else {
            // Another run taking the index between two of this run's transactions ends it
            // as busy: what this one committed stays, and a plain re-run goes on from there.
            let index = try DispatchIndex(path: databasePath)
            batch.report.upgradedFrom = index.upgradedFrom
            try batch.load(paths, into: index, bulk: false)
            return batch.report
        }
        let rebuild = try IndexRebuild(of: databasePath)
        defer { rebuild.discard() }
        try batch.load(paths, into: rebuild.index, bulk: true)
        if batch.report.filesRead == 0 {
            // Nothing could be read (a mistyped path): an empty index would answer every
            // search with "0 hits" as if it were a real archive, or replace a real one.
            batch.report.outcome = kind == .depecheIndex ? .rebuildAbandoned : .notCreated
            return batch.report
        }
        if batch.report.failedFiles > 0, kind == .depecheIndex {
            // A rebuild keeps only what it read: a file it could not read would be lost.
            batch.report.outcome = .rebuildAbandoned
            return batch.report
        }
        batch.report.outcome = try rebuild.putInPlace(replacing: kind) ? .built : .builtWhileRead
        return batch.report
    }
}
