"""Alternating timings of two depeche binaries (see scripts/compare-builds)."""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

QUERIES = ["france", "réforme des retraites", "Macron", "coronavirus bilan", "gilets jaunes",
           "\"état d'urgence\"", "incendie Marseille", "Trump"]


def timed(command):
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", required=True)
    parser.add_argument("--new", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--increment", help="a file indexed after each bulk build, timed as an incremental run")
    parser.add_argument("--label", default="old")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    binaries = {"old": arguments.old, "new": arguments.new}
    folder = tempfile.mkdtemp(prefix="depeche-compare-")
    databases = {name: os.path.join(folder, name + ".sqlite") for name in binaries}
    indexing = {name: [] for name in binaries}
    incremental = {name: [] for name in binaries}
    searching = {name: [] for name in binaries}
    for run in range(arguments.runs):
        # Alternate which goes first, so that neither always meets a warm or a busy machine.
        order = ["old", "new"] if run % 2 == 0 else ["new", "old"]
        for name in order:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(databases[name] + suffix):
                    os.remove(databases[name] + suffix)
            indexing[name].append(timed([binaries[name], "index", arguments.corpus, "--db", databases[name]]))
            if arguments.increment:
                incremental[name].append(timed([binaries[name], "index", arguments.increment, "--db", databases[name]]))
        for name in order:
            total = sum(timed([binaries[name], "search", query, "--db", databases[name], "--limit", "20"]) for query in QUERIES)
            searching[name].append(total / len(QUERIES) * 1000)
    print(f"{arguments.runs} alternating runs on {os.uname().machine}, {os.cpu_count()} cores; old = {arguments.label}, new = working tree")
    print()
    print("| measure | old (median) | new (median) | new / old | runs old | runs new |")
    print("|---|---|---|---|---|---|")
    measures = [("bulk index of OrangeSum (s)", indexing), ("command-line search, mean of 8 queries (ms)", searching)]
    if arguments.increment:
        measures.insert(1, (f"incremental run of {os.path.basename(arguments.increment)} onto it (s)", incremental))
    for title, values in measures:
        old, new = statistics.median(values["old"]), statistics.median(values["new"])
        spread = lambda xs: f"{min(xs):.1f}–{max(xs):.1f}"
        print(f"| {title} | {old:.2f} | {new:.2f} | {new / old:.2f} | {spread(values['old'])} | {spread(values['new'])} |")


if __name__ == "__main__":
    main()
