#!/usr/bin/env python3
"""The scikit-learn baseline for story clustering: TF-IDF and agglomerative clustering.

    eval/baseline_sklearn.py CORPUS.jsonl [--threshold 0.8] [--linkage average] > predicted.jsonl

Reads articles as khabar ingests them (JSON lines with `id`, `title`, `text`), embeds each
title and text as a TF-IDF vector (words of two or more letters, sublinear term frequency, no
stemming or stop words: the textbook pipeline) and clusters them with average-linkage
agglomerative clustering, cutting the tree at a cosine distance. Unlike khabar it sees the whole
corpus at once and ignores dates. Prints {"id", "story"} lines for eval/score_clusters.py.
Needs Debian's python3-sklearn.
"""

import argparse
import json
import sys
import time


def read_articles(path):
    ids, texts = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                ids.append(row.get("id", len(ids)))
                texts.append(row.get("title", "") + "\n" + row["text"])
    return ids, texts


def cluster(texts, threshold, linkage):
    """Story labels for `texts`; cosine distance `threshold` cuts the tree."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) < 2:
        return [0] * len(texts)
    # Rows come out unit length, so cosine distances are one minus a sparse product: far
    # cheaper than handing the clusterer dense vocabulary-wide rows to compare.
    vectors = TfidfVectorizer(sublinear_tf=True, min_df=1).fit_transform(texts)
    distances = 1.0 - (vectors @ vectors.T).toarray()
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    model = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold,
                                    metric="precomputed", linkage=linkage)
    return model.fit_predict(distances).tolist()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--threshold", type=float, default=0.8,
                        help="cosine distance at which the tree is cut (0-2)")
    parser.add_argument("--linkage", default="average", choices=["average", "complete", "single"])
    args = parser.parse_args(argv)
    ids, texts = read_articles(args.corpus)
    start = time.perf_counter()
    labels = cluster(texts, args.threshold, args.linkage)
    seconds = time.perf_counter() - start
    for article_id, label in zip(ids, labels):
        print(json.dumps({"id": article_id, "story": label}))
    print(f"baseline: {len(ids)} articles in {seconds:.2f} s "
          f"({len(ids) / max(seconds, 1e-9):.0f} articles/s)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
