#!/usr/bin/env python3
"""Scores khabar's time expressions against hand-labelled real news (issue 18).

data/extract/timex/labels.jsonl marks every time expression of 64 SaudiNewsNet articles with
its TIMEX3 type and value (data/extract/timex/README.md says how). The articles stay in
../shared/data/saudinewsnet; this reads them from there, runs `khabar extract --raw` on each
(the text as crawled, published at the crawl time), and compares:

- spans, strict (the same characters) and relaxed (overlapping), one to one, over DATE, TIME
  and DURATION together (SET apart), as precision, recall and F1;
- recall per type, and of calendar DATEs (a day, a month or a year that names the calendar);
- value accuracy on the matched DATEs, at the gold granularity (khabar's value cut to it).

    eval/score_timex.py --khabar build/khabar
    eval/score_timex.py --khabar build/khabar --errors     # every miss and false alarm
    eval/score_timex.py --check                            # the labels alone: well-formed?
    eval/score_timex.py ... --min relaxed_f1=0.5 --min date_precision=0.95   # floors

Exit status 77 when ../shared/data/saudinewsnet is missing (CTest skips), 1 below a floor.
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE.parent / "data/extract/timex/labels.jsonl"
SAMPLE = HERE.parent / "data/extract/timex/sample.tsv"
SCORED_TYPES = ("DATE", "TIME", "DURATION")
VALUE = re.compile(
    r"^(PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|[0-9X]{2,4}(-[0-9X]{2}(-[0-9X]{2})?)?(T([0-9X]{2}:[0-9X]{2}|MO|AF|EV|NI|DT))?"
    r"|[0-9X]{4}-(SP|SU|FA|WI|Q[1-4X]|H[12X]|W[0-9X]{2}(-[1-7])?)"
    r"|XXXX-WXX-[1-7]"
    r"|P([0-9.X]+[YMWD])*(T([0-9.X]+[HMS])+)?)$")
CALENDAR = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


def read_sample(path=SAMPLE):
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            url, day, outlet = line.split("\t")
            rows.append((url, day, outlet))
    return rows


def read_articles(data, sample):
    wanted = {}
    for url, day, _ in sample:
        wanted.setdefault(day, set()).add(url)
    articles = {}
    for day, urls in wanted.items():
        with zipfile.ZipFile(Path(data) / f"{day}.zip") as z:
            name = next(n for n in z.namelist() if n.endswith(".json"))
            for a in json.loads(z.read(name).decode("utf-8")):
                if a["url"] in urls and a["url"] not in articles:
                    articles[a["url"]] = a
    return articles


def read_labels(articles, problems, path=LABELS):
    """url -> [gold expression with its character span]."""
    gold = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        e = json.loads(line)
        where = f"{Path(path).name}:{n}"
        article = articles.get(e["url"])
        if article is None:
            problems.append(f"{where}: {e['url']} is not in the sample")
            continue
        content, text, k = article["content"], e["text"], e["occurrence"]
        at = -1
        for _ in range(k):
            at = content.find(text, at + 1)
            if at < 0:
                break
        if at < 0 or not text:
            problems.append(f"{where}: «{text}» has no occurrence {k}")
            continue
        if e["type"] not in ("DATE", "TIME", "DURATION", "SET"):
            problems.append(f"{where}: type {e['type']!r}")
        for field in ("value", "end_value"):
            if e.get(field) is not None and not VALUE.match(e[field]):
                problems.append(f"{where}: {field} {e[field]!r} is not a TIMEX3 value")
        if e.get("value") is None:
            problems.append(f"{where}: no value")
        gold.setdefault(e["url"], []).append({**e, "span": (at, at + len(text))})
    return gold


def run_khabar(binary, articles):
    """url -> [{span (characters), value, text}] from `khabar extract --raw`."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "timex.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for url, a in articles.items():
                row = {"id": url, "title": a.get("title") or "", "text": a["content"]}
                if a.get("date_extracted"):
                    row["published"] = a["date_extracted"].replace(" ", "T")
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        out = subprocess.run([binary, "extract", "--raw", str(path)], check=True,
                             capture_output=True, text=True, encoding="utf-8").stdout
    found = {}
    for line in out.splitlines():
        record = json.loads(line)
        raw = record["text"].encode("utf-8")
        dates = []
        for d in record.get("dates", []):
            begin, end = d["span"]
            # khabar's spans are UTF-8 byte offsets; the labels' are characters.
            begin_chars = len(raw[:begin].decode("utf-8", errors="ignore"))
            end_chars = len(raw[:end].decode("utf-8", errors="ignore"))
            dates.append({"span": (begin_chars, end_chars), "value": d.get("value") or "",
                          "type": d.get("type", "DATE"), "text": d.get("text", "")})
        found[record["external_id"]] = dates
    return found


