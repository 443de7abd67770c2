"""Who a dose calculator is for: adults or children, asked rather than guessed from weight.

Weight cannot tell an adolescent from a small adult (children on these pages weigh 2–150 kg,
adults 20–300 kg), so every dose calculator asks for the age group and has no default for
it. Adult regimens refuse a child and name the calculator or page to use instead; the
children's schedule refuses an adult the same way.
"""

from __future__ import annotations

from ..spec import Choice, Input, InputError

ADULT = "adult"
CHILD = "child"


def age_group(hint: str) -> Input:
    """The required age-group choice (18 years is the line the guideline pages use)."""
    return Input(
        "age_group",
        "Age group",
        kind="choice",
        choices=(
            Choice(ADULT, "Adult (18 years or older)", aliases=("adults", "18+", "grown-up")),
            Choice(
                CHILD,
                "Child or adolescent (under 18)",
                aliases=("children", "paediatric", "pediatric", "adolescent", "under 18"),
            ),
        ),
        hint=hint,
    )


def adults_only(group: str, what: str, instead: str) -> None:
    """Refuse a child: ``what`` is the regimen in words, ``instead`` where to go."""
    if group == CHILD:
        raise InputError(
            "age_group",
            f"{what} is for adults; no dose is given for a child or adolescent. {instead}",
        )


def children_only(group: str, instead: str) -> None:
    """Refuse an adult on the children's schedule."""
    if group == ADULT:
        raise InputError(
            "age_group",
            "this schedule is for children and adolescents; no dose is given for an adult. "
            + instead,
        )
