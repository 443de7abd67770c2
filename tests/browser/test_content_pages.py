"""A content page in real headless Chromium: citations, review badge, audience views, disclaimer.

The page is content/contributing/example.md, which uses every feature; what it must show is
derived from its source with the same modules the build uses, not copied into the test.
"""

from __future__ import annotations

from typing import Any

import pytest

from hooks import chrome as page_chrome
from hooks import citations, frontmatter
from hooks.references import Bibliography
from tests.browser.conftest import screenshot
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser

PATH = "/contributing/example/"
SOURCE = PROJECT_ROOT / "content" / "contributing" / "example.md"


def expected() -> tuple[frontmatter.FrontMatter, list[str], Bibliography]:
    front = frontmatter.parse(SOURCE.read_text(encoding="utf-8"))
    keys = citations.cited_keys(citations.scan(front.body))
    return front, keys, Bibliography.load(PROJECT_ROOT / "content" / "bibliography.yaml")


def follow(page: Any, link: Any, keyboard: bool = False) -> None:
    """Follow an in-page link as a reader does: bring it into view, then (a moment later) use it.

    A link used at once after a scroll is its own case, with its own test (the theme's delayed
    save of the scroll offset could undo the jump: see the slow-link citation test).
    """
    link.scroll_into_view_if_needed()
    page.wait_for_timeout(250)
    if keyboard:
        link.focus()
        page.keyboard.press("Enter")
    else:
        link.click()


def wait_in_viewport(page: Any, selector: str) -> None:
    """Scrolling may be smooth: wait until the element's top is on screen."""
    page.wait_for_function(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }",
        arg=selector,
        timeout=5_000,
    )


def test_citations_are_numbered_and_jump_to_their_reference(open_context: Any, base_url: str) -> None:
    front, keys, bibliography = expected()
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + PATH)
    article = page.locator("article")
    first = article.locator("sup.citation a").first
    assert first.inner_text() == "1"
    assert first.get_attribute("href").endswith("#ref-1") and first.get_attribute("id") == "cite-1-1"
    assert article.locator("h2#references").inner_text().startswith("References")
    items = article.locator("ol.references > li")
    assert items.count() == len(keys)
    for number, key in enumerate(keys, start=1):
        entry = bibliography.entries[key]
        item = article.locator(f"li#ref-{number}")
        assert entry.citation in item.inner_text()
        if entry.doi:
            assert item.locator(f'a[href="{entry.doi_url}"]').count() == 1
        if entry.pmid:
            assert item.locator(f'a[href="{entry.pubmed_url}"]').count() == 1
    # a locator shows beside its number
    assert "(Table 2)" in article.locator("sup.citation", has_text="Table 2").first.inner_text()
    # inside code, a citation stays text
    assert article.locator("code", has_text="[@easl2015]").count() == 1

    last = len(keys)
    link = article.locator(f'sup.citation a[href$="#ref-{last}"]').first
    follow(page, link, keyboard=True)
    page.wait_for_function("n => location.hash === '#ref-' + n", arg=last)
    wait_in_viewport(page, f"#ref-{last}")  # the reference is scrolled into view
    # The theme fetches the page again after the first jump within it and swaps the content in;
    # the next link is found once that is done, not the one about to be swapped out.
    page.wait_for_load_state("networkidle")
    follow(page, article.locator(f"li#ref-{last} .references__back a, li#ref-{last} a.references__back").first)
    page.wait_for_function("n => location.hash.startsWith('#cite-' + n + '-')", arg=last)
    wait_in_viewport(page, page.evaluate("() => location.hash"))  # the back-link returns to the text
    assert record.console_errors == []
    assert record.foreign(base_url) == []


