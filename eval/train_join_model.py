#!/usr/bin/env python3
"""Trains the story join model (data/cluster/join_model.tsv) on hand-labelled real news.

    /usr/bin/python3 eval/train_join_model.py [--features build/eval/join_features]
                                              [--khabar build/khabar] [--out data/cluster/join_model.tsv]
                                              [--check]

Every labelled SaudiNewsNet day (eval/real_stories.py finds them) is streamed through
build/eval/join_features, which compares each article, as khabar ingest would, with the members
of its candidate stories, the stories built from the labels (fine variant). A logistic
regression (scikit-learn, L2, --C, 0.1 by default) fitted on those pairs gives the probability that an article
and a member report one happening. Its coefficients, with this command and the data they came
from, are written to --out, which khabar compiles in.

One weight is not fitted, because a labelled day cannot show it: `days_apart` (the days between
an article and a story's nearest member, up to the 72-hour window) is set by
--days-apart-weight, chosen on the labelled days streamed after the three crawl days before them
(eval/real_stories.py), where stories from earlier days compete.

Before writing, each day is held out in turn: a model fitted on the other days is scored on it
by khabar ingest --story-model (the leave-one-day-out scores are printed and recorded in the
model file). --check re-trains and fails when the result differs from --out (a stale model).
Needs Debian's python3-sklearn.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import real_stories

ROOT = Path(__file__).resolve().parent.parent
FITTED = ["head", "title", "numbers", "entities", "places", "dates", "shared_names", "names_contained", "competing",
          "lead_numbers_disjoint", "story_body", "story_head"]


def day_rows(features_binary, workdir, day, variant="fine", online_model=None):
    """(articles, rows): one row a compared member, [article, same, *features]. With
    online_model, the candidates are the stories that model's clusterer made (join_features
    --online), not the gold ones."""
    rows_path = Path(workdir) / f"{day}.jsonl"
    labels_path = Path(workdir) / f"{day}.labels"
    if not rows_path.exists():
        real_stories.write_jsonl(rows_path, real_stories.as_jsonl_rows(
            real_stories.read_day(real_stories.DATA, day)))
    gold = real_stories.read_gold(day)[variant]
    labels_path.write_text("".join(f"{u}\t{s}\n" for u, s in gold.items()), encoding="utf-8")
    online = [] if online_model is None else ["--online", "--model", str(online_model)]
    out = subprocess.run([str(features_binary), *online, str(labels_path), str(rows_path)],
                         check=True, capture_output=True, text=True)
    lines = out.stdout.splitlines()
    names = lines[0].lstrip("# ").split("\t")[2:]
    rows = [[float(x) for x in line.split("\t")] for line in lines[1:]]
    print(f"{day}: {out.stderr.strip()}", file=sys.stderr)
    return names, rows


REGULARISATION = [1.0]


def fit(names, rows):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    data = np.array(rows)
    columns = [2 + names.index(n) for n in FITTED]
    model = LogisticRegression(C=REGULARISATION[0], max_iter=5000).fit(data[:, columns], data[:, 1])
    weights = dict(zip(FITTED, (float(w) for w in model.coef_[0])))
    return float(model.intercept_[0]), weights


def model_text(intercept, weights, days_apart_weight, comment_lines):
    lines = [f"# {c}" for c in comment_lines]
    lines.append(f"intercept\t{intercept:.4f}")
    for name in FITTED:
        lines.append(f"{name}\t{weights[name]:.4f}")
    lines.append(f"days_apart\t{days_apart_weight:.4f}")
    return "\n".join(lines) + "\n"


def fitted(args, days, rows_by_day, names, workdir):
    """(intercept, weights) fitted on the days' teacher-forced rows and, with --online, on the
    rows of the clusterer that model makes, streamed over the same days."""
    rows = [r for d in days for r in rows_by_day[d]]
    intercept, weights = fit(names, rows)
    for _ in range(args.online):
        path = Path(workdir) / "online-model.tsv"
        path.write_text(model_text(intercept, weights, args.days_apart_weight, []),
                        encoding="utf-8")
        online_rows = [r for d in days
                       for r in day_rows(args.features, workdir, d, args.variant, path)[1]]
        intercept, weights = fit(names, rows + online_rows)
    return intercept, weights


def held_out_scores(args, days, rows_by_day, names, workdir):
    """{threshold: {day: scores}} of models fitted without the day, at each threshold."""
    scores = {t: {} for t in args.threshold}
    for day in days:
        intercept, weights = fitted(args, [d for d in days if d != day], rows_by_day, names,
                                    workdir)
        path = Path(workdir) / f"without-{day}.tsv"
        path.write_text(model_text(intercept, weights, args.days_apart_weight, []),
                        encoding="utf-8")
        jsonl = Path(workdir) / f"{day}.jsonl"
        for t in args.threshold:
            predicted = real_stories.run_khabar(str(args.khabar), workdir, [jsonl], t,
                                                ["--story-model", str(path)])
            scores[t][day] = real_stories.scored(real_stories.read_gold(day), predicted)
            s = scores[t][day]
            print(f"held out {day}, threshold {t}: fine pairwise P "
                  f"{s['fine']['pairwise_precision']:.3f} R {s['fine']['pairwise_recall']:.3f} "
                  f"F1 {s['fine']['pairwise_f1']:.3f}, B3 F1 {s['fine']['bcubed_f1']:.3f}; strict "
                  f"pairwise F1 {s['strict']['pairwise_f1']:.3f}, B3 F1 {s['strict']['bcubed_f1']:.3f}",
                  file=sys.stderr)
    return scores


def mean_f1(by_day):
    """What a threshold is chosen by: the mean over days of fine pairwise and B3 F1."""
    return sum(s["fine"]["pairwise_f1"] + s["fine"]["bcubed_f1"]
               for s in by_day.values()) / (2 * len(by_day))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=Path, default=ROOT / "build" / "eval" / "join_features")
    parser.add_argument("--khabar", type=Path, default=ROOT / "build" / "khabar")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "cluster" / "join_model.tsv")
    parser.add_argument("--days-apart-weight", type=float, default=0.0)
    parser.add_argument("--threshold", type=float, action="append",
                        help="story thresholds scored on held-out days (default 0.2 to 0.5)")
    parser.add_argument("--variant", default="fine", choices=["fine", "coarse"],
                        help="the labels the pairs are drawn from")
    parser.add_argument("--no-held-out", action="store_true", help="skip leave-one-day-out")
    parser.add_argument("--check", action="store_true",
                        help="fail when --out is not what training gives now")
    parser.add_argument("--C", type=float, default=0.1, help="inverse L2 strength")
    parser.add_argument("--online", type=int, default=0,
                        help="rounds of refitting on the stories the fitted model makes itself")
    args = parser.parse_args(argv)
    REGULARISATION[0] = args.C
    args.threshold = args.threshold or [0.1, 0.15, 0.2, 0.25, 0.3, 0.4]
    days = [d for d in real_stories.crawl_days(real_stories.DATA) if real_stories.label_files(d)]
    with tempfile.TemporaryDirectory(prefix="khabar-train-") as workdir:
        rows_by_day, names = {}, None
        for day in days:
            names, rows_by_day[day] = day_rows(args.features, workdir, day, args.variant)
        comments = [
            "The story join model: P(an article and a story's member report one happening).",
            f"Made by: /usr/bin/python3 eval/train_join_model.py --C {args.C}"
            f" --days-apart-weight {args.days_apart_weight}",
            "Data: SaudiNewsNet crawl days " + ", ".join(days) + " (../shared/data/saudinewsnet),",
            "  labelled by story, fine variant (labels: ../shared/data/saudinewsnet/labels/ and",
            "  data/stories/saudinewsnet/); pairs from build/eval/join_features, "
            f"{sum(len(r) for r in rows_by_day.values())} compared members.",
            f"Logistic regression (scikit-learn, L2, C={args.C}) on every feature but days_apart, which is",
            "  set by hand from the multi-day runs (README, Stories).",
        ]
        if not args.no_held_out and not args.check:
            scores = held_out_scores(args, days, rows_by_day, names, workdir)
            best = max(args.threshold, key=lambda t: mean_f1(scores[t]))
            comments.append("Leave-one-day-out (fit on the other days, khabar ingest on the day "
                            "alone), fine pairwise / B3 F1:")
            for t in args.threshold:
                comments.append(f"  threshold {t}: " + "; ".join(
                    f"{day} {s['fine']['pairwise_f1']:.3f} / {s['fine']['bcubed_f1']:.3f}"
                    for day, s in scores[t].items()) + (" (best)" if t == best else ""))
        intercept, weights = fitted(args, days, rows_by_day, names, workdir)
    text = model_text(intercept, weights, args.days_apart_weight, comments)
    if args.check:
        def numbers(t):
            return [line for line in t.splitlines() if line and not line.startswith("#")]
        if numbers(text) != numbers(args.out.read_text(encoding="utf-8")):
            raise SystemExit(f"{args.out} is not what training gives now: run {comments[1][9:]}")
        print(f"{args.out} is current")
        return
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
