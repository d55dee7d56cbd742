"""Hostile queries and option values through the depeche command line, seeded.

Runs COUNT generated queries and OPTIONS generated option values against an index and
counts what the contract forbids: crashes (a signal, a stack trace), exit statuses other
than 0, 1 and 2, stderr that is not one `depeche:` line, SQLite text leaking, and searches
slower than the bound (an export writes every hit, so it is not timed). Also BATCHES
generated batch files (the same queries, lines ending at LF, CRLF or CR, a byte order mark,
a table header, a ragged row, an unclosed quote, a line of 100 KB) and as many synonym
files (hostile expressions, control characters, one-way rules), whose stderr may hold one
`depeche:` line per bad line. Prints the counts and exits non-zero when one is not zero.
Usage: python3 scripts/hostile_queries.py DEPECHE INDEX [--count N] [--options N] [--batches N] [--seed S] [--bound SECONDS]
"""
import argparse
import concurrent.futures
import os
import random
import subprocess
import tempfile
import time

PIECES = ['"', "'", "’", "(", ")", "*", "^", ":", "-", "+", "NOT", "AND", "OR", "NEAR", "NEAR/", "NEAR/3", "{", "}", "[", "]",
          "title:", "source:", "category:", "titre:", "col:", ";", "--", "/*", "\\", "%", "_", "\x01", "\x7f", "\ufeff", "\u202e",
          "مرحبا", "שלום", "日本", "😀", "👍🏽", "e\u0301", "État", "l'", "data", "center", "covid", "19", "à", " ", "\t",
          "'); DROP TABLE dispatches; --", "x", "AND OR", '""', "**", "NEAR(", ",", "0x", "\ufffd", "ﬁ", "ß", "Œ", "❤️",
          "france", "paris", "le", "la", "de", "gouvernement", "con*", "pré*", "a*", "co*", "réforme", "retraites", "\u200e"]
OPTION_VALUES = ["-1", "0", "1", "10", "999999999999999999999", "9223372036854775807", "-9223372036854775808", "1e308", "nan",
                 "inf", "-0", "0x10", "", " ", "2020-13-01", "2020-02-30", "9999-12", "0000-01-01", "10000-01-01", "2020",
                 "20", "abc", "é", "\x01", "--db", "-", "2020-01-01T00:00", "ACI", "1.5", "1,5"]
OPTIONS = [("--limit", None), ("--offset", None), ("--half-life", None), ("--recency-floor", None), ("--since", None),
           ("--until", None), ("--now", None), ("--source", None), ("--category", None), ("--timeout", None), ("--sort", ["hybrid", "relevance", "date", "x"]),
           ("--format", ["table", "json", "jsonl", "csv", "tsv", "md", "ids", "xml"]), ("--highlight", ["none", "brackets", "mark", "x"])]


def query(rng):
    parts = []
    for _ in range(rng.randint(0, 8)):
        parts.append(chr(rng.randint(0x20, 0x2FFF)) if rng.random() < 0.1 else rng.choice(PIECES))
    return (" " if rng.random() < 0.5 else "").join(parts).replace("\x00", "")


def option_arguments(rng):
    name, choices = rng.choice(OPTIONS)
    value = rng.choice(choices) if choices else rng.choice(OPTION_VALUES)
    return [name, value]


def batch_file(rng, folder, number):
    """A batch file of hostile queries with hostile line ends, marks and rows."""
    ending = rng.choice(["\n", "\r\n", "\r"])
    table = rng.random() < 0.3
    lines = ["query,name"] if table else []
    for _ in range(rng.randint(1, 12)):
        text = query(rng)
        if table:
            text = '"' + text.replace('"', '""') + '"' + ("," + query(rng).replace(",", " ") if rng.random() < 0.5 else ",")
        lines.append(text)
    if rng.random() < 0.2:
        lines.insert(rng.randint(0, len(lines)), "x" * 100_000)
    if table and rng.random() < 0.2:
        lines.append('"never closed,')
    data = ending.join(lines).encode("utf-8", "replace")
    if rng.random() < 0.3:
        data = b"\xef\xbb\xbf" + data
    path = os.path.join(folder, f"batch{number}" + (".csv" if table else ".txt"))
    with open(path, "wb") as f:
        f.write(data)
    return path


