"""Topical precision: does the first page of a one- or two-word query hold what was asked?

Each query is judged by a pattern of its concept's surface forms over the dispatch text
(title, standfirst and body): a hit matches or it is junk. R is the number of dispatches
of the collection that match the pattern; P@k is the share of matching hits among the
first k = min(10, R); junk@10 counts the hits of the first ten that do not match. The
queries were written for this evaluation: proper names that collide with common words
under a French stemmer, homographs, English loanwords of French news, concepts, and
broad common words.
"""
import re

# (query as a person types it, kind, pattern over title + standfirst + body). Case
# matters in a pattern where the name is told from the common word by its capital.
QUERIES = [
    # Proper names that a French stemmer folds into common words.
    ("France", "name", r"(?i)\bfrance\b"),
    ("mali", "name", r"(?i)\bmali\b|\bmalien"),
    ("Tours", "name", r"\bTours\b"),
    ("le pen", "name", r"(?i)\ble pen\b"),
    ("Nice", "name", r"\bNice\b"),
    ("Niger", "name", r"(?i)\bniger\b|\bnigérien"),
    ("Vienne", "name", r"\bVienne\b"),
    ("Pau", "name", r"\bPau\b"),
    ("Meaux", "name", r"\bMeaux\b"),
    ("Brest", "name", r"\bBrest\b"),
    ("Grasse", "name", r"\bGrasse\b"),
    ("Cannes", "name", r"\bCannes\b"),
    ("Saintes", "name", r"\bSaintes\b"),
    ("Angers", "name", r"\bAngers\b"),
    ("Troyes", "name", r"\bTroyes\b"),
    ("Lens", "name", r"\bLens\b"),
    ("Chine", "name", r"(?i)\bchine\b|\bchinois"),
    ("Tchad", "name", r"(?i)\btchad"),
    ("Dakar", "name", r"(?i)\bdakar\b"),
    ("Thiès", "name", r"(?i)\bthi[eè]s\b"),
    # Homographs and stem collisions of common words.
    ("café", "homograph", r"(?i)\bcaf[ée]s?\b"),
    ("marché", "homograph", r"(?i)\bmarchés?\b"),
    ("données", "homograph", r"(?i)\bdonnées?\b"),
    ("centres de données", "homograph", r"(?i)centres? de données|data ?cent(?:er|re)s?"),
    ("course", "homograph", r"(?i)\bcourses?\b"),
    ("élections municipales", "homograph", r"(?i)\bmunicipales?\b"),
    # English loanwords of French news.
    ("data center", "loanword", r"(?i)data ?cent(?:er|re)s?|centres? de données"),
    ("cloud", "loanword", r"(?i)\bcloud\b"),
    ("start-up", "loanword", r"(?i)\bstart-?ups?\b"),
    ("fake news", "loanword", r"(?i)\bfake ?news\b"),
    ("leader", "loanword", r"(?i)\bleaders?(?:hip)?\b"),
    ("manager", "loanword", r"(?i)\bmanagers?\b"),
    ("week-end", "loanword", r"(?i)\bweek-?ends?\b"),
    ("streaming", "loanword", r"(?i)\bstreaming\b"),
    ("data", "loanword", r"(?i)\bdata\b"),
    ("smartphone", "loanword", r"(?i)\bsmartphones?\b"),
    ("parking", "loanword", r"(?i)\bparkings?\b"),
    ("business", "loanword", r"(?i)\bbusiness\b"),
    # Concepts of several words.
    ("intelligence artificielle", "concept", r"(?i)intelligence artificielle"),
    ("Union africaine", "concept", r"(?i)union africaine"),
    ("Nations unies", "concept", r"(?i)nations unies"),
    ("Tour de France", "concept", r"(?i)tour de france"),
    ("gilets jaunes", "concept", r"(?i)gilets? jaunes?"),
    ("réchauffement climatique", "concept", r"(?i)réchauffement climatique"),
    # Broad common words.
    ("coronavirus", "broad", r"(?i)coronavirus|covid"),
    ("chômage", "broad", r"(?i)\bchômage"),
    ("attentat", "broad", r"(?i)\battentats?\b"),
    ("vaccin", "broad", r"(?i)\bvaccin"),
    ("pétrole", "broad", r"(?i)\bpétrol"),
    ("grève", "broad", r"(?i)\bgrèves?\b"),
    ("incendie", "broad", r"(?i)\bincendi"),
]


def judge(documents, systems):
    """Per query and system: R, P@k, junk@10. `documents` maps id → text; each system
    has `name` and `search(query, limit)` → ids."""
    rows = []
    for query, kind, pattern in QUERIES:
        rx = re.compile(pattern)
        relevant = sum(1 for text in documents.values() if rx.search(text))
        k = min(10, relevant)
        row = {"query": query, "kind": kind, "R": relevant, "systems": {}}
        for system in systems:
            ids = system.search(query, 10)
            matches = [bool(rx.search(documents.get(hit, ""))) for hit in ids]
            precision = sum(matches[:k]) / k if k else 1.0
            junk = sum(1 for m in matches if not m)
            row["systems"][system.name] = (precision, junk, ids)
        rows.append(row)
    return rows


def summary(rows, name):
    """Mean P@k and mean junk@10 of a system over the queries."""
    n = len(rows)
    return (sum(r["systems"][name][0] for r in rows) / n, sum(r["systems"][name][1] for r in rows) / n)


def table(rows, names):
    lines = ["| query | kind | R | " + " | ".join(f"{n} P@k / junk" for n in names) + " |",
             "|---|---|---|" + "---|" * len(names)]
    for r in rows:
        cells = [f"{r['systems'][n][0]:.2f} / {r['systems'][n][1]}" for n in names]
        lines.append(f"| `{r['query']}` | {r['kind']} | {r['R']} | " + " | ".join(cells) + " |")
    means = [summary(rows, n) for n in names]
    lines.append("| **mean** | | | " + " | ".join(f"**{p:.3f} / {j:.2f}**" for p, j in means) + " |")
    return lines
