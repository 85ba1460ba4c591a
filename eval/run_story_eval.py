#!/usr/bin/env python3
"""Scores khabar's stories and the scikit-learn baseline on the labelled corpus.

    eval/run_story_eval.py [--khabar build/khabar] [--speed 10000] [--json results.json]
                           [--min-bcubed-f1 F]

The threshold of each system is calibrated the honest way: the corpus's stories are split in
two folds by event type (so that each fold keeps its hardest confusions, earthquakes in two
countries the same week), the threshold that scores best on one fold is scored on the other,
and the two held-out scores are averaged.
The scores on the whole corpus at the best threshold (optimistic) and at khabar's default
(no --story-threshold) are printed beside them. Gold labels are events: an English and an Arabic report of one
event are one story. khabar does not link languages yet, so the scores against gold split by
language (event/lang) are printed too.

`--speed N` also times both systems on N articles of `khabar bench`'s synthetic corpus:
khabar's whole ingest (reading, cleaning, duplicates, stories, SQLite) against the baseline's
vectorising and clustering alone, in the same run. `--min-bcubed-f1` makes the run fail when
khabar's held-out B-cubed F1 falls below F (a regression guard for CTest).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from make_story_corpus import write_jsonl
from score_clusters import read_labels, score

ROOT = Path(__file__).resolve().parent.parent
KHABAR_THRESHOLDS = [round(0.10 + 0.05 * i, 2) for i in range(11)]   # 0.10 .. 0.60
BASELINE_THRESHOLDS = [round(0.40 + 0.05 * i, 2) for i in range(11)]  # cosine distance


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def folds_of(facts):
    """Two folds of stories: event types alternate, in order of their first story's date."""
    types = []
    for story in sorted(facts["stories"], key=lambda s: s["date"]):
        if story["type"] not in types:
            types.append(story["type"])
    return {s["id"]: types.index(s["type"]) % 2 for s in facts["stories"]}


