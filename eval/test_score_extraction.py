"""Checks of score_extraction.py itself: that it reads the labelled format, measures byte spans
as khabar does, and scores a perfect, an empty and an off-by-one prediction as it should."""

import os
import tempfile
import unittest

import score_extraction as se

SAMPLE = """# a comment
@ s1 2024-01-08 politics
استقبل ولي العهد الأمير [PER محمد بن سلمان] في [LOC الرياض] وزير [ORG الخارجية الأمريكية].
count 3 person killed
count ~1000 security-personnel -
date 2024-01-08
date 2024-01-01..2024-01-10
"""


def read(text):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(text)
    try:
        return se.read_sentences(f.name)
    finally:
        os.unlink(f.name)


def prediction_for(record):
    """khabar's JSON for a record, made from the gold labels."""
    mentions = [{"type": t, "span": [b, e]} for t, b, e in sorted(record.entities)]
    counts = [{"value": v, "what": w, "event": e} for v, w, e in record.counts]
    dates = []
    for d in record.dates:
        if ".." in d:
            begin, end = d.split("..")
            dates.append({"value": begin[:7], "precision": "part of month",
                          "range": [begin, end]})
        else:
            dates.append({"value": d, "precision": "day"})
    return {"external_id": record.id, "text": record.text, "mentions": mentions,
            "counts": counts, "dates": dates}


class ReadSentences(unittest.TestCase):
    def test_marks_become_byte_spans_of_the_plain_text(self):
        [record] = read(SAMPLE)
        self.assertNotIn("[", record.text)
        spans = {se.span_text(record.text, e): e[0] for e in record.entities}
        self.assertEqual(spans, {"محمد بن سلمان": "person", "الرياض": "place",
                                 "الخارجية الأمريكية": "organisation"})

    def test_counts_and_dates(self):
        [record] = read(SAMPLE)
        self.assertEqual(record.counts, {(3.0, "person", "killed"),
                                         (1000.0, "security personnel", "")})
        self.assertEqual(record.dates, {"2024-01-08", "2024-01-01..2024-01-10"})

    def test_a_stray_bracket_is_an_error_naming_the_line(self):
        with self.assertRaisesRegex(se.FormatError, r":2: a bracket"):
            read("@ s1 2024-01-08 x\nنص [PER اسم\n")

    def test_a_bad_count_is_an_error(self):
        with self.assertRaisesRegex(se.FormatError, "not a number"):
            read("@ s1 2024-01-08 x\nنص\ncount many person -\n")

    def test_the_shipped_set_reads_and_has_at_least_100_sentences(self):
        records = se.read_sentences(se.DEFAULT_SENTENCES)
        self.assertGreaterEqual(len(records), 100)
        self.assertTrue(all(r.text for r in records))


class Score(unittest.TestCase):
    def test_perfect_prediction_scores_one(self):
        records = read(SAMPLE)
        rows, _ = se.score(records, [prediction_for(r) for r in records])
        for name, tally in rows.items():
            self.assertEqual(tally.scores(), (1.0, 1.0, 1.0), name)

    def test_empty_prediction_scores_zero_recall(self):
        records = read(SAMPLE)
        empty = {"external_id": "s1", "text": records[0].text, "mentions": [], "counts": [],
                 "dates": []}
        rows, _ = se.score(records, [empty])
        for tally in rows.values():
            self.assertEqual(tally.scores()[1], 0.0)

    def test_a_span_one_byte_off_is_wrong_strictly_and_right_by_overlap(self):
        records = read(SAMPLE)
        prediction = prediction_for(records[0])
        for m in prediction["mentions"]:
            if m["type"] == "place":
                m["span"][1] -= 2  # one Arabic letter short
        rows, loose = se.score(records, [prediction])
        self.assertEqual(rows["place"].scores()[2], 0.0)
        self.assertEqual(loose["place"].scores()[2], 1.0)

    def test_role_references_are_not_names(self):
        records = read(SAMPLE)
        prediction = prediction_for(records[0])
        prediction["mentions"].append({"type": "person", "span": [0, 4], "role_reference": True})
        rows, _ = se.score(records, [prediction])
        self.assertEqual(rows["person"].fp, 0)


if __name__ == "__main__":
    unittest.main()
