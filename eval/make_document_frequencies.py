#!/usr/bin/env python3
"""Makes data/cluster/document_frequencies_ar.tsv: the Arabic document-frequency prior.

    python3 eval/make_document_frequencies.py [--features-dir build/eval] [--min-df 3]

Story clustering weighs a term by how rare it is. A new store has seen too few articles to
know (two seed reports make every word look equally rare), so khabar starts from the document
frequencies of its terms over real Arabic news and adds its own counts to them as articles
arrive. This counts them over every SaudiNewsNet crawl day (../shared/data/saudinewsnet) that is
not a labelled evaluation day, with build/eval/term_frequencies, which analyses articles exactly
as khabar ingest does. Only terms in at least --min-df articles are kept; a term that is not in
the file counts as one no article had.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import real_stories

ROOT = Path(__file__).resolve().parent.parent


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", type=Path, default=ROOT / "build" / "eval" / "term_frequencies")
    parser.add_argument("--min-df", type=int, default=3)
    parser.add_argument("--out", type=Path,
                        default=ROOT / "data" / "cluster" / "document_frequencies_ar.tsv")
    args = parser.parse_args(argv)
    days = [d for d in real_stories.crawl_days(real_stories.DATA) if not real_stories.label_files(d)]
    with tempfile.TemporaryDirectory(prefix="khabar-df-") as workdir:
        paths = []
        for day in days:
            paths.append(Path(workdir) / f"{day}.jsonl")
            real_stories.write_jsonl(paths[-1], real_stories.as_jsonl_rows(
                real_stories.read_day(real_stories.DATA, day)))
        out = subprocess.run([str(args.binary), "--min-df", str(args.min_df), *map(str, paths)],
                             check=True, capture_output=True, text=True)
    print(out.stderr.strip(), file=sys.stderr)
    header = [
        "# Document frequencies of story clustering's Arabic terms (Snowball stems, after khabar's",
        "# normalisation) over real news: the prior khabar's own counts are added to.",
        f"# Made by: python3 eval/make_document_frequencies.py --min-df {args.min_df}",
        "# Data: SaudiNewsNet crawl days " + ", ".join(days) + ",",
        "#   every day that is not a labelled evaluation day (../shared/data/saudinewsnet).",
    ]
    args.out.write_text("\n".join(header) + "\n" + out.stdout, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main(sys.argv[1:])
