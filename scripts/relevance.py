"""Relevance evaluation of depeche against SQLite FTS5 and tantivy (called by scripts/eval).

The collection is a mixed archive: OrangeSum's training and held-out splits (national
news, 2011-2020), the Senegalese press export (2025) and the Congolese exports (2024-2025),
indexed by depeche; the peers index the same dispatches, read back from depeche's plain
`dispatches` table. Three measures, in one run:

- Known-item search: targets are OrangeSum stories with a title found once in the
  collection, chosen with a fixed seed; each gets a query of 2 to 4 words taken from its
  title (or, one time in four, its first sentence), as a person would type them: lower
  case, usually without accents, sometimes with a plural turned singular or the
  reverse. A system finds the target when it returns the story, or an exact duplicate of
  it, in its first ten hits. Gated on targets of the held-out split; the training split
  (on which the weights were chosen) is reported.
- Topical precision (scripts/topical.py): the first page of one- and two-word queries.
- Recency in the mixed archive: the share of the hybrid top 10 dated in the newest
  quarter of each topic's matching stories.
"""
import argparse
import datetime
import gzip
import json
import math
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
import unicodedata

import tantivy

import stories as story_groups
import topical

SEED = 2026
STOPWORDS = set("""
le la les l un une des du de d et en à a au aux pour par sur dans avec sans sous ce ces cet cette
qui que qu quoi dont où ne n pas plus se s sa son ses leur leurs il elle ils elles on nous vous je
j tu est sont été être ont avait fait comme mais ou donc ni car y après avant selon entre contre
vers chez lors face depuis tout tous toute toutes très aussi alors encore déjà c ça cela ceci
""".split())

# Recurring topics of the national stories, for the recency check; some are mentioned
# again, years later, by the 2025 press of the same archive.
TOPICS = [
    "coronavirus", "coronavirus bilan", "gilets jaunes", "réforme des retraites", "Brexit",
    "grève SNCF", "Donald Trump", "chômage", "incendie", "vigilance orange", "Notre-Dame", "canicule",
    "confinement", "municipales", "attentat", "Emmanuel Macron", "vaccin", "élection présidentielle",
]
# Topics spanning several years of the national stories (#30: "the latest that is squarely
# about it"), chosen before the blend was tuned; with TOPICS, gated at 85%.
MULTI_YEAR_TOPICS = [
    "coronavirus décès hôpitaux", "Syrie", "migrants", "Sarkozy", "Marine Le Pen", "Mali", "Tour de France",
    "réchauffement climatique", "Daech", "Union européenne", "Poutine",
]


def fold(text):
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def content_words(text):
    words = []
    for raw in re.findall(r"[\w’'-]+", text):
        raw = re.sub(r"^(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]", "", raw, flags=re.IGNORECASE)
        for part in raw.split("-"):
            part = part.strip("'’")
            if len(part) >= 3 and not part.isdigit() and part.lower() not in STOPWORDS:
                words.append(part)
    return words


def make_query(story, rng):
    title_words = content_words(story["title"])
    source = title_words
    if rng.random() < 0.25:
        first_sentence = re.split(r"(?<=[.!?])\s", story["body"].strip(), maxsplit=1)[0]
        sentence_words = content_words(first_sentence)
        if len(sentence_words) >= 4:
            source = sentence_words
    k = min(rng.choice([2, 3, 3, 4]), len(source))
    picked = [source[i] for i in sorted(rng.sample(range(len(source)), k))]
    words = [w.lower() for w in picked]
    if rng.random() < 0.7:
        words = [fold(w) for w in words]
    if rng.random() < 0.25:
        i = rng.randrange(len(words))
        words[i] = words[i][:-1] if words[i].endswith("s") and len(words[i]) > 4 else words[i] + "s"
    return " ".join(words)


