"""Who a dose calculator is for: adults or children, asked rather than guessed from weight.

Weight cannot tell an adolescent from a small adult (children on these pages weigh 2–150 kg,
adults 20–300 kg), so every dose calculator asks for the age group and has no default for
it. Adult regimens refuse a child and name the calculator or page to use instead; the
children's schedule refuses an adult the same way. The refusal belongs to the choice itself,
so it is said as soon as the age group is chosen, before the rest of the form is filled.
"""

from __future__ import annotations

from ..spec import Choice, Input

ADULT = "adult"
CHILD = "child"


def age_group(hint: str, refuse: str = "", because: str = "") -> Input:
    """The required age-group choice (18 years is the line the guideline pages use).

    ``refuse`` names the group this calculator gives no dose to (``ADULT`` or ``CHILD``);
    ``because`` is the message that says so and where to go instead.
    """
    return Input(
        "age_group",
        "Age group",
        kind="choice",
        choices=(
            Choice(
                ADULT,
                "Adult (18 years or older)",
                aliases=("adults", "18+", "grown-up"),
                refuse=because if refuse == ADULT else "",
            ),
            Choice(
                CHILD,
                "Child or adolescent (under 18)",
                aliases=("children", "paediatric", "pediatric", "adolescent", "under 18"),
                refuse=because if refuse == CHILD else "",
            ),
        ),
        hint=hint,
    )


def adults_only(what: str, instead: str) -> str:
    """The refusal of a child: ``what`` is the regimen in words, ``instead`` where to go."""
    return f"{what} is for adults; no dose is given for a child or adolescent. {instead}"


def children_only(instead: str) -> str:
    """The refusal of an adult on the children's schedule."""
    return (
        "this schedule is for children and adolescents; no dose is given for an adult. " + instead
    )


def adult_weight(hint: str = "Actual body weight; adults.") -> Input:
    """Body weight for an adult regimen: accepted 20–300 kg, usual 30–200 kg (the one declaration)."""
    return Input(
        "weight_kg", "Body weight", unit="kg", allowed=(20, 300), plausible=(30, 200), step=0.1, hint=hint
    )
