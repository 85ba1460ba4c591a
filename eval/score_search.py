#!/usr/bin/env python3
"""Scores khabar search on the judged queries of data/search/ over the labelled story corpus.

    eval/score_search.py --khabar build/khabar              # ingest the corpus, run every query
    eval/score_search.py --khabar build/khabar --show       # and list each query's top hits

An article is relevant to a query when it belongs to the query's story (data/stories/gold.jsonl).
For each query: precision of the first five hits (P@5) and the reciprocal rank of the first
relevant hit; the report gives their means and every query whose first hit is not relevant.
With --min-p5 and --min-mrr the exit status is 1 below either floor, for CTest.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")


def read_queries(path):
    queries = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 2:
                sys.exit(f"score_search: {path}:{number}: want `query<TAB>story`")
            queries.append((fields[0], fields[1]))
    return queries


def read_gold(path):
    with open(path, encoding="utf-8") as f:
        return {d["id"]: d["story"] for d in map(json.loads, f) if d.get("story")}


def run(args, khabar, db):
    done = subprocess.run([khabar, "--db", db] + args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"score_search: khabar {' '.join(args)} failed ({done.returncode}): "
                 f"{done.stderr}")
    return done.stdout


def score_query(hits, story, gold, k=5):
    relevant = [gold.get(h.get("external_id")) == story for h in hits]
    precision = sum(relevant[:k]) / k
    first = next((i for i, r in enumerate(relevant) if r), None)
    return precision, (1.0 / (first + 1) if first is not None else 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--khabar", required=True)
    parser.add_argument("--queries", default=os.path.join(DATA, "search", "judged_queries.tsv"))
    parser.add_argument("--corpus", default=os.path.join(DATA, "stories", "corpus.jsonl"))
    parser.add_argument("--gold", default=os.path.join(DATA, "stories", "gold.jsonl"))
    parser.add_argument("--show", action="store_true", help="list each query's top five hits")
    parser.add_argument("--min-p5", type=float, default=0.0)
    parser.add_argument("--min-mrr", type=float, default=0.0)
    args = parser.parse_args()

    queries = read_queries(args.queries)
    gold = read_gold(args.gold)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "search.db")
        run(["ingest", args.corpus], args.khabar, db)
        precisions, reciprocal_ranks, misses = [], [], []
        for query, story in queries:
            out = run(["search", "--json", "--limit", "10"] + query.split(), args.khabar, db)
            hits = json.loads(out)["hits"]
            p5, rr = score_query(hits, story, gold)
            precisions.append(p5)
            reciprocal_ranks.append(rr)
            if rr < 1.0:
                misses.append(f"  «{query}» ({story}): first relevant hit at "
                              f"{'none' if rr == 0 else round(1 / rr)}")
            if args.show:
                print(f"«{query}» → {story}: P@5 {p5:.2f}")
                for h in hits[:5]:
                    mark = "+" if gold.get(h.get("external_id")) == story else "-"
                    print(f"   {mark} {h.get('external_id')} {gold.get(h.get('external_id'))} "
                          f"{h['title'][:70]}")
    mean_p5 = sum(precisions) / len(precisions)
    mrr = sum(reciprocal_ranks) / len(reciprocal_ranks)
    print(f"{len(queries)} queries: mean P@5 {mean_p5:.3f}, MRR {mrr:.3f}")
    for line in misses:
        print(line)
    if mean_p5 < args.min_p5 or mrr < args.min_mrr:
        print(f"score_search: under the floor (P@5 {args.min_p5}, MRR {args.min_mrr})",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
