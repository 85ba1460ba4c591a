#!/usr/bin/env python3
"""Scores named entities in CoNLL files the way conlleval does, per type and micro-averaged.

Input: lines `token<TAB>gold<TAB>predicted` in BIO (B-PERS, I-LOC, O...), a blank line between
sentences, as eval/ner_tagger writes them.

  eval/score_ner.py OUT/tagger.conll [--types PERS,LOC,ORG] [--min exact_micro_f1=0.80 ...]

- exact: a predicted name counts when its type and both edges are the gold name's (conlleval);
- partial: when it overlaps a gold name of its type, each gold name matched at most once.
Micro averages are over --types (MISC is reported but left out by default). An I- tag after a
tag of another type starts a name, as in conlleval. With --min, exits 1 when a figure is below
its floor.
"""
import argparse
import json
import sys


def chunks(tags):
    """[(type, first, last_exclusive)] from one sentence's BIO tags."""
    out = []
    current = None
    for i, tag in enumerate(tags + ["O"]):
        kind = tag[2:] if tag != "O" else None
        starts = tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[0] != kind))
        if current is not None and (tag == "O" or starts):
            out.append((current[0], current[1], i))
            current = None
        if starts:
            current = (kind, i)
    return out


def read(path):
    """[(gold tags, predicted tags)] per sentence."""
    sentences = []
    gold, predicted = [], []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                if gold:
                    sentences.append((gold, predicted))
                gold, predicted = [], []
                continue
            fields = line.split("\t")
            if len(fields) < 3:
                raise SystemExit(f"{path}:{number}: expected token<TAB>gold<TAB>predicted")
            gold.append(fields[-2])
            predicted.append(fields[-1])
    if gold:
        sentences.append((gold, predicted))
    return sentences


def f1(tp_p, n_p, tp_r, n_g):
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_g if n_g else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "gold": n_g, "predicted": n_p}


def score(sentences, types):
    counts = {}  # type -> [exact tp, partial tp predicted, partial tp gold, n predicted, n gold]
    for gold_tags, predicted_tags in sentences:
        gold = chunks(gold_tags)
        predicted = chunks(predicted_tags)
        gold_set = set(gold)
        for kind, _, _ in gold + predicted:
            counts.setdefault(kind, [0, 0, 0, 0, 0])
        for chunk in predicted:
            counts[chunk[0]][3] += 1
            if chunk in gold_set:
                counts[chunk[0]][0] += 1
        for chunk in gold:
            counts[chunk[0]][4] += 1
        used = set()
        for kind, b, e in predicted:
            for j, (gkind, gb, ge) in enumerate(gold):
                if gkind == kind and j not in used and gb < e and b < ge:
                    used.add(j)
                    counts[kind][1] += 1
                    break
        counts_gold_hit = {}
        for j in used:
            counts_gold_hit[gold[j][0]] = counts_gold_hit.get(gold[j][0], 0) + 1
        for kind, n in counts_gold_hit.items():
            counts[kind][2] += n
    result = {"exact": {}, "partial": {}}
    totals = [0, 0, 0, 0, 0]
    for kind in sorted(counts):
        c = counts[kind]
        result["exact"][kind] = f1(c[0], c[3], c[0], c[4])
        result["partial"][kind] = f1(c[1], c[3], c[2], c[4])
        if kind in types:
            totals = [a + b for a, b in zip(totals, c)]
    result["exact"]["micro"] = f1(totals[0], totals[3], totals[0], totals[4])
    result["partial"]["micro"] = f1(totals[1], totals[3], totals[2], totals[4])
    return result


def flat(result):
    """exact_micro_f1, partial_pers_p, ... for --min."""
    out = {}
    for match, per_type in result.items():
        for kind, figures in per_type.items():
            for name in ("p", "r", "f1"):
                out[f"{match}_{kind.lower()}_{name}"] = figures[name]
    return out


def below_floors(figures, floors):
    """How many of `floors` (FIGURE=FLOOR) the figures fall below, each said on stderr."""
    below = 0
    for floor in floors:
        name, _, value = floor.partition("=")
        if name not in figures:
            raise SystemExit(f"--min {floor}: no figure named {name}; one of {', '.join(sorted(figures))}")
        if figures[name] < float(value):
            print(f"FAIL {name} {figures[name]:.3f} < {value}", file=sys.stderr)
            below += 1
    return below


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("conll")
    parser.add_argument("--types", default="PERS,LOC,ORG")
    parser.add_argument("--min", action="append", default=[], metavar="FIGURE=FLOOR")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = score(read(args.conll), set(args.types.split(",")))
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{'':8} {'exact P':>8} {'R':>6} {'F1':>6}   {'partial F1':>10} {'gold':>6}")
        for kind in list(k for k in result["exact"] if k != "micro") + ["micro"]:
            e = result["exact"][kind]
            print(f"{kind:8} {e['p']:8.3f} {e['r']:6.3f} {e['f1']:6.3f}   "
                  f"{result['partial'][kind]['f1']:10.3f} {e['gold']:6d}")
    return 0 if below_floors(flat(result), args.min) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
