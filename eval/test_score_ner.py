"""Tests of score_ner.py: conlleval's chunks, exact and partial matches, micro averages."""
import os
import tempfile
import unittest

from score_ner import chunks, main, read, score


def sentence(*rows):
    """rows of (gold, predicted) → (gold tags, predicted tags)"""
    return [r[0] for r in rows], [r[1] for r in rows]


class ChunksTest(unittest.TestCase):
    def test_bio(self):
        self.assertEqual(chunks(["B-PERS", "I-PERS", "O", "B-LOC"]), [("PERS", 0, 2), ("LOC", 3, 4)])

    def test_adjacent_names_of_one_type(self):
        self.assertEqual(chunks(["B-LOC", "B-LOC", "I-LOC"]), [("LOC", 0, 1), ("LOC", 1, 3)])

    def test_inside_without_begin_starts_a_name_as_in_conlleval(self):
        self.assertEqual(chunks(["O", "I-ORG", "I-ORG"]), [("ORG", 1, 3)])
        self.assertEqual(chunks(["B-PERS", "I-ORG"]), [("PERS", 0, 1), ("ORG", 1, 2)])


class ScoreTest(unittest.TestCase):
    def test_exact_needs_both_edges_and_the_type(self):
        result = score([sentence(("B-PERS", "B-PERS"), ("I-PERS", "O"), ("O", "O"),
                                 ("B-LOC", "B-LOC"))], {"PERS", "LOC", "ORG"})
        self.assertEqual(result["exact"]["LOC"]["f1"], 1.0)
        self.assertEqual(result["exact"]["PERS"]["f1"], 0.0)
        self.assertEqual(result["partial"]["PERS"]["f1"], 1.0)
        self.assertAlmostEqual(result["exact"]["micro"]["f1"], 0.5)

    def test_wrong_type_is_a_miss_and_a_false_alarm(self):
        result = score([sentence(("B-ORG", "B-LOC"))], {"PERS", "LOC", "ORG"})
        self.assertEqual(result["exact"]["ORG"]["r"], 0.0)
        self.assertEqual(result["exact"]["LOC"]["p"], 0.0)
        self.assertEqual(result["partial"]["micro"]["f1"], 0.0)

    def test_misc_is_left_out_of_the_micro_average(self):
        result = score([sentence(("B-MISC", "O"), ("B-LOC", "B-LOC"))], {"PERS", "LOC", "ORG"})
        self.assertEqual(result["exact"]["micro"]["f1"], 1.0)
        self.assertEqual(result["exact"]["MISC"]["r"], 0.0)

    def test_a_gold_name_is_matched_partially_once(self):
        result = score([sentence(("B-PERS", "B-PERS"), ("I-PERS", "B-PERS"))], {"PERS"})
        self.assertEqual(result["partial"]["PERS"]["p"], 0.5)
        self.assertEqual(result["partial"]["PERS"]["r"], 1.0)


class FileTest(unittest.TestCase):
    def test_reads_sentences_and_checks_floors(self):
        with tempfile.NamedTemporaryFile("w", suffix=".conll", delete=False, encoding="utf-8") as f:
            f.write("عمان\tB-LOC\tB-LOC\nقال\tO\tO\n\nزيد\tB-PERS\tO\n")
        try:
            self.assertEqual(len(read(f.name)), 2)
            self.assertEqual(main([f.name, "--min", "exact_loc_f1=0.9"]), 0)
            self.assertEqual(main([f.name, "--min", "exact_micro_f1=0.9"]), 1)
            with self.assertRaises(SystemExit):
                main([f.name, "--min", "no_such_figure=1"])
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
