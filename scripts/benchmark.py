"""The benchmark of scripts/bench: depeche against plain SQLite FTS5, tantivy and rg."""
import argparse
import datetime
import gzip
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

import tantivy

# 50 queries as newsroom users type them: rare names, common words, phrases, prefixes,
# filters and sorts. A tab separates the query from search options (JSON).
QUERIES = [
    "Rosatom", "Benalla", "Notre-Dame", "Drucker", "Greta Thunberg", "Alexandre Benalla Sénat", "Vincent Lambert",
    "Carlos Ghosn", "Nicolas Hulot démission", "Agnès Buzyn", "Didier Raoult hydroxychloroquine", "Lubrizol Rouen",
    "france", "coronavirus", "gouvernement", "police", "président", "élections", "santé", "retraites",
    "gilets jaunes", "réforme des retraites", "Emmanuel Macron", "grève SNCF", "vigilance orange", "canicule",
    "\"gilets jaunes\"", "\"réforme des retraites\"", "\"état d'urgence sanitaire\"", "\"Assemblée nationale\"",
    "confin*", "nucl*", "hydroxy*", "écolo*",
    "coronavirus\t{\"sort\": \"date\"}", "france\t{\"sort\": \"relevance\"}", "police\t{\"since\": \"2020-01-01\"}",
    "Macron\t{\"source\": \"AFP\"}", "grève\t{\"since\": \"2019-12-01\"}", "masque\t{\"sort\": \"date\"}",
    "l'État", "cœur", "coeur", "data center", "Sassou Nguesso", "Covid-19", "chômage partiel", "incendie forêt",
    "attentat Paris", "Brexit Johnson",
]


# Rounds of indexing by every system, for the medians.
INDEXING_ROUNDS = 3

# docs/PERFORMANCE.md from this line on is written by hand and kept by each run.
NOTES_MARKER = "<!-- notes: kept by scripts/bench -->"


def timed(command, **kwargs):
    """Runs a command; returns (seconds, peak RSS in MB, stdout)."""
    with tempfile.NamedTemporaryFile("r") as report:
        started = time.time()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + command, capture_output=True, text=True, **kwargs)
        seconds = time.time() - started
        # 1: a search that matched nothing (grep's status), not a failure.
        if result.returncode not in (0, 1):
            raise SystemExit(f"bench: {' '.join(command)} failed: {result.stderr.strip()[-500:]}")
        return seconds, int(report.read().strip().split()[-1]) / 1024, result.stdout


def stories(corpus):
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            story = json.loads(line)
            yield story["title"], "\n\n".join(x for x in (story.get("heading") or "", story["body"]) if x)


def load_fts5(corpus, database):
    if os.path.exists(database):
        os.remove(database)
    connection = sqlite3.connect(database)
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
    connection.executemany("INSERT INTO t(title, body) VALUES (?, ?)", stories(corpus))
    connection.commit()


def tantivy_index(folder, create):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=True, tokenizer_name="fr")
    builder.add_text_field("body", stored=False, tokenizer_name="fr")
    index = tantivy.Index(builder.build(), path=folder) if create else tantivy.Index.open(folder)
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
                .filter(tantivy.Filter.stemmer("french")).filter(tantivy.Filter.ascii_fold()).build())
    index.register_tokenizer("fr", analyzer)
    return index


def load_tantivy(corpus, folder):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    index = tantivy_index(folder, create=True)
    writer = index.writer(heap_size=256 * 1024 * 1024, num_threads=2)
    for title, body in stories(corpus):
        writer.add_document(tantivy.Document(title=title, body=body))
    writer.commit()
    writer.wait_merging_threads()


def remove(path):
    """Deletes an index: a folder (tantivy) or an SQLite file with its WAL files."""
    if os.path.isdir(path):
        shutil.rmtree(path)
    for suffix in ("", "-wal", "-shm"):
        if os.path.isfile(path + suffix):
            os.remove(path + suffix)


def folder_size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(path) for name in names)


