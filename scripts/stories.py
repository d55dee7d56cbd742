"""Story groups on the evaluation collection: grouping quality on the hand-judged pairs of
docs/stories/judged-pairs.tsv, and the top-10 pages that show one story twice, before and
after `--collapse`, for the topical queries (scripts/topical.py).

The pairs were drawn from the collection (OrangeSum training and held-out splits, Senegal,
DRC) by MinHash similarity, stratified from 0.03 to 1, and judged by reading both texts:
1 when they tell the same story (versions of one dispatch, the same report re-published or
rewritten the same day), 0 otherwise (another story on the topic, a daily bulletin of
another day, a follow-up). Only ids and judgments are stored, not the texts.
"""
import json
import sqlite3
import subprocess

PAIRS = "docs/stories/judged-pairs.tsv"


def judged_pairs(database):
    """Precision and recall of "same story" on the judged pairs: (tp, fp, fn, tn)."""
    connection = sqlite3.connect(database)

    def story(dispatch_id):
        row = connection.execute("SELECT s.story FROM dispatches d JOIN story_members s ON s.rowid = d.rowid WHERE d.id = ?",
                                 (dispatch_id,)).fetchone()
        return row[0] if row else None

    tp = fp = fn = tn = 0
    with open(PAIRS, encoding="utf-8") as f:
        next(f)
        for line in f:
            first, second, _, _, same = line.rstrip("\n").split("\t")
            grouped = story(first) is not None and story(first) == story(second)
            judged = same == "1"
            tp += grouped and judged
            fp += grouped and not judged
            fn += judged and not grouped
            tn += not grouped and not judged
    connection.close()
    return tp, fp, fn, tn


def pages_with_a_story_twice(binary, database, queries, collapse):
    """The queries whose top 10 holds two dispatches of one story."""
    twice = []
    for query in queries:
        output = subprocess.run([binary, "search", query, "--db", database, "--format", "json", "--fields", "id,group", "--limit", "10",
                                 "--collapse" if collapse else "--no-collapse"], capture_output=True, text=True).stdout
        groups = [hit["group"] for hit in json.loads(output)["hits"]] if output else []
        if len(groups) != len(set(groups)):
            twice.append(query)
    return twice