def test_a_citation_used_just_after_a_scroll_on_a_slow_link_lands_on_its_reference(
    open_context: Any, base_url: str
) -> None:
    """The theme saves the scroll offset 100 ms after a scroll, and on the first jump within a
    page fetches the page again before it scrolls. A citation followed within those 100 ms, on a
    link slow enough that the save comes before the page is back, used to leave the reader where
    they were: the save landed on the jump's new history entry and the theme restored it."""
    context, record = open_context()
    page = context.new_page()

    def slow_refetch(route: Any) -> None:
        if route.request.resource_type != "document":  # the theme's fetch, not the first load
            page.wait_for_timeout(300)
        route.continue_()

    page.route(base_url + PATH, slow_refetch)
    page.goto(base_url + PATH)
    page.wait_for_function(  # the theme has run and has the list of pages, so it takes the jump
        "() => window.document$ !== undefined"
        " && performance.getEntriesByType('resource').some(e => e.name.endsWith('/sitemap.xml'))"
    )
    page.wait_for_timeout(300)
    last = page.locator("article ol.references > li").count()
    link = f'article sup.citation a[href$="#ref-{last}"]'
    # Scroll the citation to mid-screen, let the scroll be seen, then use the link at once.
    page.evaluate(
        """s => { const a = document.querySelector(s); const r = a.getBoundingClientRect();
                  scrollTo(0, scrollY + r.top - innerHeight / 2); a.focus({ preventScroll: true }); }""",
        link,
    )
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.keyboard.press("Enter")
    page.wait_for_function("n => location.hash === '#ref-' + n", arg=last)
    page.wait_for_timeout(600)  # the page is back and the theme has scrolled
    wait_in_viewport(page, f"#ref-{last}")
    assert record.console_errors == []


def test_badge_dates_related_questions_and_disclaimer(open_context: Any, base_url: str) -> None:
    front, _, _ = expected()
    review = page_chrome.review_view(front.data)
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + PATH)
    meta = page.locator(".aih-page-meta")
    assert meta.locator(".aih-review__status").inner_text() == review["label"]
    assert meta.locator('[aria-current="step"]').inner_text() == review["label"]
    assert meta.locator(f'time[datetime="{review["last_updated"]}"]').inner_text() == review["last_updated_text"]
    assert page.locator("article h2#related-questions").inner_text() == "Related questions"
    assert page.locator(".aih-related li a").count() == len(front.data["related"])
    disclaimer = page.locator(".aih-disclaimer")
    assert disclaimer.is_visible()
    assert "Professional disclaimer" in disclaimer.inner_text()
    ld = page.evaluate("() => JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert ld["@type"] == "MedicalWebPage" and ld["name"] == front.data["title"]
    assert len(ld["citation"]) == page.locator("ol.references > li").count()
    policy = meta.locator("a.aih-page-meta__policy")
    assert policy.inner_text() == "View editorial policy"
    follow(page, disclaimer.locator("a", has_text="editorial policy"))
    page.wait_for_url("**/editorial-policy/")
    page.locator("article h1", has_text="Editorial policy").wait_for()  # instant navigation swaps the content
    assert page.locator(".aih-disclaimer").is_visible()
    screenshot(page, "content-editorial-policy")
    assert record.console_errors == []
    assert record.foreign(base_url) == []
    assert record.failed == []


def hold_the_list_of_pages(context: Any) -> list[Any]:
    """sitemap.xml's requests, held until the test lets them go."""
    held: list[Any] = []
    context.route("**/sitemap.xml", lambda route: held.append(route))
    return held


def assert_followed_in_place(page: Any, record: Any, base_url: str, held: list[Any], hold_ms: int) -> None:
    """Use the disclaimer's link while the list is held: the click waits, and once the list is
    let go the next page comes in place (by the theme's instant navigation), not loaded anew."""
    page.evaluate("() => { window.samePage = true; }")
    follow(page, page.locator(".aih-disclaimer a", has_text="editorial policy"))
    page.wait_for_timeout(hold_ms)
    assert page.url == base_url + PATH  # held, not followed as a new load
    assert held, "the theme asked for sitemap.xml"
    for route in held:
        route.continue_()
    page.locator("article h1", has_text="Editorial policy").wait_for()
    assert page.url.endswith("/editorial-policy/")
    # The theme takes a click it saw once it has the list; a second click made for it as well
    # would find the link gone with the old page and load the new one anew, a moment later.
    page.wait_for_timeout(1200)
    assert page.evaluate("() => window.samePage === true")  # the page was not loaded anew
    assert record.console_errors == []
    assert record.failed == []


def test_a_link_used_before_the_theme_has_the_list_of_pages_is_still_followed_in_place(
    open_context: Any, base_url: str
) -> None:
    """The theme takes a click on a link only once it has read sitemap.xml; a click before that
    would load the next page anew (on a calculator page, Python with it). Such a click is held
    until the list arrives, then made again, and the page changes in place."""
    context, record = open_context()
    held = hold_the_list_of_pages(context)
    page = context.new_page()
    page.goto(base_url + PATH)
    page.wait_for_function("() => document.querySelector('script[src*=\"assets/javascripts/bundle\"]')")
    assert_followed_in_place(page, record, base_url, held, hold_ms=400)


def test_a_link_used_when_the_list_is_in_but_not_yet_read_is_still_followed_in_place(
    open_context: Any, base_url: str
) -> None:
    """The list of pages shows as arrived a moment before the theme has read it; a click then
    the theme takes only once it has, too late to stop the browser loading the page anew. Until
    the theme has taken a click, one it did not take is held and made again."""
    context, record = open_context()
    held = hold_the_list_of_pages(context)
    # The page sees the list as arrived from the start; the theme waits for it (held above).
    context.add_init_script(
        "const entriesByType = performance.getEntriesByType.bind(performance);"
        "performance.getEntriesByType = (type) => type === 'resource'"
        " ? [...entriesByType(type), { name: location.origin + '/sitemap.xml' }] : entriesByType(type);"
    )
    page = context.new_page()
    page.goto(base_url + PATH)
    page.wait_for_function("() => typeof window.document$ !== 'undefined'")  # the theme has run
    page.wait_for_timeout(100)
    assert_followed_in_place(page, record, base_url, held, hold_ms=300)


def test_with_javascript_off_both_views_show_labelled(open_context: Any, base_url: str) -> None:
    context, record = open_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + PATH)
    patient = page.locator(".audience--patient")
    clinician = page.locator(".audience--clinician")
    assert patient.count() >= 1 and clinician.count() >= 1
    for block in (*patient.all(), *clinician.all()):
        assert block.is_visible()
    assert patient.first.locator(".audience__label").text_content() == "For patients"
    assert clinician.first.locator(".audience__label").text_content() == "For clinicians"
    assert not page.locator("[data-audience-switch]").is_visible(), "a toggle that cannot work stays hidden"
    screenshot(page, "content-example-nojs")


