#!/usr/bin/env python3
"""Scores a clustering of articles into stories against gold labels.

    eval/score_clusters.py GOLD.jsonl PREDICTED.jsonl [--key FIELD] [--json]

Each file holds one JSON object a line, {"id": ..., "story": ...}; ids are matched between the
files, story labels need not be. `--key external_id` matches the gold ids with that field of
the predictions instead (what `khabar stories --assignments` prints for an input's own ids).
A story of null is a story of its own (an article too short to cluster). Prints B-cubed precision, recall and F1 (Bagga and Baldwin
1998, averaged over articles) and pairwise precision, recall and F1 (over pairs of articles put
in one story). An article in the gold file but not in the predictions is an error: a clusterer
must place every article, a singleton story included. Articles only in the predictions are
ignored and counted.
"""

import argparse
import json
import sys
from collections import Counter


def read_labels(path, key="id"):
    """Maps each row's `key` to its story; rows without the key are left out."""
    labels = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                story = row["story"]
                if key not in row or row[key] in (None, ""):
                    continue
                labels[str(row[key])] = f"alone:{number}" if story is None else str(story)
            except (ValueError, KeyError, TypeError) as e:
                raise SystemExit(f"{path}:{number}: expected {{\"{key}\": ..., \"story\": ...}}: {e}")
    return labels


def pairs(n):
    return n * (n - 1) // 2


def f1(precision, recall):
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def score(gold, predicted):
    """gold and predicted map article id -> story label; predicted covers gold."""
    ids = list(gold)
    both = Counter((gold[i], predicted[i]) for i in ids)  # contingency table n_gp
    gold_sizes = Counter(gold[i] for i in ids)
    predicted_sizes = Counter(predicted[i] for i in ids)
    n = len(ids)
    # B-cubed: an article's precision is the share of its predicted story that is in its gold
    # story; summed over the n_gp articles of each cell, that is n_gp^2 / |predicted story|.
    b3_precision = sum(c * c / predicted_sizes[p] for (g, p), c in both.items()) / n
    b3_recall = sum(c * c / gold_sizes[g] for (g, p), c in both.items()) / n
    together = sum(pairs(c) for c in both.values())
    predicted_pairs = sum(pairs(c) for c in predicted_sizes.values())
    gold_pairs = sum(pairs(c) for c in gold_sizes.values())
    pair_precision = together / predicted_pairs if predicted_pairs else 1.0
    pair_recall = together / gold_pairs if gold_pairs else 1.0
    return {
        "articles": n,
        "gold_stories": len(gold_sizes),
        "predicted_stories": len(predicted_sizes),
        "bcubed_precision": b3_precision,
        "bcubed_recall": b3_recall,
        "bcubed_f1": f1(b3_precision, b3_recall),
        "pairwise_precision": pair_precision,
        "pairwise_recall": pair_recall,
        "pairwise_f1": f1(pair_precision, pair_recall),
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold")
    parser.add_argument("predicted")
    parser.add_argument("--key", default="id",
                        help="the predictions' field that holds the gold file's ids")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    args = parser.parse_args(argv)
    gold = read_labels(args.gold)
    predicted = read_labels(args.predicted, args.key)
    if not gold:
        raise SystemExit(f"{args.gold}: no labelled articles")
    missing = [i for i in gold if i not in predicted]
    if missing:
        raise SystemExit(f"{args.predicted}: {len(missing)} gold articles have no predicted "
                         f"story, e.g. {', '.join(missing[:3])}")
    result = score(gold, predicted)
    result["ignored_predictions"] = sum(1 for i in predicted if i not in gold)
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['articles']} articles: {result['gold_stories']} gold stories, "
          f"{result['predicted_stories']} predicted")
    for kind in ("bcubed", "pairwise"):
        print(f"{kind:<9} precision {result[kind + '_precision']:.4f}  "
              f"recall {result[kind + '_recall']:.4f}  F1 {result[kind + '_f1']:.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