def fts5_expression(query):
    text = query.split("\t")[0]
    if text.startswith('"'):
        return '"%s"' % text.strip('"').replace('"', '""')
    if text.endswith("*"):
        return '"%s"*' % text[:-1]
    return " AND ".join('"%s"' % w.replace('"', '""') for w in text.replace("-", " ").split())


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def in_process_latencies(bin_folder, database, repetitions):
    """Every timing (ms) of the query set run in-process by depeche-bench, first run of each query dropped."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("\n".join(QUERIES) + "\n")
        query_file = f.name
    _, _, output = timed([os.path.join(bin_folder, "depeche-bench"), database, query_file, str(repetitions)])
    os.unlink(query_file)
    return [ms for run in json.loads(output) for ms in run["ms"][1:] or run["ms"]]


def similar_latencies(bin_folder, database, repetitions, count=20):
    """Every timing (ms) of `similar` in-process (the terms chosen and the search) for
    `count` dispatches spread over the index, first run of each dropped."""
    connection = sqlite3.connect(database)
    total = connection.execute("SELECT count(*) FROM dispatches").fetchone()[0]
    ids = [connection.execute("SELECT id FROM dispatches ORDER BY rowid LIMIT 1 OFFSET ?", (n * total // count,)).fetchone()[0] for n in range(count)]
    connection.close()
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("".join(f'{i}\t{{"similar": "1"}}\n' for i in ids))
        query_file = f.name
    _, _, output = timed([os.path.join(bin_folder, "depeche-bench"), database, query_file, str(repetitions)])
    os.unlink(query_file)
    return [ms for run in json.loads(output) for ms in run["ms"][1:] or run["ms"]]


def command_line_medians(depeche, database, repetitions):
    """The median time (ms) of `depeche search … --format ids`, process start to exit, per query."""
    medians = []
    for query in QUERIES:
        text, _, extra = query.partition("\t")
        command = [depeche, "search", text, "--db", database, "--format", "ids"]
        for key, value in (json.loads(extra) if extra else {}).items():
            command += [f"--{key}", value]
        runs = []
        for _ in range(repetitions):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True)
            runs.append((time.perf_counter() - started) * 1000)
        medians.append(statistics.median(runs))
    return medians


def query_latencies(args, database, fts5_database, tantivy_folder, raw_text, repetitions):
    depeche_ms = in_process_latencies(args.bin, database, repetitions)
    similar_ms = similar_latencies(args.bin, database, repetitions)
    cli_ms = command_line_medians(os.path.join(args.bin, "depeche"), database, repetitions)

    connection = sqlite3.connect(fts5_database)
    fts5_ms = []
    for query in QUERIES:
        expression = fts5_expression(query)
        for _ in range(repetitions):
            started = time.perf_counter()
            try:
                connection.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10", (expression,)).fetchall()
            except sqlite3.Error:
                pass
            fts5_ms.append((time.perf_counter() - started) * 1000)

    index = tantivy_index(tantivy_folder, create=False)
    index.reload()
    searcher = index.searcher()
    tantivy_ms = []
    for query in QUERIES:
        text = query.split("\t")[0]
        for _ in range(repetitions):
            started = time.perf_counter()
            try:
                searcher.search(index.parse_query(text, ["title", "body"]), 10)
            except ValueError:
                pass
            tantivy_ms.append((time.perf_counter() - started) * 1000)

    rg_ms = []
    for query in QUERIES:
        word = query.split("\t")[0].strip('"*').split()[0]
        started = time.perf_counter()
        subprocess.run(["rg", "-i", "-c", "-F", word, raw_text], capture_output=True)
        rg_ms.append((time.perf_counter() - started) * 1000)
    return {"depeche (in-process)": depeche_ms, "depeche similar ID (in-process, 20 dispatches)": similar_ms, "depeche (command line, median per query)": cli_ms,
            "SQLite FTS5 (in-process)": fts5_ms, "tantivy (in-process)": tantivy_ms, "rg -i (first word, whole text)": rg_ms}


def scale_run(args, depeche, repetitions):
    """Indexes an N-dispatch corpus made by scripts/scale-corpus and reruns the query set."""
    corpus = os.path.join(".build-bench", f"scale-{args.scale}.jsonl.gz")
    if not os.path.exists(corpus):
        subprocess.run(["scripts/scale-corpus", str(args.scale), corpus], check=True)
    raw_bytes = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            story = json.loads(line)
            raw_bytes += sum(len((story.get(k) or "").encode()) for k in ("title", "heading", "body"))
    database = os.path.join(".build-bench", f"scale-{args.scale}.sqlite")
    seconds, rss, _ = timed([depeche, "index", corpus, "--db", database, "--rebuild"])
    size = folder_size(database)
    in_process = in_process_latencies(args.bin, database, repetitions)
    cli = command_line_medians(depeche, database, repetitions)
    return ["", f"## Scale: {args.scale:,} dispatches ({raw_bytes / 1e6:,.0f} MB of text, made by `scripts/scale-corpus`)", "",
            f"- indexing: {seconds:.0f} s ({args.scale / seconds:,.0f} dispatches/s), peak RSS {rss:.0f} MB (target < 300 MB), "
            f"index {size / 1e6:,.0f} MB = {size / raw_bytes:.2f} × the raw text (target < 1.5)",
            f"- in-process query latency: p50 {percentile(in_process, 0.5):.1f} ms, p95 {percentile(in_process, 0.95):.1f} ms, "
            f"p99 {percentile(in_process, 0.99):.1f} ms (target p95 < 50 ms)",
            f"- command line, median of per-query medians: {percentile(cli, 0.5):.0f} ms (target < 80 ms)", ""]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--short", action="store_true", help="fewer repetitions, for CI")
    parser.add_argument("--scale", type=int, default=0, help="also index an N-dispatch corpus and rerun the queries")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--gate", type=float, default=0, help="fail when indexing takes more than this many times the FTS5 floor")
    args = parser.parse_args()
    work = ".build-bench"
    os.makedirs(work, exist_ok=True)
    repetitions = 3 if args.short else 7
    depeche = os.path.join(args.bin, "depeche")

    raw_text = os.path.join(work, "orangesum.txt")
    raw_bytes = 0
    with open(raw_text, "w", encoding="utf-8") as out:
        for title, body in stories(args.corpus):
            out.write(title + "\n" + body + "\n\n")
            raw_bytes += len(title.encode()) + len(body.encode())
    count = sum(1 for _ in stories(args.corpus))

    # Each system indexes the corpus in every round, in an order rotated from round to
    # round, so that none always meets a warm cache or a busy machine; the figures are
    # medians, and the gate's ratio is the median of each round's depeche / FTS5 ratio
    # (two runs minutes apart on this machine can differ by half).
    database = os.path.join(work, "bench-depeche.sqlite")
    fts5_database = os.path.join(work, "bench-fts5.sqlite")
    tantivy_folder = os.path.join(work, "bench-tantivy")
    systems = [
        ("depeche", [depeche, "index", args.corpus, "--db", database], database),
        ("SQLite FTS5 (unicode61 remove_diacritics 2)",
         [sys.executable, "-c", f"import sys; sys.path.insert(0, 'scripts'); import benchmark; benchmark.load_fts5({args.corpus!r}, {fts5_database!r})"],
         fts5_database),
        ("tantivy (French Snowball analyzer)",
         [sys.executable, "-c", f"import sys; sys.path.insert(0, 'scripts'); import benchmark; benchmark.load_tantivy({args.corpus!r}, {tantivy_folder!r})"],
         tantivy_folder),
    ]
    samples = {name: [] for name, _, _ in systems}
    for round_number in range(INDEXING_ROUNDS):
        shift = round_number % len(systems)
        for name, command, path in systems[shift:] + systems[:shift]:
            remove(path)
            seconds, rss, _ = timed(command)
            samples[name].append((seconds, rss))
    rows = [(name, statistics.median(s for s, _ in samples[name]), max(r for _, r in samples[name]), folder_size(path)) for name, _, path in systems]
    tantivy_seconds = rows[2][1]
    round_ratios = [d / f for (d, _), (f, _) in zip(samples["depeche"], samples[systems[1][0]])]

    latencies = query_latencies(args, database, fts5_database, tantivy_folder, raw_text, repetitions)
    export_seconds, export_rss, _ = timed([depeche, "export", "France", "--db", database, "--format", "csv", "-o", os.path.join(work, "france.csv")])

    lines = [f"Measured {datetime.date.today()} by `scripts/bench{' --short' if args.short else ''}{f' --scale {args.scale}' if args.scale else ''}` "
             f"on {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}, SQLite {sqlite3.sqlite_version}, "
             f"release build. Python peers run in the same Python (3.{sys.version_info.minor}); their times include reading "
             "the gzip JSON Lines in Python, as depeche's include its own parsing.", "",
             f"## Indexing OrangeSum ({count:,} stories, {raw_bytes / 1e6:.0f} MB of text)", "",
             "| system | wall time (s) | dispatches/s | MB/s | peak RSS (MB) | index size (MB) |", "|---|---|---|---|---|---|"]
    for name, seconds, rss, size in rows:
        lines.append(f"| {name} | {seconds:.1f} | {count / seconds:,.0f} | {raw_bytes / 1e6 / seconds:.1f} | {rss:.0f} | {size / 1e6:.0f} |")
    lines += ["", f"Medians of {INDEXING_ROUNDS} rounds, the order of the systems rotated from round to round. "
              f"Ratios: depeche / FTS5 floor = {statistics.median(round_ratios):.2f}, the median of the rounds' "
              f"{', '.join(f'{x:.2f}' for x in round_ratios)} (target ≤ 1.5); depeche / tantivy = {rows[0][1] / tantivy_seconds:.2f}; "
              f"index size / raw text = {rows[0][3] / raw_bytes:.2f}.", "",
              f"## Query latency ({len(QUERIES)} queries, {repetitions} runs each)", "",
              "| system | p50 (ms) | p95 (ms) | p99 (ms) |", "|---|---|---|---|"]
    for name, values in latencies.items():
        lines.append(f"| {name} | {percentile(values, 0.5):.1f} | {percentile(values, 0.95):.1f} | {percentile(values, 0.99):.1f} |")
    depeche_p95 = percentile(latencies["depeche (in-process)"], 0.95)
    lines += ["", f"Ratio: depeche / tantivy in-process p95 = {depeche_p95 / percentile(latencies['tantivy (in-process)'], 0.95):.1f}; "
              f"depeche command-line median {percentile(latencies['depeche (command line, median per query)'], 0.5):.0f} ms (target < 80 ms); "
              f"`similar` p95 {percentile(latencies['depeche similar ID (in-process, 20 dispatches)'], 0.95):.1f} ms (target < 50 ms).", "",
              "## Export memory", "",
              f"`depeche export France --format csv -o FILE`: {export_seconds:.1f} s, peak RSS {export_rss:.0f} MB (target < 100 MB).", ""]
    if args.scale:
        lines += scale_run(args, depeche, repetitions)
    report = "\n".join(lines)
    print(report)
    if not args.no_write:
        # The hand-written analysis below the notes marker is kept as it is.
        notes = ""
        if os.path.exists("docs/PERFORMANCE.md"):
            with open("docs/PERFORMANCE.md", encoding="utf-8") as f:
                existing = f.read()
            if NOTES_MARKER in existing:
                notes = existing[existing.index(NOTES_MARKER):]
        with open("docs/PERFORMANCE.md", "w", encoding="utf-8") as f:
            f.write("# Performance\n\n" + report)
            f.write("\nThe query set is in `scripts/benchmark.py` (`QUERIES`). The scale run (`scripts/bench --scale 1000000`, corpus made by "
                    "`scripts/scale-corpus`) is not part of this report unless the command above says so.\n")
            if notes:
                f.write("\n" + notes)
    ratio = statistics.median(round_ratios)
    print(f"bench: indexing {ratio:.2f}× the FTS5 floor (median of {INDEXING_ROUNDS} rounds)")
    if args.gate and ratio > args.gate:
        raise SystemExit(f"bench: FAILED: indexing took {ratio:.2f}× the plain FTS5 floor (gate {args.gate}×)")


if __name__ == "__main__":
    main()