def load(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


class Depeche:
    name = "depeche"

    def __init__(self, binary, database, sort):
        self.binary, self.database, self.sort = binary, database, sort
        self.name = f"depeche ({sort})"

    def search(self, query, limit=10):
        result = subprocess.run([self.binary, "search", query, "--db", self.database, "--format", "ids",
                                 "--limit", str(limit), "--sort", self.sort], capture_output=True, text=True)
        # 1 also lists the any-word fallback (no dispatch has every word), which the
        # reader sees; only an error gives nothing.
        if result.returncode not in (0, 1):
            return []
        return result.stdout.split()


class PlainFTS5:
    name = "SQLite FTS5"

    def __init__(self, stories):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, body, tokenize='unicode61 remove_diacritics 2')")
        self.db.executemany("INSERT INTO t VALUES (?, ?, ?)",
                            ((s["id"], s["title"], "\n\n".join(x for x in (s.get("heading") or "", s["body"]) if x)) for s in stories))

    def search(self, query, limit=10):
        match = " AND ".join('"%s"' % w.replace('"', '""') for w in query.split())
        try:
            return [row[0] for row in self.db.execute("SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (match, limit))]
        except sqlite3.Error:
            return []


class Tantivy:
    name = "tantivy"

    def __init__(self, stories):
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=False, tokenizer_name="fr")
        builder.add_text_field("body", stored=False, tokenizer_name="fr")
        self.index = tantivy.Index(builder.build())
        analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                    .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.stemmer("french"))
                    .filter(tantivy.Filter.ascii_fold()).build())
        self.index.register_tokenizer("fr", analyzer)
        writer = self.index.writer()
        for s in stories:
            writer.add_document(tantivy.Document(id=s["id"], title=s["title"],
                                                 body="\n\n".join(x for x in (s.get("heading") or "", s["body"]) if x)))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, query, limit=10):
        try:
            parsed = self.index.parse_query(query, ["title", "body"])
        except ValueError:
            return []
        hits = self.searcher.search(parsed, limit).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits]


def evaluate(system, queries, group_of):
    ranks, started = [], time.time()
    for target, query in queries:
        ids = system.search(query)
        rank = next((i + 1 for i, hit in enumerate(ids) if group_of.get(hit) == group_of[target]), None)
        ranks.append(rank)
    n = len(ranks)
    return {
        "MRR@10": sum(1 / r for r in ranks if r) / n,
        "S@1": sum(1 for r in ranks if r == 1) / n,
        "S@10": sum(1 for r in ranks if r) / n,
        "seconds": time.time() - started,
        "ranks": ranks,
    }


def newest_quarter_share(binary, database, topic):
    """Share of top-10 hits (hybrid, relevance) dated in the newest quarter of the topic's matches."""
    export = subprocess.run([binary, "export", topic, "--db", database, "--format", "tsv", "--fields", "date", "--sort", "date"],
                            capture_output=True, text=True, check=True).stdout.split("\n")[1:]
    dates = [d for d in export if d]
    if len(dates) < 40:
        return None
    cutoff = dates[math.ceil(len(dates) / 4) - 1]
    shares = {}
    for sort in ("hybrid", "relevance"):
        top = subprocess.run([binary, "search", topic, "--db", database, "--format", "tsv", "--limit", "10", "--sort", sort],
                             capture_output=True, text=True, check=True).stdout.split("\n")[1:]
        top_dates = [line.split("\t")[2] for line in top if line]
        shares[sort] = (sum(1 for d in top_dates if d and d >= cutoff), len(top_dates))
    return len(dates), cutoff, shares