def synonym_file(rng, folder, number):
    """A synonym file of hostile expressions: pieces, control characters, one-way rules."""
    lines = []
    for _ in range(rng.randint(1, 6)):
        expressions = [query(rng).replace(",", " ") or "x" for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.2:
            expressions[0] += rng.choice(["\x00", "\x1b]2;x\x07", "\x0b"])
        lines.append((" => " if rng.random() < 0.1 else ", ").join(expressions))
    path = os.path.join(folder, f"synonyms{number}.txt")
    with open(path, "wb") as f:
        f.write(rng.choice(["\n", "\r\n", "\r"]).join(lines).encode("utf-8", "replace"))
    return path


def run(command, bound, many_lines=False):
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, timeout=max(60, bound * 10))
    seconds = time.perf_counter() - started
    stderr = result.stderr.decode("utf-8", "replace")
    faults = []
    if result.returncode < 0 or "Fatal error" in stderr or "stack trace" in stderr.lower() or "Current stack" in stderr:
        faults.append("crash")
    elif result.returncode not in (0, 1, 2):
        faults.append("status")
    lines = [line for line in stderr.split("\n") if line]
    if (len(lines) > 1 and not many_lines) or any(not line.startswith("depeche: ") for line in lines):
        faults.append("stderr")
    if "\x1b" in stderr or "\x1b" in result.stdout.decode("utf-8", "replace"):
        faults.append("escape")
    if any(leak in stderr for leak in ("SQL logic error", "no such column", "no such table", "SELECT ", "fts5:", "sqlite3_", "malformed MATCH")):
        faults.append("sql")
    # export writes every hit by design (streamed, bounded in memory, not in time).
    if seconds > bound and command[1] != "export":
        faults.append("slow")
    return faults, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("depeche")
    parser.add_argument("index")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--options", type=int, default=1_000)
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--bound", type=float, default=2.0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    commands = []
    for _ in range(args.count):
        commands.append(("query", [args.depeche, "search", query(rng), "--db", args.index, "--format", rng.choice(["ids", "json", "table"])]))
    for _ in range(args.options):
        extra = option_arguments(rng) + (option_arguments(rng) if rng.random() < 0.3 else [])
        command = rng.choice(["search", "export", "stats"])
        # An export writes every hit: a narrow query keeps the run short.
        text = "cacao" if command == "export" else rng.choice(["cacao", "France", "covid 19"])
        commands.append(("option", [args.depeche, command, text, "--db", args.index] + extra))
    folder = tempfile.mkdtemp(prefix="hostile-batches-")
    for number in range(args.batches):
        # --format summary: the summary on stdout, so that stderr holds only `depeche:` lines.
        commands.append(("batch", [args.depeche, "batch", batch_file(rng, folder, number), "--db", args.index, "--format", "summary",
                                   "--limit", "3"]))
        commands.append(("synonyms", [args.depeche, "search", query(rng) or "x", "--db", args.index, "--format", "ids",
                                      "--synonyms", synonym_file(rng, folder, number)]))
    counts = {"crash": 0, "status": 0, "stderr": 0, "sql": 0, "slow": 0, "escape": 0}
    examples = {}
    slowest = (0.0, None)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {pool.submit(run, command, args.bound * (10 if kind == "batch" else 1), kind == "batch"): (kind, command)
                   for kind, command in commands}
        for future in concurrent.futures.as_completed(futures):
            kind, command = futures[future]
            faults, seconds = future.result()
            if seconds > slowest[0]:
                slowest = (seconds, command[2:4])
            for fault in faults:
                counts[fault] += 1
                examples.setdefault(fault, command[1:])
    print(f"hostile queries: {args.count} queries, {args.options} option values, {args.batches} batch and synonym files (seed {args.seed}): "
          + ", ".join(f"{count} {name}" for name, count in counts.items())
          + f"; slowest {slowest[0]:.2f} s ({slowest[1]!r})")
    for fault, command in examples.items():
        print(f"  first {fault}: {command!r}")
    if any(counts.values()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
