"""Tests for score_clusters.py, with values worked out by hand."""

import json
import tempfile
import unittest
from pathlib import Path

from score_clusters import read_labels, score


class ScoreTest(unittest.TestCase):
    def test_perfect_clustering_scores_one(self):
        gold = {"a": "1", "b": "1", "c": "2"}
        predicted = {"a": "x", "b": "x", "c": "y"}
        result = score(gold, predicted)
        for key in ("bcubed_f1", "pairwise_f1", "bcubed_precision", "bcubed_recall"):
            self.assertAlmostEqual(result[key], 1.0)

    def test_everything_in_one_story(self):
        # Gold {a,b} {c,d}; predicted {a,b,c,d}. Each article's precision is 2/4, recall 1.
        gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
        predicted = {i: "x" for i in gold}
        result = score(gold, predicted)
        self.assertAlmostEqual(result["bcubed_precision"], 0.5)
        self.assertAlmostEqual(result["bcubed_recall"], 1.0)
        self.assertAlmostEqual(result["bcubed_f1"], 2 / 3)
        # 6 predicted pairs, 2 of them gold pairs.
        self.assertAlmostEqual(result["pairwise_precision"], 2 / 6)
        self.assertAlmostEqual(result["pairwise_recall"], 1.0)

    def test_all_singletons(self):
        # Gold {a,b,c}; predicted singletons: precision 1, recall 1/3 for each article.
        gold = {"a": "1", "b": "1", "c": "1"}
        predicted = {"a": "x", "b": "y", "c": "z"}
        result = score(gold, predicted)
        self.assertAlmostEqual(result["bcubed_precision"], 1.0)
        self.assertAlmostEqual(result["bcubed_recall"], 1 / 3)
        self.assertAlmostEqual(result["pairwise_precision"], 1.0)  # no predicted pairs
        self.assertAlmostEqual(result["pairwise_recall"], 0.0)

    def test_mixed_example(self):
        # Gold {a,b,c} {d,e}; predicted {a,b} {c,d,e}.
        # B-cubed precision: a,b 2/2; c 1/3; d,e 2/3 -> (1+1+1/3+2/3+2/3)/5 = 11/15.
        # B-cubed recall: a,b 2/3; c 1/3; d,e 2/2 -> (2/3+2/3+1/3+1+1)/5 = 11/15.
        gold = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
        predicted = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
        result = score(gold, predicted)
        self.assertAlmostEqual(result["bcubed_precision"], 11 / 15)
        self.assertAlmostEqual(result["bcubed_recall"], 11 / 15)
        # Predicted pairs: ab, cd, ce, de = 4; gold pairs: ab, ac, bc, de = 4; shared: ab, de.
        self.assertAlmostEqual(result["pairwise_precision"], 0.5)
        self.assertAlmostEqual(result["pairwise_recall"], 0.5)


class ReadLabelsTest(unittest.TestCase):
    def test_null_story_is_a_story_of_its_own_and_key_picks_the_field(self):
        rows = [{"id": "x1", "external_id": "a", "story": 3},
                {"id": "x2", "external_id": "b", "story": None},
                {"id": "x3", "external_id": "c", "story": None},
                {"id": "x4", "story": 3}]  # no external id: not in a --key external_id reading
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "predicted.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            labels = read_labels(path, "external_id")
        self.assertEqual(set(labels), {"a", "b", "c"})
        self.assertEqual(labels["a"], "3")
        self.assertNotEqual(labels["b"], labels["c"])
        result = score({"a": "1", "b": "1", "c": "2"}, labels)
        self.assertAlmostEqual(result["bcubed_precision"], 1.0)


if __name__ == "__main__":
    unittest.main()
