"""Bedside safety of the live forms, in real Chromium, for every calculator page.

Nothing clinical is chosen for the reader: a select starts on its declared default or on an
empty "Choose…"; a cleared field with a default never quietly falls back to it; a field that
does not apply to what is chosen is hidden, disabled and never blocks the answer. Each check is
generic over the declarations, so it follows them as they change.
"""

from __future__ import annotations

from typing import Any

import pytest

import aihcalc
from aihcalc.spec import Calculator, Input, InputError
from hooks import widgets
from tests.browser.conftest import screenshot
from tests.browser.test_calculator_pages import (
    READY_MS,
    cli,
    example_vector,
    fill,
    form_vector,
    wait_ready,
)

pytestmark = pytest.mark.browser

CALCULATORS = aihcalc.all_calculators()


def answered(page: Any, form: Any) -> None:
    """Wait until Python has answered this form at least once (a result, a prompt or an error)."""
    page.wait_for_function("f => Boolean(f.dataset.result)", arg=form.element_handle(), timeout=READY_MS)


def visit(page: Any, calc: Calculator) -> Any:
    """From the calculator index, open this calculator's page by instant navigation (one boot)."""
    page.locator(f'article a[href$="{calc.id}/"]').first.click()
    page.wait_for_url(f"**/calculators/{calc.id}/")
    form = wait_ready(page, calc.id)
    answered(page, form)
    return form


def leave(page: Any) -> None:
    page.go_back()
    page.wait_for_url("**/calculators/")


def default_label(item: Input) -> str:
    if item.kind == "boolean":
        return "Yes" if item.default else "No"
    return next(c.label for c in item.choices if c.value == item.default)


def check_loaded_form(form: Any, calc: Calculator) -> None:
    """(a) no choice is pre-selected, even one with a default, unless that default only says
    that nothing is known yet; (b) such a default shows its label."""
    for item in calc.inputs:
        if item.kind not in ("choice", "boolean"):
            continue
        select = form.locator(f'select[name="{item.name}"]')
        value = select.evaluate("s => s.value")
        label = select.evaluate("s => s.selectedOptions[0] ? s.selectedOptions[0].textContent.trim() : ''")
        if not item.preselect:
            assert value == "", f"{calc.id}.{item.name} starts on {label!r}: no clinical choice may be pre-selected"
        else:
            assert value == widgets.form_text(item.default), f"{calc.id}.{item.name}"
            assert label == default_label(item), f"{calc.id}.{item.name} shows {label!r}"
    for item in calc.inputs:
        if item.kind in ("number", "date"):
            shown = form.locator(f'input[name="{item.name}"]').input_value()
            expected = "" if item.default is None else widgets.form_text(item.default)
            assert shown == expected, f"{calc.id}.{item.name} starts at {shown!r}"


def check_first_answer(form: Any, calc: Calculator) -> None:
    """With only the defaults, the first answer is a calm prompt (or the answer), never an error."""
    if widgets.build_answer(calc) is not None:
        assert form.get_attribute("data-result") == "ok"
        return
    assert form.get_attribute("data-result") == "incomplete", f"{calc.id}: an empty form is not an error"
    box = form.locator('[data-message-for=""]')
    assert box.get_attribute("data-kind") == "prompt"
    prompt = box.inner_text()
    assert prompt.startswith("To see the answer, fill in:")
    for item in calc.inputs:  # every choice still to be made is named, a defaulted one too
        select = form.locator(f'select[name="{item.name}"]:not([disabled])')
        if item.kind in ("choice", "boolean") and not item.optional and select.count() and select.evaluate("s => !s.value"):
            assert item.label in prompt, f"{calc.id}: the prompt {prompt!r} does not ask for {item.label}"
    assert form.locator("[aria-invalid]").count() == 0, "no field is marked wrong for being empty"
    for item in calc.inputs:
        assert form.locator(f'[data-message-for="{item.name}"]').inner_text() == ""
    assert form.locator('output[data-output="value"]').inner_text() == "—"


