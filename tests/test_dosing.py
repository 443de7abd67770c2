"""The shared dosing helpers: rounding to a step and the fewest tablets for a dose."""

from __future__ import annotations

import itertools

import pytest

from aihcalc.dosing import fewest_tablets, floor_to_step, round_half_down
from aihcalc.present import tablets_text


@pytest.mark.parametrize(
    "dose,strengths,expected",
    [
        (75, (50, 25), {50: 1, 25: 1}),  # azathioprine: 50 + 25
        (150, (50, 25), {50: 3}),
        (22.5, (5.0, 2.5), {5.0: 4, 2.5: 1}),  # prednisolone: 4 × 5 + 2.5
        (2.5, (5.0, 2.5), {2.5: 1}),
        (9, (5.0, 2.5, 1.0), {5.0: 1, 1.0: 4}),  # 5 + 4 × 1 (five tablets); 2 × 2.5 + 4 × 1 is six
        (12.5, (5.0, 2.5, 1.0), {5.0: 2, 2.5: 1}),
        (3.5, (5.0, 1.0, 0.5), {1.0: 3, 0.5: 1}),  # half milligrams are exact
        (65, (100.0, 50.0, 25.0, 10.0), {25.0: 1, 10.0: 4}),  # greedy 50 + 10 leaves 5 mg unmade
        (6, (4, 3, 2, 1), {4: 1, 2: 1}),  # 4 + 2 and 3 + 3 tie: the larger strength wins
        (0, (50, 25), {}),
    ],
)
def test_fewest_tablets_hand_worked(dose, strengths, expected):
    assert fewest_tablets(dose, strengths) == expected


@pytest.mark.parametrize(
    "dose,strengths",
    [(30, (50, 25)), (7.4, (5.0, 2.5)), (-25, (50, 25)), (0.3, (5.0, 1.0, 0.5)), (15, (100.0, 50.0, 25.0, 10.0))],
)
def test_fewest_tablets_none_when_no_combination_makes_the_dose(dose, strengths):
    assert fewest_tablets(dose, strengths) is None


def test_fewest_tablets_lists_strengths_largest_first():
    assert list(fewest_tablets(175, (50, 25)) or {}) == [50, 25]
    assert tablets_text(fewest_tablets(175, (50, 25)) or {}) == "3 × 50 mg + 1 × 25 mg"
    assert tablets_text(fewest_tablets(7.5, (5.0, 2.5)) or {}) == "1 × 5 mg + 1 × 2.5 mg"


@pytest.mark.parametrize("strengths", [(5.0, 2.5, 1.0), (100.0, 50.0, 25.0, 10.0), (6, 4, 1)])
def test_fewest_tablets_is_never_beaten_by_any_combination(strengths):
    """Against every combination of up to 8 tablets of each strength."""
    smallest = {}
    for counts in itertools.product(range(9), repeat=len(strengths)):
        dose = round(sum(c * s for c, s in zip(counts, strengths)), 6)
        smallest[dose] = min(smallest.get(dose, 99), sum(counts))
    for dose, fewest in smallest.items():
        found = fewest_tablets(dose, strengths)
        assert found is not None
        assert round(sum(c * s for s, c in found.items()), 6) == dose
        assert sum(found.values()) <= fewest


@pytest.mark.parametrize(
    "value,step,expected",
    [
        (3.25, 0.5, 3.0),  # 6.5 half steps: an exact half rounds down
        (3.26, 0.5, 3.5),
        (72.5, 5, 70),
        (72.6, 5, 75),
        (11.25, 2.5, 10.0),
        (11.26, 2.5, 12.5),
        (0.1 + 0.2, 0.1, 0.3),  # three tenths, written without binary noise
        (0.95, 0.1, 0.9),
    ],
)
def test_round_half_down_hand_worked(value, step, expected):
    assert round_half_down(value, step) == expected


@pytest.mark.parametrize(
    "value,step,expected",
    [(3.0, 0.5, 3.0), (14.99, 1.0, 14.0), (0.79, 0.1, 0.7), (74.9, 25, 50)],
)
def test_floor_to_step_hand_worked(value, step, expected):
    assert floor_to_step(value, step) == expected


def test_points_read_as_a_clinician_counts_them() -> None:
    """One wording for every score: the AIH score's negative points and Child-Pugh's 1 to 3."""
    from aihcalc.present import points_text

    assert [points_text(n) for n in (-2, 0, 1, 2, 3)] == ["-2 points", "0 points", "1 point", "2 points", "3 points"]
