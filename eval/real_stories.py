#!/usr/bin/env python3
"""Scores khabar's stories on real, hand-labelled news: SaudiNewsNet crawl days.

    eval/real_stories.py [--khabar build/khabar] [--day 2015-08-03 ...] [--baseline]
                         [--threshold P ...] [--json results.json]
                         [--min-pairwise-f1 F] [--min-bcubed-f1 F]

Each labelled day is converted the way the labels were made (the JSON's order, articles whose
content has fewer than 50 characters left out, `published` from the crawl time), ingested into a
new store at khabar's defaults, and scored against its labels three ways: fine (the labels as
written), strict (without the articles flagged `a` or `o`) and coarse (event complexes joined
through the day's coarse.tsv). Each day is streamed twice: alone, and after the three crawl
days before it, so that stories growing across days, and beats that repeat daily, are met as
they would be in a store that has been running; only the labelled day's articles are scored.

`--baseline` adds the scikit-learn baseline (eval/baseline_sklearn.py: TF-IDF and average-link
agglomerative clustering over the whole day at once) at its best cut on the same day, found by a
sweep: an optimistic baseline. `--threshold` scores khabar at other story thresholds too.

Labels: ../shared/data/saudinewsnet/labels/ (2015-08-03, the development day) and
data/stories/saudinewsnet/ (days labelled for khabar, see its README). The corpus stays in
../shared: it is read from its ZIPs into a temporary directory and never copied here.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from score_clusters import score

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "saudinewsnet"
LABEL_DIRS = [DATA / "labels", ROOT / "data" / "stories" / "saudinewsnet"]
MIN_CONTENT_CHARS = 50  # the labels' own cut: shorter contents are crawl failures
BASELINE_CUTS = [round(0.50 + 0.025 * i, 3) for i in range(19)]  # cosine distance 0.5 .. 0.95


def crawl_days(data):
    return sorted(p.stem for p in data.glob("*.zip"))


def read_day(data, day):
    with zipfile.ZipFile(data / f"{day}.zip") as z:
        name = next(n for n in z.namelist() if n.endswith(".json"))
        return json.loads(z.read(name).decode("utf-8"))


def iso_time(crawl_time):
    try:
        return datetime.strptime(crawl_time, "%Y-%m-%d %H:%M:%S").strftime("%Y-%m-%dT%H:%M:%S")
    except (TypeError, ValueError):
        return None


def as_jsonl_rows(articles):
    """khabar's JSONL input: the article's URL is its id, so predictions meet the labels."""
    rows = []
    for a in articles:
        if len(a.get("content") or "") < MIN_CONTENT_CHARS:
            continue
        row = {"id": a["url"], "title": a.get("title") or "", "text": a["content"],
               "source": a.get("source") or ""}
        published = iso_time(a.get("date_extracted"))
        if published:
            row["published"] = published
        rows.append(row)
    return rows


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def tsv_rows(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line.split("\t")


def label_files(day):
    for directory in LABEL_DIRS:
        if (directory / f"{day}.labels.tsv").exists():
            return directory
    return None


def read_gold(day):
    """{"fine", "strict", "coarse"}: url -> story."""
    directory = label_files(day)
    fine, flagged = {}, set()
    for row in tsv_rows(directory / f"{day}.labels.tsv"):
        url, story = row[0], row[1]
        fine[url] = story
        if len(row) > 2 and row[2].strip():
            flagged.add(url)
    coarse_of = {}
    if (directory / f"{day}.coarse.tsv").exists():
        coarse_of = {row[0]: row[1] for row in tsv_rows(directory / f"{day}.coarse.tsv")}
    return {"fine": fine,
            "strict": {u: s for u, s in fine.items() if u not in flagged},
            "coarse": {u: coarse_of.get(s, s) for u, s in fine.items()}}


def run_khabar(binary, workdir, inputs, threshold, extra=()):
    db = Path(workdir) / "stories.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    option = ([] if threshold is None else ["--story-threshold", str(threshold)]) + list(extra)
    for path in inputs:  # one ingest a day, as a monitor adds each day's crawl
        # Exit status 1: stored, with some inputs rejected (crawl failures, empty after cleaning).
        done = subprocess.run([binary, "--db", str(db), "ingest", "--quiet", *option, str(path)],
                              stdout=subprocess.DEVNULL)
        if done.returncode not in (0, 1):
            raise SystemExit(f"khabar ingest {path} failed with exit status {done.returncode}")
    out = subprocess.run([binary, "--db", str(db), "stories", "--assignments"], check=True,
                         capture_output=True, text=True).stdout
    predicted = {}
    for number, line in enumerate(out.splitlines(), 1):
        row = json.loads(line)
        if row.get("external_id"):
            story = row["story"]
            predicted[row["external_id"]] = f"alone:{number}" if story is None else str(story)
    return predicted


def scored(gold, predicted):
    out = {}
    for variant, labels in gold.items():
        missing = [u for u in labels if u not in predicted]
        if missing:
            raise SystemExit(f"khabar placed no story for {len(missing)} labelled articles, "
                             f"such as {missing[0]}")
        out[variant] = score(labels, predicted)
    return out


def baseline_best(rows, gold):
    from baseline_sklearn import cluster

    labelled = [r for r in rows if r["id"] in gold["fine"]]
    texts = [r["title"] + "\n" + r["text"] for r in labelled]
    best = None
    for cut in BASELINE_CUTS:
        labels = cluster(texts, cut, "average")
        predicted = {r["id"]: str(label) for r, label in zip(labelled, labels)}
        result = scored(gold, predicted)
        if best is None or result["fine"]["pairwise_f1"] > best[1]["fine"]["pairwise_f1"]:
            best = (cut, result)
    return {"cut": best[0], **best[1]}


def evaluate_day(args, day, days, workdir):
    index = days.index(day)
    gold = read_gold(day)
    rows = as_jsonl_rows(read_day(args.data, day))
    path = Path(workdir) / f"{day}.jsonl"
    write_jsonl(path, rows)
    before = []
    for earlier in days[max(0, index - 3):index]:
        before.append(Path(workdir) / f"{earlier}.jsonl")
        if not before[-1].exists():
            write_jsonl(before[-1], as_jsonl_rows(read_day(args.data, earlier)))
    result = {"day": day, "articles": len(gold["fine"]),
              "stories": len(set(gold["fine"].values())),
              "days_before": [p.stem for p in before]}
    for threshold in [None, *args.threshold]:
        name = "default" if threshold is None else str(threshold)
        result[name] = {"alone": scored(gold, run_khabar(args.khabar, workdir, [path], threshold))}
        if before and not args.alone_only:
            result[name]["after"] = scored(
                gold, run_khabar(args.khabar, workdir, [*before, path], threshold))
    if args.baseline:
        result["baseline"] = baseline_best(rows, gold)
    return result


def line(name, s):
    return (f"| {name} | {s['fine']['pairwise_precision']:.3f} / {s['fine']['pairwise_recall']:.3f}"
            f" / **{s['fine']['pairwise_f1']:.3f}** | **{s['fine']['bcubed_f1']:.3f}** | "
            f"{s['strict']['pairwise_f1']:.3f} / {s['strict']['bcubed_f1']:.3f} | "
            f"{s['coarse']['pairwise_f1']:.3f} / {s['coarse']['bcubed_f1']:.3f} | "
            f"{s['fine']['predicted_stories']} |")


def print_report(results):
    for r in results:
        print(f"\n{r['day']}: {r['articles']} labelled articles in {r['stories']} stories; "
              f"'after' streams {', '.join(r['days_before']) or 'nothing'} first\n")
        print("| run | fine pairwise P / R / F1 | fine B3 F1 | strict pairwise / B3 F1 "
              "| coarse pairwise / B3 F1 | predicted stories |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, runs in r.items():
            if isinstance(runs, dict) and "alone" in runs:
                label = "khabar" if name == "default" else f"khabar, threshold {name}"
                for mode, s in runs.items():
                    print(line(f"{label}, {mode}", s))
        if "baseline" in r:
            print(line(f"scikit-learn baseline at its best cut ({r['baseline']['cut']})",
                       r["baseline"]))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--khabar", default=str(ROOT / "build" / "khabar"))
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--day", action="append", help="labelled days (default: every one)")
    parser.add_argument("--threshold", action="append", type=float, default=[])
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--alone-only", action="store_true", help="skip the 'after' runs")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--min-pairwise-f1", action="append", default=[], metavar="DAY=F",
                        help="fail when the day's fine pairwise F1 at the defaults, alone or "
                             "after the days before it, is below F")
    parser.add_argument("--min-bcubed-f1", action="append", default=[], metavar="DAY=F")
    args = parser.parse_args(argv)
    if not Path(args.khabar).exists():
        raise SystemExit(f"{args.khabar}: no khabar binary (build it, or pass --khabar)")
    if not args.data.is_dir():
        print(f"{args.data}: no SaudiNewsNet here (../shared/data/saudinewsnet): skipped",
              file=sys.stderr)
        sys.exit(77)
    days = crawl_days(args.data)
    labelled = [d for d in days if label_files(d)]
    chosen = args.day or labelled
    for day in chosen:
        if day not in labelled:
            raise SystemExit(f"{day}: no labels in {', '.join(map(str, LABEL_DIRS))}")
    with tempfile.TemporaryDirectory(prefix="khabar-real-") as workdir:
        results = [evaluate_day(args, day, days, workdir) for day in chosen]
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    failures = []
    floors = [("pairwise_f1", f) for f in args.min_pairwise_f1] + \
             [("bcubed_f1", f) for f in args.min_bcubed_f1]
    for key, floor in floors:
        day, _, value = floor.partition("=")
        for r in results:
            if r["day"] != day:
                continue
            for mode, s in r["default"].items():
                if s["fine"][key] < float(value):
                    failures.append(f"{day} {mode}: fine {key} {s['fine'][key]:.3f} < {value}")
    if failures:
        raise SystemExit("below the floor: " + "; ".join(failures))


if __name__ == "__main__":
    main(sys.argv[1:])