def test_forms_start_with_no_clinical_choice_made(open_context: Any, base_url: str) -> None:
    """Every calculator page: (a) no select without a default holds a value on load; (b) a select
    with a default shows that default's label; the first answer for an unfilled form is a prompt."""
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + "/calculators/")
    for calc in CALCULATORS:
        form = visit(page, calc)
        check_loaded_form(form, calc)
        check_first_answer(form, calc)
        leave(page)
    assert record.console_errors == []
    assert record.foreign(base_url) == []


def test_azathioprine_genotypes_start_as_not_known(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + "/aih/first-line-treatment/")
    form = wait_ready(page, "azathioprine-dose")
    calc = aihcalc.get("azathioprine-dose")
    for name in ("tpmt", "nudt15"):
        item = calc.input(name)
        label = form.locator(f'select[name="{name}"]').evaluate("s => s.selectedOptions[0].textContent.trim()")
        if item.default == "unknown":
            assert label == "Not known (not tested)"
        assert label != "Normal metaboliser", f"{name}: the example's choice must not be pre-selected"
    assert form.locator('input[name="weight_kg"]').input_value() == ""
    assert record.console_errors == []


def defaulted_numbers(calc: Calculator) -> list[Input]:
    """Number inputs with a default that apply to the worked example."""
    shown = calc.applicable(dict(calc.example))
    return [i for i in calc.inputs if i.kind == "number" and i.default is not None and shown[i.name]]


def test_a_cleared_field_never_hides_its_default(open_context: Any, base_url: str) -> None:
    """(c) Clearing a number that has a default says so next to the field, and shows no answer."""
    targets = [c for c in CALCULATORS if defaulted_numbers(c)]
    if aihcalc.get("azathioprine-dose").input("mg_per_kg").default is not None:
        assert "azathioprine-dose" in {c.id for c in targets}
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + "/calculators/")
    for calc in targets:
        form = visit(page, calc)
        fill(page, calc.id, example_vector(calc))
        page.wait_for_function("f => f.dataset.result === 'ok'", arg=form.element_handle())
        for item in defaulted_numbers(calc):
            field = form.locator(f'input[name="{item.name}"]')
            field.fill("")
            message = form.locator(f'[data-message-for="{item.name}"]')
            page.wait_for_function("m => m.textContent.includes('is empty')", arg=message.element_handle())
            assert "the usual value is" in message.inner_text()
            assert message.get_attribute("data-kind") is None, "a hidden default is an error, not a prompt"
            assert field.get_attribute("aria-invalid") == "true"
            assert form.get_attribute("data-result") == "error"
            assert form.locator('output[data-output="value"]').inner_text() == "—"
            field.fill(example_vector(calc)[item.name])
            page.wait_for_function("f => f.dataset.result === 'ok'", arg=form.element_handle())
            assert message.inner_text() == ""
        leave(page)
    assert record.console_errors == []


def _answers(calc: Calculator, values: dict[str, Any]) -> bool:
    try:
        calc.calculate(form_vector(calc, values))
    except (InputError, AssertionError):
        return False
    return True


def switched_on(calc: Calculator, item: Input) -> dict[str, Any] | None:
    """The worked example changed, if need be, so that ``item`` applies (and it answers)."""
    values = dict(calc.example)
    for name, allowed in item.applies_when:
        if calc.applicable(values)[item.name]:
            break
        if values.get(name) not in allowed:
            values[name] = allowed[0]
    if not calc.applicable(values)[item.name] or not _answers(calc, values):
        return None
    return values


def switched_off(calc: Calculator, item: Input, on: dict[str, Any]) -> dict[str, Any] | None:
    """``on`` with one of the fields ``item`` depends on changed so that ``item`` no longer applies."""
    for name, allowed in item.applies_when:
        controller = calc.input(name)
        others: list[Any] = (
            [c.value for c in controller.choices] if controller.kind == "choice"
            else [False, True] if controller.kind == "boolean" else []
        )
        for other in others:
            if other in allowed:
                continue
            values = {**on, name: other}
            if not calc.applicable(values)[item.name] and _answers(calc, values):
                return values
    return None


