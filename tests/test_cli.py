"""The command line: ``python -m aihcalc`` (list, describe, ID name=value ... [--json]).

The first half runs the real module in a subprocess against whatever calculators are
registered; the second half calls ``main()`` in-process with a test calculator, so the
argument handling is tested even while the registry is still being filled.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import aihcalc
import aihcalc.__main__ as cli
from aihcalc import Calculator, Input, Outcome, Output, Working
from tests.conftest import PUBLISHED

ROOT = Path(__file__).resolve().parent.parent
CALCULATORS = aihcalc.all_calculators()
IDS = [c.id for c in CALCULATORS]
NO_CALCULATORS = "no calculator is registered yet (src/aihcalc/calculators/ still holds placeholders)"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "aihcalc", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def pairs(inputs: dict[str, Any]) -> list[str]:
    return [f"{name}={_text(value)}" for name, value in inputs.items()]


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def first_number_input(calc: Calculator) -> Input | None:
    return next((i for i in calc.inputs if i.kind == "number"), None)


def with_example(calc: Calculator) -> Calculator:
    if not calc.example:
        pytest.fail(f"{calc.id} declares no example: every calculator needs one (docs, fallback, CLI)")
    return calc


@pytest.fixture(params=CALCULATORS or [None], ids=IDS or ["none"])
def calc(request: pytest.FixtureRequest) -> Calculator:
    if request.param is None:
        pytest.skip(NO_CALCULATORS)
    return with_example(request.param)


# --- the real module, in a subprocess ---------------------------------------------------


def test_list_names_every_registered_calculator() -> None:
    if not IDS:
        pytest.skip(NO_CALCULATORS)
    proc = run_cli("list")
    assert proc.returncode == 0, proc.stderr
    listed = [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]
    assert listed == IDS
    for calc_ in CALCULATORS:
        assert calc_.title in proc.stdout


def test_list_json() -> None:
    if not IDS:
        pytest.skip(NO_CALCULATORS)
    proc = run_cli("list", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [{"id": c.id, "title": c.title} for c in CALCULATORS]


def test_example_as_json(calc: Calculator) -> None:
    proc = run_cli(calc.id, *pairs(dict(calc.example)), "--json")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, "--json prints exactly one JSON object"
    data = json.loads(lines[0])
    assert isinstance(data, dict) and "value" in data
    assert data["calculator"] == calc.id
    # The CLI passes text; the result is the one the API gives for the same text.
    expected = calc.calculate({k: _text(v) for k, v in calc.example.items()})
    assert lines[0] == expected.to_json()


def test_the_json_names_the_package_and_calculator_version(calc: Calculator) -> None:
    proc = run_cli("run", calc.id, *pairs(dict(calc.example)), "--json")  # "run" is optional
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["version"] == {"package": aihcalc.__version__, "calculator": calc.version}


def test_example_as_text(calc: Calculator) -> None:
    proc = run_cli(calc.id, *pairs(dict(calc.example)))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(calc.title + "\n")
    result = calc.calculate({k: _text(v) for k, v in calc.example.items()})
    assert f"  result: {result.display['value']}" in proc.stdout
    assert "references: " + ", ".join(calc.references) in proc.stdout


def test_json_flag_may_come_first(calc: Calculator) -> None:
    proc = run_cli("--json", calc.id, *pairs(dict(calc.example)))
    assert proc.returncode == 0, proc.stderr
    assert "value" in json.loads(proc.stdout)


def test_out_of_range_input_exits_2_naming_the_field(calc: Calculator) -> None:
    item = first_number_input(calc)
    if item is None:
        pytest.skip(f"{calc.id} has no number input")
    assert item.allowed is not None
    too_high = item.allowed[1] + max(1.0, abs(item.allowed[1]))
    proc = run_cli(calc.id, *pairs({**calc.example, item.name: too_high}), "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"error: {item.name}: ")
    assert "outside the accepted range" in proc.stderr


def test_unknown_input_name_exits_2(calc: Calculator) -> None:
    proc = run_cli(calc.id, *pairs(dict(calc.example)), "no_such_input=1")
    assert proc.returncode == 2
    assert "error: no_such_input: is not an input of" in proc.stderr


def test_describe_prints_the_declaration(calc: Calculator) -> None:
    proc = run_cli("describe", calc.id)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data == json.loads(json.dumps(calc.describe()))
    # The calculator's version and its dated changes, the latest last.
    assert data["version"] == calc.version == data["changes"][-1]["version"]
    assert all(set(change) == {"date", "version", "what", "why"} for change in data["changes"])


def test_unknown_calculator_exits_2() -> None:
    proc = run_cli("no-such-calculator", "x=1", "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "error: no calculator 'no-such-calculator'" in proc.stderr
    proc = run_cli("describe", "no-such-calculator")
    assert proc.returncode == 2
    assert "no calculator 'no-such-calculator'" in proc.stderr


@pytest.mark.parametrize("pair", ["bilirubin", "=2", "bilirubin:2"])
def test_malformed_pair_exits_2(calc: Calculator, pair: str) -> None:
    proc = run_cli(calc.id, pair, "--json")
    assert proc.returncode == 2
    assert f"error: expected name=value, got {pair!r}" in proc.stderr
    assert "usage:" in proc.stderr


def test_usage() -> None:
    proc = run_cli()
    assert proc.returncode == 2
    assert proc.stdout.startswith("usage: python -m aihcalc list")
    proc = run_cli("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: python -m aihcalc list")
    proc = run_cli("describe")
    assert proc.returncode == 2
    assert "describe takes one calculator id" in proc.stderr


# The dose calculators ask for the age group and have no default for it (meld-3's age group,
# a score input with a default, is not one of them).
AGE_GROUP_CALCULATORS = [
    c for c in CALCULATORS
    if c.dose_rules is not None and any(i.name == "age_group" and i.default is None for i in c.inputs)
]


@pytest.mark.parametrize("dose_calc", AGE_GROUP_CALCULATORS, ids=[c.id for c in AGE_GROUP_CALCULATORS])
def test_the_age_group_must_be_given(dose_calc: Calculator) -> None:
    example = {k: v for k, v in dose_calc.example.items() if k != "age_group"}
    proc = run_cli(dose_calc.id, *pairs(example), "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("error: age_group: is required")


def test_the_wrong_age_group_is_refused_from_the_command_line() -> None:
    if "tacrolimus-dose" not in IDS or "paediatric-prednisolone" not in IDS:
        pytest.skip("the dose calculators are not registered")
    proc = run_cli("tacrolimus-dose", "age_group=child", "weight_kg=40", "--json")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: age_group: This tacrolimus dose is for adults")
    proc = run_cli("paediatric-prednisolone", "age_group=adult", "weight_kg=40", "start_date=2026-01-05")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: age_group: this schedule is for children and adolescents")


def test_meld_from_the_command_line() -> None:
    if "meld" not in IDS:
        pytest.skip("the meld calculator is not registered yet")
    proc = run_cli("meld", "bilirubin=2", "inr=1.5", "creatinine=1.2", "dialysis=false", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    # 10 × (0.957 ln 1.2 + 0.378 ln 2 + 1.120 ln 1.5 + 0.643) = 15.34, an integer score of 15
    assert data["value"] == 15
    assert data["inputs"] == {"bilirubin": 2, "inr": 1.5, "creatinine": 1.2, "dialysis": False}


# --- main() in-process, with a test calculator ----------------------------------------------


def _double(values: dict[str, Any], work: Working) -> Outcome:
    work.step(f"{values['dose']} × 2")
    if values["dose"] > 400:
        work.warn("a big dose")
    return Outcome(value=values["dose"] * 2, outputs={"table": [{"day": 1, "mg": 5}]})


TEST_CALC = Calculator(
    id="test-double",
    title="Test double",
    summary="Doubles a dose.",
    inputs=(
        Input("dose", "Dose", unit="mg", allowed=(0, 500), plausible=(10, 200)),
        Input("note", "Note", kind="boolean", default=False),
    ),
    value=Output("value", "Doubled", unit="mg"),
    outputs=(Output("table", "Table", columns=(("day", "Day"), ("mg", "mg"))),),
    compute=_double,
    references=("ref-x",),
    **PUBLISHED,
    example={"dose": 50},
)


@pytest.fixture
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> list[Calculator]:
    registry = [TEST_CALC]

    def get(calc_id: str) -> Calculator:
        for c in registry:
            if c.id == calc_id:
                return c
        raise KeyError(f"no calculator {calc_id!r}; known: {', '.join(c.id for c in registry)}")

    monkeypatch.setattr(cli, "get", get)
    monkeypatch.setattr(cli, "all_calculators", lambda: list(registry))
    return registry


def test_main_list(fake_registry: list[Calculator], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list"]) == 0
    assert capsys.readouterr().out == "test-double  Test double\n"


def test_main_list_with_no_calculators(fake_registry: list[Calculator], capsys: pytest.CaptureFixture[str]) -> None:
    fake_registry.clear()
    assert cli.main(["list"]) == 0


def test_main_json(fake_registry: list[Calculator], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["test-double", "dose=50", "--json"]) == 0
    out = capsys.readouterr().out
    assert out == TEST_CALC.calculate({"dose": "50"}).to_json() + "\n"
    assert json.loads(out)["value"] == 100


def test_main_run_is_the_same_as_no_verb(fake_registry: list[Calculator], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", "test-double", "dose=50", "--json"]) == 0
    out = capsys.readouterr().out
    assert out == TEST_CALC.calculate({"dose": "50"}).to_json() + "\n"
    assert json.loads(out)["version"] == {"package": aihcalc.__version__, "calculator": "1.0"}


def test_main_text(fake_registry: list[Calculator], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["test-double", "dose=450 mg", "note=yes"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Test double",
        "  result: 900 mg",
        "  table:",
        "    1  5",
        "  working:",
        "    450.0 × 2",
        "  warnings:",
        "    ! Dose 450 mg is outside the usual range 10–200 mg: check it was entered in the right unit.",
        "    ! a big dose",
        "  references: ref-x",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["test-double", "dose=600"], "error: dose: 600 mg is outside the accepted range 0–500 mg"),
        (["test-double"], "error: dose: is required"),
        (["test-double", "dose="], "error: dose: is required"),
        (["test-double", "dose=5", "note=perhaps"], "error: note: answer yes or no (you gave 'perhaps')"),
        # an emptied yes/no that has a default is not silently the default: it is asked for
        (["test-double", "dose=5", "note="], "error: note: is required"),
        (["test-double", "dose=1,5"], "error: dose: write decimals with a point"),
        (["test-double", "dose"], "error: expected name=value, got 'dose'"),
        (["test-double", "=5"], "error: expected name=value, got '=5'"),
        (["nope", "dose=5"], "error: no calculator 'nope'; known: test-double"),
        (["describe", "nope"], "error: no calculator 'nope'"),
        (["describe"], "error: describe takes one calculator id"),
        (["run"], "error: run takes a calculator id"),
        (["run", "nope", "dose=5"], "error: no calculator 'nope'; known: test-double"),
        ([], "usage: python -m aihcalc list"),
    ],
)
def test_main_errors_exit_2(
    fake_registry: list[Calculator], capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert cli.main(args) == 2
    captured = capsys.readouterr()
    assert message in captured.err + captured.out
    if args:
        assert captured.out == ""


def test_main_value_with_equals_sign_keeps_the_rest(fake_registry: list[Calculator], capsys: pytest.CaptureFixture[str]) -> None:
    # only the first "=" separates name and value
    assert cli.main(["test-double", "dose=5=5"]) == 2
    assert "error: dose: '=5' is not a unit this value can be given in" in capsys.readouterr().err


def test_main_describe(fake_registry: list[Calculator], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["describe", "test-double"]) == 0
    assert json.loads(capsys.readouterr().out) == TEST_CALC.describe()
