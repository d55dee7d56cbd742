"""Shares of a perf profile by stage of depeche, per thread: reads `perf script -F
tid,ip,sym` output (scripts/profile-bulk writes it) and gives each sample to the stage of
the innermost frame that names one (a malloc under the analyzer counts as analysis).
Frames inside a library without symbols (Debian's libsqlite3 keeps only its exported
ones) cannot be followed: their samples are "SQLite internals", FTS5 and b-trees alike.
Usage: python3 scripts/profile_stages.py PERF_SCRIPT_OUTPUT
"""
import sys, re, collections
STAGES = [
    ("story signature", re.compile(r"StorySignature")),
    ("content hash (FNV-1a 128)", re.compile(r"FNV1a128|V11contentHashSS")),
    ("story grouping", re.compile(r"StoryGroups|StoryBand")),
    ("FTS5 insert (term hash, segments)", re.compile(r"fts5|Fts5")),
    ("analysis (segmenter, filters, term cache, ICU, Snowball)", re.compile(r"FrenchAnalyzer|TermCache|WordSegmenter|Filter|ICUText|icu_|sb_stemmer|SnowballStemmer|PreanalyzedDocument|CaseEvidence|LatinFolding|FrenchTokenizer")),
    ("reading and JSON (gzip, JSONSerialization)", re.compile(r"JSONSerialization|JSONRecordReader|JSONParser|__JSON|inflate|gzread|InputFile|forEachLine")),
    ("cleaning and mapping (text repairs, dates, fields)", re.compile(r"PlainText|TextCleaning|RecordMapper|Ingestor|FrenchDate|TextDecoding|FieldMapping|normalized")),
    ("rows, facets, secondary indexes (SQLite)", re.compile(r"DispatchWriter|BatchWriter|DispatchColumns|IndexRuns|sqlite3|Vdbe|Btree|btree|pager")),
]
samples = collections.Counter()
threads = collections.Counter()
stacks = []
cur = None
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if not line.strip():
        if cur: stacks.append(cur)
        cur = None
        continue
    if not line.startswith("\t") and not line.startswith(" "):
        cur = (line.strip().split()[0], [])
        continue
    parts = line.strip().split(None, 1)
    if cur is not None: cur[1].append(parts[1] if len(parts) == 2 else parts[0])
if cur: stacks.append(cur)
by_thread = collections.defaultdict(collections.Counter)
for tid, frames in stacks:
    stage = "other (runtime, allocation, thread hand-off, start-up)"
    if frames and frames[0].startswith("[unknown]") and "sqlite" in frames[0]:
        stage = "SQLite internals without symbols (FTS5 term hash and segments, b-trees)"
    for frame in frames:
        symbol = frame.split(" (", 1)[0]  # the symbol, not its library's path
        hit = next((name for name, pattern in STAGES if pattern.search(symbol)), None)
        if hit: stage = hit; break
    by_thread[tid][stage] += 1
total = sum(sum(c.values()) for c in by_thread.values())
for tid, counter in sorted(by_thread.items(), key=lambda kv: -sum(kv[1].values())):
    n = sum(counter.values())
    print(f"thread {tid}: {n} samples ({100*n/total:.0f}% of all)")
    for stage, count in counter.most_common():
        print(f"  {100*count/n:5.1f}%  {stage}")
