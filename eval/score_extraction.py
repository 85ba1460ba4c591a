#!/usr/bin/env python3
"""Scores khabar's extraction against the hand-labelled sentences in data/extraction_test/.

    eval/score_extraction.py --khabar build/khabar            # run khabar extract, print scores
    eval/score_extraction.py --predictions out.jsonl          # score a saved `khabar extract` run
    eval/score_extraction.py --khabar build/khabar --errors   # and list every miss and false hit

Entities count as found when khabar gives the same type over the same bytes (strict); the
"overlap" columns accept a span that overlaps the labelled one, for a view of edge errors
apart from missed names. Counts match on (value, class, event), dates on their ISO value or
range (DATE and TIME expressions only, a time by its day); both are compared per sentence as
sets, so one date said twice is one date. A
title standing for a person named earlier (role_reference) is coreference, not a name, and
is left out. With --min-f1 TYPE=F (repeatable) the exit status is 1 when a type's strict F1
falls under F, so that CTest catches a change that loses accuracy.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SENTENCES = os.path.join(HERE, "..", "data", "extraction_test", "sentences.txt")

ENTITY_TYPES = {"PER": "person", "LOC": "place", "ORG": "organisation"}
MARK = re.compile(r"\[(PER|LOC|ORG) ([^\[\]]+)\]")


@dataclass
class Record:
    id: str
    published: str
    topic: str
    text: str = ""
    entities: set = field(default_factory=set)  # (type, byte begin, byte end)
    counts: set = field(default_factory=set)  # (value, class, event)
    dates: set = field(default_factory=set)  # ISO value or "begin..end"


class FormatError(ValueError):
    pass


def strip_marks(marked, where):
    """The text without its [TYPE …] marks, and the marked entities as byte spans in it."""
    text, entities, pos = bytearray(), set(), 0
    for m in MARK.finditer(marked):
        text += marked[pos:m.start()].encode()
        begin = len(text)
        text += m.group(2).encode()
        entities.add((ENTITY_TYPES[m.group(1)], begin, len(text)))
        pos = m.end()
    text += marked[pos:].encode()
    plain = text.decode()
    if "[" in plain or "]" in plain:
        raise FormatError(f"{where}: a bracket that is not an entity mark")
    return plain, entities


def parse_count(fields, where):
    if len(fields) != 4:
        raise FormatError(f"{where}: want `count VALUE CLASS EVENT`")
    value = fields[1].lstrip("~")
    try:
        number = float(value)
    except ValueError as e:
        raise FormatError(f"{where}: count value {fields[1]!r} is not a number") from e
    event = "" if fields[3] == "-" else fields[3]
    return (number, fields[2].replace("-", " "), event)


def read_sentences(path):
    records = []
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            where = f"{path}:{number}"
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("@ "):
                head = line[2:].split()
                if len(head) != 3:
                    raise FormatError(f"{where}: want `@ ID PUBLISHED TOPIC`")
                records.append(Record(*head))
                continue
            if not records:
                raise FormatError(f"{where}: text before the first `@` record")
            record, fields = records[-1], line.split()
            if fields[0] == "count":
                record.counts.add(parse_count(fields, where))
            elif fields[0] == "date":
                if len(fields) != 2:
                    raise FormatError(f"{where}: want `date VALUE`")
                record.dates.add(fields[1])
            elif record.text:
                raise FormatError(f"{where}: a second line of text in {record.id}")
            else:
                record.text, record.entities = strip_marks(line, where)
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        raise FormatError(f"{path}: a record id is used twice")
    return records


def predicted_sets(line):
    """The entities, counts and dates of one `khabar extract` JSON line, as the gold sets."""
    entities = {(m["type"], m["span"][0], m["span"][1])
                for m in line["mentions"]
                if not m.get("in_title") and not m.get("role_reference")}
    counts = {(float(c["value"]), c["what"], c["event"]) for c in line["counts"]}
    dates = set()
    for d in line["dates"]:
        # This set labels calendar dates: a length or a repetition is not one, and a time's
        # date is its day («مساء أمس» is yesterday's date).
        if d.get("type", "DATE") not in ("DATE", "TIME") or d["value"].endswith("_REF"):
            continue
        if d.get("type") == "TIME":
            day = d["value"].split("T")[0]
            if day.startswith("X"):  # «الساعة العاشرة صباحا» of no day the text says
                continue
            d = {**d, "value": day, "precision": "day"}
        if d.get("range") and d["precision"] not in ("day", "month", "year"):
            dates.add(f"{d['range'][0]}..{d['range'][1]}")
        elif d["value"]:
            dates.add(d["value"])
    return entities, counts, dates


def overlaps(a, b):
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold, predicted):
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def scores(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def overlap_tally(gold, predicted):
    tally = Tally()
    tally.tp = sum(1 for g in gold if any(overlaps(g, p) for p in predicted))
    tally.fn = len(gold) - tally.tp
    tally.fp = sum(1 for p in predicted if not any(overlaps(p, g) for g in gold))
    return tally


def score(records, predictions, errors=None):
    """Tallies per row of the report; `errors` (a list) collects every miss and false hit."""
    rows = {name: Tally() for name in
            ("person", "place", "organisation", "count", "date")}
    loose = {name: Tally() for name in ("person", "place", "organisation")}
    loose["count (value, class)"] = Tally()
    for record, line in zip(records, predictions):
        entities, counts, dates = predicted_sets(line)
        for kind in ("person", "place", "organisation"):
            gold = {e for e in record.entities if e[0] == kind}
            found = {e for e in entities if e[0] == kind}
            rows[kind].add(gold, found)
            o = overlap_tally(gold, found)
            loose[kind].tp += o.tp
            loose[kind].fp += o.fp
            loose[kind].fn += o.fn
            if errors is not None:
                report_misses(errors, record, "entity", gold, found,
                              lambda e: f"{e[0]} «{span_text(record.text, e)}»")
        rows["count"].add(record.counts, counts)
        loose["count (value, class)"].add({c[:2] for c in record.counts},
                                          {c[:2] for c in counts})
        rows["date"].add(record.dates, dates)
        if errors is not None:
            report_misses(errors, record, "count", record.counts, counts, str)
            report_misses(errors, record, "date", record.dates, dates, str)
    return rows, loose


def span_text(text, entity):
    return text.encode()[entity[1]:entity[2]].decode(errors="replace")


def report_misses(errors, record, what, gold, found, show):
    for g in sorted(gold - found, key=str):
        errors.append(f"{record.id} missed {what}: {show(g)}")
    for p in sorted(found - gold, key=str):
        errors.append(f"{record.id} false {what}: {show(p)}")


def run_khabar(khabar, records):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sentences.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps({"id": r.id, "text": r.text, "published": r.published},
                                   ensure_ascii=False) + "\n")
        done = subprocess.run([khabar, "extract", "--raw", "--format", "jsonl", path],
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"score_extraction: khabar extract failed ({done.returncode}): {done.stderr}")
    return [json.loads(line) for line in done.stdout.splitlines()]


def check_alignment(records, predictions):
    if len(predictions) != len(records):
        sys.exit(f"score_extraction: {len(records)} sentences, {len(predictions)} predictions")
    for record, line in zip(records, predictions):
        if line.get("external_id", record.id) != record.id or line["text"] != record.text:
            sys.exit(f"score_extraction: prediction for {record.id} is for another text")


def print_table(rows, loose):
    print(f"{'':22} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>4} {'fp':>4} {'fn':>4}")
    for name, tally in list(rows.items()) + [(f"{k} (overlap)" if "count" not in k else k, v)
                                             for k, v in loose.items()]:
        p, r, f = tally.scores()
        print(f"{name:22} {p:6.3f} {r:6.3f} {f:6.3f}   {tally.tp:4} {tally.fp:4} {tally.fn:4}")


def parse_id_range(text):
    first, _, last = text.partition("-")
    if not first or not last:
        raise argparse.ArgumentTypeError(f"want FIRST-LAST, got {text!r}")
    return first, last


def parse_floor(text):
    name, _, value = text.partition("=")
    if name not in ("person", "place", "organisation", "count", "date"):
        raise argparse.ArgumentTypeError(f"no type {name!r}")
    return name, float(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", default=DEFAULT_SENTENCES)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--khabar", help="the khabar binary to run")
    source.add_argument("--predictions", help="a saved `khabar extract --raw` JSONL output")
    parser.add_argument("--ids", type=parse_id_range, metavar="FIRST-LAST",
                        help="score only records FIRST to LAST (t001-t060)")
    parser.add_argument("--errors", action="store_true", help="list every miss and false hit")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--min-f1", type=parse_floor, action="append", default=[],
                        metavar="TYPE=F", help="fail when TYPE's strict F1 is under F")
    args = parser.parse_args()

    try:
        records = read_sentences(args.sentences)
    except FormatError as e:
        sys.exit(f"score_extraction: {e}")
    if args.khabar:
        predictions = run_khabar(args.khabar, records)
    else:
        with open(args.predictions, encoding="utf-8") as f:
            predictions = [json.loads(line) for line in f if line.strip()]
    check_alignment(records, predictions)
    if args.ids:
        kept = [i for i, r in enumerate(records) if args.ids[0] <= r.id <= args.ids[1]]
        records = [records[i] for i in kept]
        predictions = [predictions[i] for i in kept]

    errors = [] if args.errors else None
    rows, loose = score(records, predictions, errors)
    if args.json:
        print(json.dumps({name: dict(zip(("precision", "recall", "f1"), t.scores()))
                          for name, t in rows.items()}, indent=2))
    else:
        print(f"{len(records)} sentences, {sum(len(r.entities) for r in records)} entities, "
              f"{sum(len(r.counts) for r in records)} counts, "
              f"{sum(len(r.dates) for r in records)} dates")
        print_table(rows, loose)
    for line in errors or []:
        print(line)

    failed = [f"{name} F1 {rows[name].scores()[2]:.3f} < {floor}"
              for name, floor in args.min_f1 if rows[name].scores()[2] < floor]
    if failed:
        print("score_extraction: under the floor: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