def test_audience_toggle_by_keyboard_is_remembered_across_reload(open_context: Any, base_url: str) -> None:
    context, record = open_context()
    page = context.new_page()
    page.goto(base_url + PATH)
    switch = page.locator("[data-audience-switch]")
    switch.wait_for(state="visible")
    patient, clinician = page.locator(".audience--patient").first, page.locator(".audience--clinician").first
    assert patient.is_visible() and clinician.is_visible(), "before a choice, both views show"
    assert switch.locator('input[value="both"]').is_checked()

    def is_open(box: Any) -> bool:
        return bool(box.evaluate("e => e.open"))

    switch.locator('input[value="both"]').focus()
    page.keyboard.press("ArrowUp")  # native radio group: the arrow keys move the choice
    assert switch.locator('input[value="patient"]').is_checked()
    assert is_open(patient) and not is_open(clinician), "the patient view folds the clinician box"
    assert clinician.locator(".audience__label").is_visible(), "folded, it still says whom it is for"
    page.keyboard.press("ArrowUp")
    assert switch.locator('input[value="clinician"]').is_checked()
    assert is_open(clinician) and not is_open(patient)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => localStorage.getItem('aih-audience')") == "patient"
    screenshot(page, "content-example-patient")

    page.reload()
    switch.wait_for(state="visible")
    assert switch.locator('input[value="patient"]').is_checked()
    patient, clinician = page.locator(".audience--patient").first, page.locator(".audience--clinician").first
    assert is_open(patient) and not is_open(clinician)
    assert page.evaluate("() => document.documentElement.dataset.audience") == "patient"

    switch.locator('input[value="both"]').check()
    assert is_open(clinician) and clinician.locator("p").first.is_visible()
    screenshot(page, "content-example")
    assert record.console_errors == []
    assert record.foreign(base_url) == []  # (the reload may abort the calculator's download: not a failure)
