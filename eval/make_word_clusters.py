#!/usr/bin/env python3
"""Makes data/extract/word_clusters.tsv: word classes learnt from real news for the name tagger.

    python3 eval/make_word_clusters.py [--tokens build/eval/ner_tagger]

A name the tagger never saw in ANERcorp («سبيكتر», «جوتشولك») is still much like the names it
saw in how news uses it. This learns that from unlabelled text: every SaudiNewsNet crawl day in
../shared/data/saudinewsnet that is not a labelled evaluation day (title and content, one
article a line), tokenised and normalised as the tagger reads text (`ner_tagger tokens`);
fastText's skip-gram vectors of its words (Debian's fasttext, one thread, so the same run
gives the same vectors); then k-means (scikit-learn, fixed seed) on the vectors of the
--words most frequent words, at several sizes, coarse to fine. Each line of the output is
`word<TAB>class at each size`. Takes about twenty minutes on one core (Debian's fasttext and
python3-sklearn).
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import real_stories

ROOT = Path(__file__).resolve().parent.parent
SIZES = (64, 256, 1024)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=Path, default=ROOT / "build" / "eval" / "ner_tagger")
    parser.add_argument("--words", type=int, default=60000)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "extract" / "word_clusters.tsv")
    args = parser.parse_args(argv)
    import numpy as np
    from sklearn.cluster import KMeans

    days = [d for d in real_stories.crawl_days(real_stories.DATA) if not real_stories.label_files(d)]
    with tempfile.TemporaryDirectory(prefix="khabar-clusters-") as workdir:
        work = Path(workdir)
        lines = []
        for day in days:
            for row in real_stories.as_jsonl_rows(real_stories.read_day(real_stories.DATA, day)):
                lines.append(" ".join((row["title"] + "\n" + row["text"]).split()))
        corpus = work / "words.txt"
        with open(corpus, "w", encoding="utf-8") as out:
            subprocess.run([str(args.tokens), "tokens"], input="\n".join(lines) + "\n",
                           stdout=out, check=True, text=True)
        print(f"{len(lines)} articles from {len(days)} days", file=sys.stderr)
        subprocess.run(["fasttext", "skipgram", "-input", str(corpus), "-output", str(work / "vectors"),
                        "-dim", "100", "-minCount", "5", "-epoch", "5", "-thread", "1", "-verbose", "0"],
                       check=True)
        words, vectors = [], []
        with open(work / "vectors.vec", encoding="utf-8") as f:
            next(f)  # count and dimension
            for line in f:
                parts = line.rstrip().split(" ")
                if parts[0] == "</s>" or len(parts) != 101:
                    continue
                words.append(parts[0])
                vectors.append([float(x) for x in parts[1:]])
                if len(words) == args.words:  # fastText lists words most frequent first
                    break
    matrix = np.array(vectors, dtype=np.float64)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    classes = [KMeans(n_clusters=k, n_init=1, random_state=0).fit_predict(matrix) for k in SIZES]
    header = [
        "# Word classes for the name tagger (src/extract/tagger.cc): k-means on fastText skip-gram",
        "# vectors of normalised words in real news. Columns: word, then its class among "
        + ", ".join(map(str, SIZES)) + ".",
        "# Made by: python3 eval/make_word_clusters.py --words " + str(args.words),
        "# Data: SaudiNewsNet crawl days " + ", ".join(days) + ",",
        "#   every day that is not a labelled evaluation day (../shared/data/saudinewsnet).",
    ]
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("\n".join(header) + "\n")
        for i, word in enumerate(words):
            out.write(word + "\t" + "\t".join(str(c[i]) for c in classes) + "\n")
    print(f"wrote {args.out}: {len(words)} words", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