class Khabar:
    name = "khabar"
    thresholds = KHABAR_THRESHOLDS

    def __init__(self, binary, workdir):
        self.binary, self.workdir = str(binary), Path(workdir)

    def run(self, corpus_path, threshold):
        """Predicted stories, keyed by the corpus's ids."""
        db = self.workdir / f"stories-{threshold}-{Path(corpus_path).stem}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        option = [] if threshold == "default" else ["--story-threshold", str(threshold)]
        subprocess.run([self.binary, "--db", str(db), "ingest", "--quiet", *option,
                        str(corpus_path)], check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([self.binary, "--db", str(db), "stories", "--assignments"],
                             check=True, capture_output=True, text=True).stdout
        predicted = self.workdir / "predicted.jsonl"
        predicted.write_text(out, encoding="utf-8")
        return read_labels(predicted, "external_id")


class Baseline:
    name = "scikit-learn"
    thresholds = BASELINE_THRESHOLDS

    def run(self, corpus_path, threshold):
        from baseline_sklearn import cluster, read_articles

        ids, texts = read_articles(corpus_path)
        return {i: str(label) for i, label in zip(ids, cluster(texts, threshold, "average"))}


def scores(golds, predicted):
    return {"event": score(golds["event"], predicted),
            "event_lang": score(golds["event_lang"], predicted)}


def evaluate(system, corpora, golds):
    """Scores of `system` at each of its thresholds on each corpus ("all", 0, 1)."""
    return {(threshold, part): scores(golds[part], system.run(path, threshold))
            for threshold in system.thresholds for part, path in corpora.items()}


def calibrated(system, results):
    """Held-out scores: the best threshold on one fold, scored on the other."""
    best = {part: max(system.thresholds, key=lambda t: results[(t, part)]["event"]["bcubed_f1"])
            for part in (0, 1)}
    held_out = {}
    for gold_kind in ("event", "event_lang"):
        total = sum(results[(best[1 - part], part)][gold_kind]["articles"] for part in (0, 1))
        held_out[gold_kind] = {
            key: sum(results[(best[1 - part], part)][gold_kind][key] *
                     results[(best[1 - part], part)][gold_kind]["articles"]
                     for part in (0, 1)) / total
            for key in ("bcubed_precision", "bcubed_recall", "bcubed_f1", "pairwise_f1")}
    best_all = max(system.thresholds, key=lambda t: results[(t, "all")]["event"]["bcubed_f1"])
    summary = {"thresholds_chosen_on_folds": [best[0], best[1]], "held_out": held_out,
               "best_threshold_on_all": best_all, "at_best_on_all": results[(best_all, "all")]}
    summary["curve"] = [{"threshold": t, "bcubed_f1": results[(t, "all")]["event"]["bcubed_f1"],
                         "bcubed_f1_by_language": results[(t, "all")]["event_lang"]["bcubed_f1"],
                         "stories": results[(t, "all")]["event"]["predicted_stories"]}
                        for t in system.thresholds]
    return summary


def time_both(khabar_binary, articles, workdir, with_baseline):
    corpus = Path(workdir) / "speed.jsonl"
    subprocess.run([khabar_binary, "bench", "--articles", str(articles), "--write-corpus",
                    str(corpus)], check=True, stdout=subprocess.DEVNULL)
    db = Path(workdir) / "speed.db"
    start = time.perf_counter()
    subprocess.run([khabar_binary, "--db", str(db), "ingest", "--quiet", str(corpus)], check=True,
                   stdout=subprocess.DEVNULL)
    khabar_seconds = time.perf_counter() - start
    result = {"articles": articles, "khabar_seconds": khabar_seconds}
    if with_baseline:
        from baseline_sklearn import cluster, read_articles

        _, texts = read_articles(corpus)
        cluster(texts[:2], 0.65, "average")  # imports scikit-learn outside the clock
        start = time.perf_counter()
        cluster(texts, 0.65, "average")
        result["baseline_seconds"] = time.perf_counter() - start
        result["baseline_over_khabar"] = result["baseline_seconds"] / khabar_seconds
    return result


def have_sklearn():
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


def print_report(report):
    def row(name, s, f1_key="bcubed_f1"):
        h = s["held_out"]
        return (f"| {name} | {s['thresholds_chosen_on_folds'][0]} / "
                f"{s['thresholds_chosen_on_folds'][1]} | {h['event']['bcubed_precision']:.3f} | "
                f"{h['event']['bcubed_recall']:.3f} | **{h['event']['bcubed_f1']:.3f}** | "
                f"{h['event']['pairwise_f1']:.3f} | {h['event_lang']['bcubed_f1']:.3f} | "
                f"{s['best_threshold_on_all']}: {s['at_best_on_all']['event'][f1_key]:.3f} |")

    c = report["corpus"]
    print(f"corpus: {c['articles']} articles ({c['english']} English) in {c['stories']} stories; "
          f"folds of {c['fold_stories'][0]} and {c['fold_stories'][1]} stories\n")
    print("| system | threshold (fold 0 / 1) | B3 precision | B3 recall | B3 F1 | pairwise F1 "
          "| B3 F1, by language | best on all: F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in ("khabar", "scikit-learn"):
        if name in report:
            print(row(name, report[name]))
    k = report["khabar"]
    print(f"\nkhabar at its default threshold: B3 F1 "
          f"{k['at_default']['event']['bcubed_f1']:.3f} "
          f"({k['at_default']['event_lang']['bcubed_f1']:.3f} by language)")
    if "speed" in report:
        s = report["speed"]
        line = (f"\nspeed on {s['articles']} generated articles: khabar ingest (all stages, "
                f"SQLite) {s['khabar_seconds']:.2f} s = {s['articles'] / s['khabar_seconds']:.0f}"
                f" articles/s")
        if "baseline_seconds" in s:
            line += (f"; scikit-learn TF-IDF + agglomerative {s['baseline_seconds']:.2f} s "
                     f"= {s['articles'] / s['baseline_seconds']:.0f} articles/s; the baseline "
                     f"takes {s['baseline_over_khabar']:.1f}x khabar's time")
        print(line)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--khabar", type=Path, default=ROOT / "build" / "khabar")
    parser.add_argument("--corpus", type=Path, default=ROOT / "data" / "stories" / "corpus.jsonl")
    parser.add_argument("--gold", type=Path, default=ROOT / "data" / "stories" / "gold.jsonl")
    parser.add_argument("--facts", type=Path, default=ROOT / "data" / "stories" / "facts.json",
                        help="the stories' event types, for the folds")
    parser.add_argument("--speed", type=int, default=0, metavar="N",
                        help="also time both systems on N generated articles")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--json", type=Path, help="write the full results here")
    parser.add_argument("--min-bcubed-f1", type=float, default=0.0)
    args = parser.parse_args(argv)
    if not args.khabar.exists():
        raise SystemExit(f"{args.khabar}: no khabar binary (build it, or pass --khabar)")
    with_baseline = not args.no_baseline and have_sklearn()
    if not args.no_baseline and not with_baseline:
        print("scikit-learn is not installed (Debian: python3-sklearn): baseline skipped",
              file=sys.stderr)

    corpus, gold = read_jsonl(args.corpus), read_jsonl(args.gold)
    if [r["id"] for r in corpus] != [g["id"] for g in gold]:
        raise SystemExit(f"{args.gold} does not label {args.corpus} line by line")
    fold = folds_of(json.loads(args.facts.read_text(encoding="utf-8")))
    if set(fold) != {g["story"] for g in gold}:
        raise SystemExit(f"{args.facts} and {args.gold} do not name the same stories")
    report = {"corpus": {"articles": len(corpus), "stories": len(fold),
                         "english": sum(g["lang"] == "en" for g in gold),
                         "fold_stories": [sum(f == k for f in fold.values()) for k in (0, 1)]}}
    with tempfile.TemporaryDirectory(prefix="khabar-eval-") as workdir:
        corpora = {"all": args.corpus}
        golds = {}
        for part in ("all", 0, 1):
            rows = [(c, g) for c, g in zip(corpus, gold) if part == "all" or fold[g["story"]] == part]
            if part != "all":
                corpora[part] = Path(workdir) / f"fold{part}.jsonl"
                write_jsonl(corpora[part], [c for c, _ in rows])
            golds[part] = {"event": {g["id"]: g["story"] for _, g in rows},
                           "event_lang": {g["id"]: f"{g['story']}/{g['lang']}" for _, g in rows}}
        khabar = Khabar(args.khabar, workdir)
        report["khabar"] = calibrated(khabar, evaluate(khabar, corpora, golds))
        report["khabar"]["at_default"] = scores(golds["all"], khabar.run(args.corpus, "default"))
        if with_baseline:
            baseline = Baseline()
            report["scikit-learn"] = calibrated(baseline, evaluate(baseline, corpora, golds))
        if args.speed > 0:
            report["speed"] = time_both(str(args.khabar), args.speed, workdir, with_baseline)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    held_out = report["khabar"]["held_out"]["event"]["bcubed_f1"]
    if held_out < args.min_bcubed_f1:
        raise SystemExit(f"khabar's held-out B-cubed F1 {held_out:.3f} is below the floor "
                         f"{args.min_bcubed_f1}")


if __name__ == "__main__":
    main(sys.argv[1:])
