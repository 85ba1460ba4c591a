#!/usr/bin/env python3
"""Picks the real articles of khabar's time-expression evaluation set (issue 18).

From SaudiNewsNet crawl days that are not story-labelled, one article per (day, outlet) in the
order of a hash of its URL, 700 to 5,000 characters of content, until --count articles. The
sample is reproducible: the same data and arguments give the same articles. The articles stay
in ../shared; this writes their URLs (data/extract/timex/sample.tsv) and, with --texts, a
JSONL of their texts outside the repository for the annotators.

    eval/make_timex_sample.py --data ../shared/data/saudinewsnet --count 48
    eval/make_timex_sample.py ... --texts /tmp/timex/articles.jsonl
    eval/make_timex_sample.py ... --days 2015-07-22,2015-07-24,2015-07-26,2015-07-29,2015-07-30,2015-08-02 \
        --count 16 --out data/extract/timex/heldout/sample.tsv    # the held-out set
"""
import argparse
import hashlib
import json
import zipfile
from pathlib import Path

DAYS = ["2015-07-21", "2015-07-23", "2015-07-25", "2015-08-01", "2015-08-04", "2015-08-07"]


def read_day(data, day):
    with zipfile.ZipFile(Path(data) / f"{day}.zip") as z:
        return json.loads(z.read(z.namelist()[0]))


def key(url):
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--count", type=int, default=48)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent /
                                             "data/extract/timex/sample.tsv"))
    parser.add_argument("--texts", help="also write the articles' texts here (JSONL)")
    parser.add_argument("--days", default=",".join(DAYS),
                        help="crawl days to pick from, comma-separated")
    args = parser.parse_args()

    by_outlet_day = {}
    for day in args.days.split(","):
        for a in read_day(args.data, day):
            if not 700 <= len(a.get("content") or "") <= 5000:
                continue
            by_outlet_day.setdefault((day, a["source"]), []).append(a)
    queues = {k: sorted(v, key=lambda a: key(a["url"])) for k, v in by_outlet_day.items()}
    picked, seen = [], set()
    # Round robin over (day, outlet), each in hash order: outlets and days spread evenly.
    while len(picked) < args.count and any(queues.values()):
        for k in sorted(queues, key=lambda k: key(f"{k[0]}|{k[1]}")):
            while queues[k] and queues[k][0]["url"] in seen:
                queues[k].pop(0)
            if queues[k] and len(picked) < args.count:
                a = queues[k].pop(0)
                seen.add(a["url"])
                picked.append((k[0], a))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# url\tcrawl day\toutlet (eval/make_timex_sample.py)\n")
        for day, a in picked:
            f.write(f"{a['url']}\t{day}\t{a['source']}\n")
    if args.texts:
        Path(args.texts).parent.mkdir(parents=True, exist_ok=True)
        with open(args.texts, "w", encoding="utf-8") as f:
            for day, a in picked:
                f.write(json.dumps({"url": a["url"], "day": day, "source": a["source"],
                                    "date_extracted": a["date_extracted"], "title": a["title"],
                                    "content": a["content"]}, ensure_ascii=False) + "\n")
    print(f"{len(picked)} articles from {len({a['source'] for _, a in picked})} outlets")


if __name__ == "__main__":
    main()
