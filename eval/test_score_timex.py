"""Unit tests of score_timex.py's matching and value comparison."""
import unittest

from score_timex import match, value_right


def spans(*pairs):
    return [{"span": p} for p in pairs]


class MatchTest(unittest.TestCase):
    def test_strict_needs_the_same_characters_relaxed_an_overlap(self):
        gold, predicted = spans((0, 10), (20, 25)), spans((0, 10), (22, 30))
        self.assertEqual(match(gold, predicted, relaxed=False), [(0, 0)])
        self.assertEqual(sorted(match(gold, predicted, relaxed=True)), [(0, 0), (1, 1)])

    def test_one_to_one_longest_overlap_first(self):
        gold, predicted = spans((0, 10)), spans((0, 3), (2, 10))
        self.assertEqual(match(gold, predicted, relaxed=True), [(0, 1)])


class ValueTest(unittest.TestCase):
    def test_compared_at_the_gold_granularity(self):
        self.assertTrue(value_right("2015-08", "2015-08-03"))
        self.assertFalse(value_right("2015-08-03", "2015-08"))
        self.assertFalse(value_right("2015", "2014-12-31"))

    def test_a_day_is_right_for_its_iso_week(self):
        self.assertTrue(value_right("2015-W31", "2015-07-27"))
        self.assertFalse(value_right("2015-W31", "2015-07-25"))

    def test_other_values_must_be_equal(self):
        self.assertTrue(value_right("P3D", "P3D"))
        self.assertFalse(value_right("PAST_REF", "2015-08-03"))


if __name__ == "__main__":
    unittest.main()
