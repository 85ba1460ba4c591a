#!/usr/bin/env python3
"""Scores khabar's main-text extraction on trafilatura's judged pages, beside its peers.

../shared/data/trafilatura-eval/ holds saved pages and, for each, snippets the main text must
contain ("with") and must not ("without"). The usual score of that set: a "with" snippet found
(whitespace-normalised substring) is a true positive, missed a false negative; a "without"
snippet found is a false positive, absent a true negative; precision, recall and F1 over the
sums. A page with no text counts every "with" snippet as missed.

    eval/score_html.py --data ../shared/data/trafilatura-eval --khabar build/khabar
    eval/score_html.py ... --peers       # also readability-lxml (python3-readability) and
                                         # Readability.js (eval/readability_js, npm ci there)
    eval/score_html.py ... --min-f1 0.70 --max-empty 260   # floors: exit 1 below them

Times are CPU seconds of the extraction alone, one core, in the same run.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time


def normalised(text):
    return " ".join(text.split())


def score(texts, evaldata):
    """texts: file name -> extracted text (None or "" when nothing came)."""
    tp = fn = fp = tn = 0
    empty = 0
    for entry in evaldata.values():
        text = normalised(texts.get(entry["file"]) or "")
        if not text:
            empty += 1
        for snippet in entry.get("with", []):
            if normalised(snippet) in text:
                tp += 1
            else:
                fn += 1
        for snippet in entry.get("without", []):
            if normalised(snippet) in text:
                fp += 1
            else:
                tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = (tp + tn) / (tp + tn + fp + fn) if tp + tn + fp + fn else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy,
            "pages_with_no_text": empty, "pages": len(evaldata)}


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_khabar(binary, pages_dir):
    before = children_cpu()
    started = time.monotonic()
    # Cleaned as ingest cleans; the time includes the extraction of people, places, dates and
    # the rest that `khabar extract` does too, so it is more than reading the HTML takes.
    done = subprocess.run([binary, "extract", "--format", "html", pages_dir],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    # 1 says some page was refused, which the score counts; anything else is khabar failing.
    if done.returncode not in (0, 1):
        sys.exit(f"score_html: khabar extract exited {done.returncode}:\n{done.stderr[-2000:]}")
    texts = {}
    for line in done.stdout.split("\n"):
        if not line:
            continue
        record = json.loads(line)
        texts[os.path.basename(record["origin"])] = record.get("text", "")
    return texts, children_cpu() - before, time.monotonic() - started


def run_readability_lxml(pages_dir, files):
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        print("score_html: readability-lxml missing (apt-get install python3-readability)",
              file=sys.stderr)
        return None, 0.0, 0.0
    import logging
    logging.getLogger("readability.readability").setLevel(logging.ERROR)
    texts = {}
    started = time.process_time()
    wall = time.monotonic()
    for name in files:
        with open(os.path.join(pages_dir, name), "rb") as f:
            raw = f.read()
        try:
            summary = Document(raw).summary(html_partial=True)
            texts[name] = lxml.html.fromstring(summary).text_content()
        except Exception:  # noqa: BLE001 - a peer's failure on one page is an empty page
            texts[name] = ""
    return texts, time.process_time() - started, time.monotonic() - wall


def run_readability_js(pages_dir, files):
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "readability_js")
    if not os.path.isdir(os.path.join(here, "node_modules", "@mozilla", "readability")):
        print("score_html: Readability.js missing (cd eval/readability_js && npm ci)",
              file=sys.stderr)
        return None, 0.0, 0.0
    before = children_cpu()
    started = time.monotonic()
    # Absolute: node runs in eval/readability_js, where a relative --data means nothing.
    paths = "\n".join(os.path.join(os.path.abspath(pages_dir), name) for name in files)
    try:
        done = subprocess.run(["node", os.path.join(here, "extract.mjs")], input=paths,
                              capture_output=True, text=True, encoding="utf-8", check=False,
                              cwd=here)
    except FileNotFoundError:
        print("score_html: node is missing (Readability.js needs Node.js)", file=sys.stderr)
        return None, 0.0, 0.0
    texts = {}
    for line in done.stdout.split("\n"):
        if not line:
            continue
        record = json.loads(line)
        texts[os.path.basename(record["file"])] = record["text"] or ""
    return texts, children_cpu() - before, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="the trafilatura-eval directory")
    parser.add_argument("--khabar", required=True, help="the khabar binary")
    parser.add_argument("--peers", action="store_true", help="score the peers too")
    parser.add_argument("--min-f1", type=float, help="fail below this F1")
    parser.add_argument("--max-empty", type=int, help="fail above this many pages with no text")
    parser.add_argument("--json", help="write the scores here")
    parser.add_argument("--dump", help="write khabar's text per page here (JSON), to study")
    args = parser.parse_args()

    if not os.path.exists(os.path.join(args.data, "evaldata.json")):
        print(f"score_html: {args.data} is missing; skipped", file=sys.stderr)
        return 77
    with open(os.path.join(args.data, "evaldata.json"), encoding="utf-8") as f:
        evaldata = json.load(f)
    pages_dir = os.path.join(args.data, "pages")
    # 106 of the 990 judgements name a page that the set does not hold: scored on the others.
    judged = len(evaldata)
    evaldata = {url: entry for url, entry in evaldata.items()
                if os.path.exists(os.path.join(pages_dir, entry["file"]))}
    files = sorted({entry["file"] for entry in evaldata.values()})
    if not files:
        print(f"score_html: no judged page in {pages_dir}; skipped", file=sys.stderr)
        return 77

    results = {}
    texts, cpu, wall = run_khabar(args.khabar, pages_dir)
    results["khabar"] = dict(score(texts, evaldata), cpu_seconds=cpu, wall_seconds=wall)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            json.dump(texts, f, ensure_ascii=False)
    if args.peers:
        for name, run in (("readability-lxml 0.8.1", run_readability_lxml),
                          ("Readability.js 0.6.0", run_readability_js)):
            peer_texts, peer_cpu, peer_wall = run(pages_dir, files)
            if peer_texts is not None:
                results[name] = dict(score(peer_texts, evaldata), cpu_seconds=peer_cpu,
                                     wall_seconds=peer_wall)

    print(f"{len(evaldata)} judged pages with their page ({judged} judged in all)")
    print(f"{'extractor':<24} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'no text':>8} {'CPU s':>7}")
    for name, r in results.items():
        print(f"{name:<24} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
              f"{r['accuracy']:6.3f} {r['pages_with_no_text']:8d} {r['cpu_seconds']:7.1f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)

    ours = results["khabar"]
    failed = False
    if args.min_f1 is not None and ours["f1"] < args.min_f1:
        print(f"score_html: F1 {ours['f1']:.3f} is below the floor {args.min_f1}", file=sys.stderr)
        failed = True
    if args.max_empty is not None and ours["pages_with_no_text"] > args.max_empty:
        print(f"score_html: {ours['pages_with_no_text']} pages with no text, over the floor "
              f"{args.max_empty}", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
