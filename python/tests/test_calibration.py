"""The calibration that scripts/train-models.py writes into each model file:
steps (from, confidence) of the share of findings reviewers marked."""
import importlib.util
import random
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("train_models", ROOT / "scripts" / "train-models.py")
train_models = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(train_models)
calibration = train_models.calibration


def read(steps, probability):
    """The confidence iryolint reads for a probability: the last step at or
    below it (src/engine/weights.rs, Table::confidence)."""
    return [c for s, c in steps if s <= probability][-1]


def well_formed(steps):
    starts = [s for s, _ in steps]
    confidences = [c for _, c in steps]
    return (
        starts[0] == 0.0
        and all(a < b for a, b in zip(starts, starts[1:]))
        and all(a < b for a, b in zip(confidences, confidences[1:]))
        and all(0.0 <= c <= 1.0 for c in confidences)
    )


def test_a_rising_share_gives_rising_steps_with_one_marked_and_one_unmarked_added():
    points = [(0.1, 0), (0.2, 1), (0.3, 0), (0.4, 1), (0.5, 1)]
    # 0.1-0.3: 1 of 3 marked, pooled (0.2 > 0.3 falls); 0.4-0.5: 2 of 2.
    assert calibration(points, min_step=2) == [(0.0, 0.4), (0.4, 0.75)]


def test_points_of_one_probability_are_never_split_by_their_labels():
    # Sorted by (probability, label), the unmarked half would come first
    # and look like a rising share.
    assert calibration([(0.5, 1)] * 100 + [(0.5, 0)] * 100) == [(0.0, 0.5)]
    # Nor does rounding a step's start let the points below it read it.
    near = [(0.123449, 0)] * 60 + [(0.12345, 1)] * 60
    steps = calibration(near)
    assert read(steps, 0.123449) < 0.05 and read(steps, 0.1236) > 0.95, steps


def test_small_steps_join_their_neighbours_and_no_step_claims_certainty():
    steps = calibration([(i / 100, 1) for i in range(30)])
    assert steps == [(0.0, round(31 / 32, 3))]
    steps = calibration([(i / 1000, int(i >= 500)) for i in range(1000)])
    assert well_formed(steps) and len(steps) == 2
    assert steps[1][0] == 0.5 and steps[1][1] == round(501 / 502, 3)


def test_any_points_give_well_formed_steps():
    rnd = random.Random(7)
    for _ in range(200):
        n = rnd.randint(1, 400)
        points = [(round(rnd.random(), rnd.choice([2, 4, 6])), rnd.randint(0, 1)) for _ in range(n)]
        steps = calibration(points, min_step=rnd.choice([1, 5, 50]))
        assert well_formed(steps), (points, steps)


def test_no_points_is_an_error_not_an_empty_line():
    with pytest.raises(SystemExit, match="no examples out of fold"):
        calibration([])