def conditional_cases() -> list[tuple[Calculator, Input, dict[str, Any], dict[str, Any]]]:
    cases = []
    for calc in CALCULATORS:
        for item in calc.inputs:
            if not item.applies_when:
                continue
            on = switched_on(calc, item)
            off = switched_off(calc, item, on) if on is not None else None
            if on is not None and off is not None:
                cases.append((calc, item, on, off))
    return cases


def test_fields_that_do_not_apply_are_hidden_and_never_block_the_answer(open_context: Any, base_url: str) -> None:
    """(d) For every input that applies only to some choices (none yet is fine): while it applies
    it is shown and a bad value in it blocks the answer; once the choice it depends on changes, it
    is hidden and disabled, its message goes, and the page answers as the CLI does."""
    cases = conditional_cases()
    declared = [(c.id, i.name) for c in CALCULATORS for i in c.inputs if i.applies_when]
    assert len(cases) >= min(1, len(declared)), "no conditional input could be switched on and off"
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + "/calculators/")
    current = None
    for calc, item, on, off in cases:
        if current != calc.id:
            if current is not None:
                leave(page)
            form = visit(page, calc)
            current = calc.id
        wrapper = form.locator(f'[data-field="{item.name}"]')
        control = form.locator(f'[name="{item.name}"]')
        fill(page, calc.id, form_vector(calc, on))
        assert wrapper.is_visible() and control.is_enabled(), f"{calc.id}.{item.name} applies here"
        if item.kind == "number":
            control.fill("not a number")
            message = form.locator(f'[data-message-for="{item.name}"]')
            page.wait_for_function("m => m.textContent !== ''", arg=message.element_handle())
            assert form.get_attribute("data-result") == "error"
        before = int(form.get_attribute("data-computed") or 0)
        vector = form_vector(calc, off)
        fill(page, calc.id, vector)
        page.wait_for_function(
            "([f, n]) => Number(f.dataset.computed || 0) > n && f.dataset.result === 'ok'",
            arg=[form.element_handle(), before],
        )
        assert wrapper.get_attribute("hidden") is not None and not wrapper.is_visible(), f"{calc.id}.{item.name} is shown"
        assert control.is_disabled(), f"{calc.id}.{item.name} would still be sent"
        assert form.locator(f'[data-message-for="{item.name}"]').inner_text() == ""
        expected = cli(calc.id, vector)["display"]["value"]
        page.wait_for_function(
            "([f, t]) => f.querySelector('output[data-output=value]').textContent === t",
            arg=[form.element_handle(), expected],
        )
        # Choosing again brings the field back, enabled (its typed value is kept).
        fill(page, calc.id, {k: v for k, v in form_vector(calc, on).items() if k != item.name})
        assert wrapper.is_visible() and control.is_enabled()
    assert record.console_errors == []


@pytest.mark.parametrize("width", [1280, 360])
def test_first_line_treatment_on_load(open_context: Any, base_url: str, width: int) -> None:
    """The page a clinician opens first: empty forms with a calm prompt; screenshots for review."""
    context, record = open_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base_url + "/aih/first-line-treatment/")
    for calc_id in ("azathioprine-dose", "prednisolone-taper"):
        form = wait_ready(page, calc_id)
        answered(page, form)
        check_loaded_form(form, aihcalc.get(calc_id))
        box = form.locator('[data-message-for=""]')
        if box.get_attribute("data-kind") == "prompt":
            colour = box.evaluate("b => getComputedStyle(b).color")
            assert colour != "rgb(198, 40, 40)", "a prompt is not shown in the error red"
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= width + 1, f"the page scrolls sideways at {width} px ({wide} px)"
    screenshot(page, f"first-line-treatment-on-load-{width}")
    assert record.console_errors == []