def match(gold, predicted, relaxed):
    """One-to-one pairs (gold index, predicted index), longest overlap first."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            (gb, ge), (pb, pe) = g["span"], p["span"]
            overlap = min(ge, pe) - max(gb, pb)
            if (relaxed and overlap > 0) or (not relaxed and (gb, ge) == (pb, pe)):
                candidates.append((-overlap, i, j))
    pairs, used_gold, used_predicted = [], set(), set()
    for _, i, j in sorted(candidates):
        if i not in used_gold and j not in used_predicted:
            pairs.append((i, j))
            used_gold.add(i)
            used_predicted.add(j)
    return pairs


def value_right(gold_value, predicted_value):
    """At the gold granularity: khabar's value cut to the gold value's length; a day's ISO
    week for a gold week."""
    week = re.match(r"^([0-9]{4})-W([0-9]{2})$", gold_value)
    day = re.match(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})", predicted_value)
    if week and day:
        iso = date(int(day[1]), int(day[2]), int(day[3])).isocalendar()
        return (iso[0], iso[1]) == (int(week[1]), int(week[2]))
    if not CALENDAR.match(gold_value):
        return predicted_value == gold_value
    return predicted_value[:len(gold_value)] == gold_value


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold, found, errors):
    totals = {"strict": [0, 0, 0], "relaxed": [0, 0, 0]}
    by_type = {t: [0, 0] for t in ("DATE", "TIME", "DURATION", "SET")}  # found, all
    calendar = [0, 0]
    values = [0, 0]  # right, matched DATEs
    date_alarms = [0, 0]  # khabar's DATEs on a labelled expression, all khabar's DATEs
    for url in sorted(set(gold) | set(found)):
        golds = gold.get(url, [])
        scored_gold = [g for g in golds if g["type"] in SCORED_TYPES]
        predicted = found.get(url, [])
        for mode in ("strict", "relaxed"):
            pairs = match(scored_gold, predicted, relaxed=mode == "relaxed")
            # khabar's expressions that meet a SET are neither right nor wrong.
            set_hits = {j for _, j in match([g for g in golds if g["type"] == "SET"], predicted,
                                            relaxed=True)}
            tp = len(pairs)
            fp = len(predicted) - tp - len(set_hits - {j for _, j in pairs})
            totals[mode][0] += tp
            totals[mode][1] += fp
            totals[mode][2] += len(scored_gold) - tp
        pairs = dict(match(golds, predicted, relaxed=True))
        hit = set(pairs.values())
        for j, p in enumerate(predicted):
            if p["type"] == "DATE":
                date_alarms[1] += 1
                date_alarms[0] += j in hit
        for i, g in enumerate(golds):
            by_type[g["type"]][1] += 1
            if g["type"] == "DATE" and CALENDAR.match(g["value"]):
                calendar[1] += 1
            if i not in pairs:
                if errors:
                    print(f"missed  {g['type']:8} {g['value']:12} «{g['text']}»  {url}")
                continue
            by_type[g["type"]][0] += 1
            p = predicted[pairs[i]]
            if g["type"] == "DATE":
                calendar[0] += 1 if CALENDAR.match(g["value"]) else 0
                values[1] += 1
                right = value_right(g["value"], p["value"])
                values[0] += right
                if errors and not right:
                    print(f"value   {g['value']:12} khabar {p['value']:12} «{g['text']}»  {url}")
        if errors:
            matched = set(pairs.values())
            for j, p in enumerate(predicted):
                if j not in matched:
                    print(f"alarm   {p['value']:21} «{p['text']}»  {url}")
    out = {}
    for mode, (tp, fp, fn) in totals.items():
        out[f"{mode}_precision"], out[f"{mode}_recall"], out[f"{mode}_f1"] = prf(tp, fp, fn)
    for t, (hit, n) in by_type.items():
        out[f"{t.lower()}_recall"] = hit / n if n else 0.0
        out[f"{t.lower()}_count"] = n
    out["calendar_date_recall"] = calendar[0] / calendar[1] if calendar[1] else 0.0
    out["calendar_date_count"] = calendar[1]
    out["date_value_accuracy"] = values[0] / values[1] if values[1] else 0.0
    # Of khabar's DATEs, the share on a labelled expression (relaxed).
    out["date_precision"] = date_alarms[0] / date_alarms[1] if date_alarms[1] else 0.0
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(HERE.parent.parent / "shared/data/saudinewsnet"))
    parser.add_argument("--khabar")
    parser.add_argument("--check", action="store_true", help="check the labels only")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--min", action="append", default=[], metavar="MEASURE=FLOOR")
    parser.add_argument("--labels", default=str(LABELS),
                        help="the labels (default: the development set; data/extract/timex/"
                             "heldout/labels.jsonl is the held-out one)")
    parser.add_argument("--sample", default=str(SAMPLE), help="the articles the labels are of")
    args = parser.parse_args()
    if not Path(args.data).is_dir():
        print(f"score_timex: {args.data} is missing; skipped", file=sys.stderr)
        return 77
    articles = read_articles(args.data, read_sample(args.sample))
    problems = []
    gold = read_labels(articles, problems, args.labels)
    for p in problems:
        print(p, file=sys.stderr)
    expressions = sum(len(v) for v in gold.values())
    print(f"{expressions} labelled expressions in {len(gold)} of {len(articles)} articles")
    if args.check:
        return 1 if problems else 0
    if not args.khabar:
        parser.error("--khabar is needed to score")
    result = score(gold, run_khabar(args.khabar, articles), args.errors)
    print("| measure | value |\n| --- | --- |")
    for k, v in result.items():
        print(f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    failed = False
    for spec in args.min:
        name, floor = spec.split("=")
        if result[name] < float(floor):
            print(f"score_timex: {name} {result[name]:.3f} is below its floor {floor}",
                  file=sys.stderr)
            failed = True
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
