#!/usr/bin/env python3
"""Cross-validates khabar's name tagger on ANERcorp's training part and checks floors.

    eval/run_ner_cv.py --tagger build/eval/ner_tagger [--data ../shared/data/anercorp]
                       [--folds 5] [--keep DIR] [--min tagger:exact_micro_f1=0.74 ...]

Runs `ner_tagger cv` (train on four blocks of sentences, tag the fifth, five times; about a
minute) and scores, with score_ner.py, the tagger alone and khabar's extractor with the tagger
on (rules adding what they find). A floor names the output and a score_ner.py figure:
`tagger:exact_pers_f1=0.68`, `extractor:exact_micro_f1=0.72`. Exits 77 (CTest's skip) when the
corpus is missing, 1 when a figure is below its floor.
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import score_ner

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("tagger", "extractor")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tagger", type=Path, default=ROOT / "build" / "eval" / "ner_tagger")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "anercorp")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the folds' models and outputs here")
    parser.add_argument("--min", action="append", default=[], metavar="OUTPUT:FIGURE=FLOOR")
    args = parser.parse_args(argv)
    conll = args.data / "train.conll"
    if not conll.exists():
        print(f"{conll} is missing: skipped", file=sys.stderr)
        return 77
    with tempfile.TemporaryDirectory(prefix="khabar-ner-") as scratch:
        out = args.keep or Path(scratch)
        subprocess.run([str(args.tagger), "cv", str(conll), str(out), "--folds", str(args.folds)],
                       check=True)
        figures = {}
        for name in OUTPUTS:
            result = score_ner.score(score_ner.read(out / f"{name}.conll"), {"PERS", "LOC", "ORG"})
            print(f"\n{name} ({args.folds}-fold cross-validation on {conll.name}):")
            for kind in ("PERS", "LOC", "ORG", "MISC", "micro"):
                if kind not in result["exact"]:
                    continue
                e = result["exact"][kind]
                print(f"  {kind:6} exact P {e['p']:.3f} R {e['r']:.3f} F1 {e['f1']:.3f}"
                      f"   partial F1 {result['partial'][kind]['f1']:.3f}")
            figures.update({f"{name}:{k}": v for k, v in score_ner.flat(result).items()})
    return 0 if score_ner.below_floors(figures, args.min) == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