def sample_queries(split, title_count, count, seed):
    """`count` (target id, query) pairs from the stories of `split` with a unique title."""
    eligible = [s for s in split if title_count[s["title"]] == 1 and len(s["body"]) > 300 and len(content_words(s["title"])) >= 3]
    rng = random.Random(seed)
    return [(s["id"], make_query(s, rng)) for s in rng.sample(eligible, count)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--depeche", required=True)
    parser.add_argument("--shared", required=True, help="the shared corpus folder (../shared/corpus)")
    parser.add_argument("--targets", type=int, default=300)
    parser.add_argument("--seed", type=int, default=SEED, help="another sample of targets and queries")
    parser.add_argument("--database", default=".build-bench/eval.sqlite")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite docs/RELEVANCE.md")
    parser.add_argument("--also-seeds", default="", help="comma-separated seeds of other held-out samples to report (not checked)")
    args = parser.parse_args()

    shared = args.shared
    files = [f"{shared}/orangesum/dispatches.jsonl.gz", f"{shared}/orangesum/heldout.jsonl.gz", f"{shared}/senegal", f"{shared}/drc"]
    train, heldout = load(files[0]), load(files[1])
    group_of = {s["id"]: (s["title"], s["body"]) for s in train + heldout}

    os.makedirs(os.path.dirname(args.database), exist_ok=True)
    started = time.time()
    subprocess.run([args.depeche, "index", *files, "--db", args.database, "--rebuild"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"depeche index: {time.time() - started:.1f} s", file=sys.stderr)
    db = sqlite3.connect(args.database)
    stories = [{"id": r[0], "title": r[1], "heading": r[2], "body": r[3]} for r in db.execute("SELECT id, title, standfirst, body FROM dispatches")]
    db.close()
    documents = {s["id"]: s["title"] + "\n" + s["heading"] + "\n" + s["body"] for s in stories}
    title_count = {}
    for s in stories:
        title_count[s["title"]] = title_count.get(s["title"], 0) + 1
    for s in train + heldout:
        title_count.setdefault(s["title"], 1)
    queries = sample_queries(heldout, title_count, args.targets, args.seed)
    train_queries = sample_queries(train, title_count, args.targets, args.seed)

    started = time.time()
    fts5 = PlainFTS5(stories)
    print(f"FTS5 index: {time.time() - started:.1f} s", file=sys.stderr)
    started = time.time()
    tantivy_system = Tantivy(stories)
    print(f"tantivy index: {time.time() - started:.1f} s", file=sys.stderr)

    systems = [Depeche(args.depeche, args.database, "hybrid"), Depeche(args.depeche, args.database, "relevance"), fts5, tantivy_system]
    results = {system.name: evaluate(system, queries, group_of) for system in systems}
    train_results = {system.name: evaluate(system, train_queries, group_of) for system in systems}
    rows = topical.judge(documents, [systems[0], fts5, tantivy_system])

    # A page of the hybrid sort stops reading early (by blocks, for many matches); the
    # full blend (export, every match in one pass) must agree on the top 10.
    same_top10 = 0
    for _, query in queries:
        page = Depeche(args.depeche, args.database, "hybrid").search(query)
        full = subprocess.run([args.depeche, "export", query, "--db", args.database, "--format", "tsv", "--fields", "id"],
                              capture_output=True, text=True).stdout.split("\n")[1:11]
        same_top10 += page == [x for x in full if x]

    recency = [(topic, newest_quarter_share(args.depeche, args.database, topic)) for topic in TOPICS + MULTI_YEAR_TOPICS]
    recency = [(t, r) for t, r in recency if r]

    def shares(topics):
        chosen = [r for t, r in recency if t in topics]
        return {sort: sum(r[2][sort][0] for r in chosen) / max(1, sum(r[2][sort][1] for r in chosen)) for sort in ("hybrid", "relevance")}
    share, share_all = shares(TOPICS), shares(TOPICS + MULTI_YEAR_TOPICS)

    # Story groups: the hand-judged pairs, and the topical queries' first pages.
    tp, fp, fn, tn = story_groups.judged_pairs(args.database)
    group_precision, group_recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    broad = [query for query, _, _ in topical.QUERIES][:50]
    twice_before = story_groups.pages_with_a_story_twice(args.depeche, args.database, broad, collapse=False)
    twice_after = story_groups.pages_with_a_story_twice(args.depeche, args.database, broad, collapse=True)

    hybrid, relevance = results["depeche (hybrid)"], results["depeche (relevance)"]
    best_peer = max(results["SQLite FTS5"]["MRR@10"], results["tantivy"]["MRR@10"])
    precision, junk = topical.summary(rows, "depeche (hybrid)")
    peers = [topical.summary(rows, name) for name in ("SQLite FTS5", "tantivy")]
    checks = [
        (f"held-out known-item: depeche MRR@10 {hybrid['MRR@10']:.3f} ≥ best peer {best_peer:.3f} + 0.05", hybrid["MRR@10"] >= best_peer + 0.05),
        (f"held-out known-item: depeche MRR@10 {hybrid['MRR@10']:.3f} ≥ {KNOWN_ITEM_MRR} (before the precision work)", hybrid["MRR@10"] >= KNOWN_ITEM_MRR),
        (f"held-out known-item: depeche Success@10 {hybrid['S@10']:.3f} ≥ {KNOWN_ITEM_SUCCESS}", hybrid["S@10"] >= KNOWN_ITEM_SUCCESS),
        (f"topical precision: depeche P@k {precision:.3f} ≥ 0.97 and above both peers ({peers[0][0]:.3f}, {peers[1][0]:.3f})",
         precision >= 0.97 and all(precision > p for p, _ in peers)),
        (f"topical precision: depeche junk@10 {junk:.2f} ≤ 0.10 and below both peers ({peers[0][1]:.2f}, {peers[1][1]:.2f})",
         junk <= 0.10 and all(junk < j for _, j in peers)),
        (f"mixed-archive recency: hybrid top-10 share from the newest quarter {share['hybrid']:.0%} ≥ 80%", share["hybrid"] >= 0.80),
        (f"mixed-archive recency with the multi-year topics: {share_all['hybrid']:.0%} ≥ 85%", share_all["hybrid"] >= 0.85),
        (f"hybrid MRR@10 within 0.01 of relevance sort ({hybrid['MRR@10']:.3f} vs {relevance['MRR@10']:.3f})",
         abs(hybrid["MRR@10"] - relevance["MRR@10"]) <= 0.01),
        (f"a search page gives the full blend's (export's) top 10 on {same_top10}/{len(queries)} queries", same_top10 == len(queries)),
        (f"story groups: precision {group_precision:.3f} ≥ 0.95 on the hand-judged pairs (recall {group_recall:.3f})", group_precision >= 0.95),
        (f"story groups: no collapsed top 10 shows a story twice ({len(twice_after)} of {len(broad)} queries; {len(twice_before)} without --collapse)",
         not twice_after),
    ]

    def known_item_table(title, results):
        lines = [title, "", "| system | MRR@10 | Success@1 | Success@10 | time for all queries (s; depeche one CLI process per query, peers in-process) |",
                 "|---|---|---|---|---|"]
        for name, r in results.items():
            lines.append(f"| {name} | {r['MRR@10']:.3f} | {r['S@1']:.3f} | {r['S@10']:.3f} | {r['seconds']:.1f} |")
        return lines

    lines = [f"Collection: {len(stories)} dispatches (OrangeSum training and held-out splits, Senegal 2025, DRC 2024-2025), "
             "indexed by each system.", ""]
    lines += known_item_table(f"Known-item search, held-out split (gated): {len(queries)} stories (seed {args.seed}).", results)
    lines += [""] + known_item_table(f"Known-item search, training split (reported; the form weights were chosen on it): "
                                     f"{len(train_queries)} stories (seed {args.seed}).", train_results)
    lines += ["", f"Topical precision: {len(rows)} queries (scripts/topical.py), P@k with k = min(10, R), junk@10 = hits of the first ten "
              "that do not match the query's pattern.", ""] + topical.table(rows, [systems[0].name, "SQLite FTS5", "tantivy"])
    lines += ["", "Recency in the mixed archive: share of the top 10 dated in the newest quarter of each topic's matching stories "
              "(the multi-year topics marked *).", "",
              "| topic | matches | newest quarter from | hybrid | relevance |", "|---|---|---|---|---|"]
    for topic, (count, cutoff, topic_shares) in recency:
        name = topic + (" *" if topic in MULTI_YEAR_TOPICS else "")
        lines.append(f"| {name} | {count} | {cutoff} | {topic_shares['hybrid'][0]}/{topic_shares['hybrid'][1]} | "
                     f"{topic_shares['relevance'][0]}/{topic_shares['relevance'][1]} |")
    lines.append(f"| recurring topics | | | {share['hybrid']:.0%} | {share['relevance']:.0%} |")
    lines.append(f"| all, with the multi-year topics | | | {share_all['hybrid']:.0%} | {share_all['relevance']:.0%} |")
    lines += ["", f"Story groups: {tp + fp + fn + tn} hand-judged pairs ({story_groups.PAIRS}): {tp} grouped and judged one story, "
              f"{fp} grouped but judged two, {fn} judged one story but not grouped; precision {group_precision:.3f}, recall {group_recall:.3f}. "
              f"Top-10 pages showing one story twice, for the first {len(broad)} topical queries: {len(twice_before)} without collapsing"
              + (f" ({', '.join(twice_before)})" if twice_before else "") + f", {len(twice_after)} with --collapse."]
    lines += ["", "Checks:", ""] + [f"- {'ok' if ok else 'FAIL'}: {text}" for text, ok in checks]
    other_seeds = [int(x) for x in args.also_seeds.split(",") if x]
    if other_seeds:
        lines += ["", "Other held-out samples of the same size, reported, not checked:", "",
                  "| seed | " + " | ".join(f"{system.name} MRR@10 / S@10" for system in systems) + " |",
                  "|---|" + "---|" * len(systems)]
        for seed in other_seeds:
            other = sample_queries(heldout, title_count, args.targets, seed)
            scores = [evaluate(system, other, group_of) for system in systems]
            lines.append(f"| {seed} | " + " | ".join(f"{r['MRR@10']:.3f} / {r['S@10']:.3f}" for r in scores) + " |")
    report = "\n".join(lines)
    print(report)

    examples = ["", "Sample held-out queries (target rank for depeche hybrid / FTS5 / tantivy; - = not in the top 10):", ""]
    for (target, query), a, b, c in list(zip(queries, hybrid["ranks"], results["SQLite FTS5"]["ranks"], results["tantivy"]["ranks"]))[:20]:
        examples.append(f"- `{query}` → {a or '-'} / {b or '-'} / {c or '-'}")

    if not args.no_write:
        write_report(report, examples, {
            "after_mrr": f"{hybrid['MRR@10']:.3f}", "after_s10": f"{hybrid['S@10']:.3f}",
            "after_train": f"{train_results['depeche (hybrid)']['MRR@10']:.3f}",
            "after_pk": f"{precision:.3f}", "after_junk": f"{junk:.2f}", "after_recency": f"{share['hybrid']:.0%}",
            "after_recency_all": f"{share_all['hybrid']:.0%}",
        })
    print(f"eval: {sum(ok for _, ok in checks)} passed, {sum(not ok for _, ok in checks)} failed")
    sys.exit(0 if all(ok for _, ok in checks) else 1)


# The held-out known-item floors the gate keeps, on this collection: MRR@10 of depeche
# before the precision work (exact forms, names, loanwords, proximity, synonyms), and
# the Success@10 that work was asked to reach (it started from 0.943).
KNOWN_ITEM_MRR = 0.827
KNOWN_ITEM_SUCCESS = 0.95


def write_report(report, examples, figures):
    """docs/RELEVANCE.md: the figures of this run, after the text of docs/RELEVANCE.head.md
    (how the systems are set up, the before/after table: its "after" column is filled
    from `figures`, this run's)."""
    with open("docs/RELEVANCE.md", "w", encoding="utf-8") as f:
        with open("docs/RELEVANCE.head.md", encoding="utf-8") as head:
            text = head.read().replace("{date}", str(datetime.date.today()))
            for name, value in figures.items():
                text = text.replace("{" + name + "}", value)
            f.write(text)
        f.write("\n## This run\n\n" + report + "\n" + "\n".join(examples) + "\n")


if __name__ == "__main__":
    main()
