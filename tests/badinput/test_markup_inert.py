"""Markup typed into every text field stays inert in the browser, and bad uploads are refused.

One person, one browser session: creates a workspace, a plan, edits an item and saves a
calculator scenario, each time typing HTML and script; then uploads hostile plan files. No
dialog may open, no injected element may exist in the page, and the typed text must show
literally. Runs a real `streamlit run` in headless Chromium.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qunce.content.catalogue import load_catalogue
from qunce.plans import create_plan, create_workspace, list_plans, open_store, workspace_by_code
from tests.browser_support import running_app, wait_for_run

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAYBOOK = "launch-rules"
TEAM = "<img src=x onerror=alert(1)> team"
PLAN = "<script>alert(2)</script> plan"
OWNER = "<img src=x onerror=alert(3)>"
NOTES = "<script>alert(4)</script><b>not bold</b>"
SCENARIO = "<img src=x onerror=alert(5)>"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of a server with its own SQLite database."""
    folder = tmp_path_factory.mktemp("markup")
    database = f"sqlite:///{folder / 'q.db'}"
    with running_app({"QUNCE_DATABASE_URL": database, "QUNCE_CONTENT_PATH": ""}) as url:
        yield url, database


@pytest.fixture(scope="module")
def page(browser: Any, app: tuple[str, str]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1800}, locale="en-US")
    context.set_default_timeout(90_000)
    tab = context.new_page()
    tab.dialogs = []  # type: ignore[attr-defined]

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    yield tab
    context.close()


def _inert(page: Any, *typed: str) -> None:
    """No dialog, no injected element, and each typed text visible as text."""
    page.wait_for_timeout(300)  # an onerror handler fires as soon as the image fails to load
    assert page.dialogs == []
    main = page.locator("[data-testid='stApp']")
    assert main.locator("img[src='x']").count() == 0
    assert main.locator("script").filter(has_text="alert(").count() == 0
    assert main.locator("b").filter(has_text="not bold").count() == 0
    for text in typed:
        _wait_for_text(page, text)


def _wait_for_text(page: Any, text: str, tries: int = 60) -> None:
    """Wait until `text` is part of what the page shows (rendered text and input values)."""
    shown = ""
    for _ in range(tries):
        # Rendered text, plus what inputs show (a selectbox shows its choice in an input).
        shown = page.locator("[data-testid='stApp']").inner_text() + "\n".join(
            page.locator("[data-testid='stApp'] input").evaluate_all("els => els.map(e => e.value)")
        )
        if text in shown:
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"{text!r} is not shown literally; the page shows:\n{shown[:3000]}")


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    wait_for_run(page)


def test_markup_in_every_field_is_shown_as_text(page: Any, app: tuple[str, str]) -> None:
    url, database = app
    page.goto(f"{url}/plans?lang=en")
    wait_for_run(page)
    page.get_by_role("tab", name="Create a workspace").click()
    page.get_by_label("Team name").fill(TEAM)
    _submit(page, "Create")
    link = page.locator("[data-testid='stCode']").first.inner_text().strip()
    _inert(page, TEAM)
    code = link.rsplit("join=", 1)[1]
    store = open_store(database)
    assert workspace_by_code(store, code).name == TEAM

    # The join link (same session would be lost on reload) preselects a playbook for a plan.
    page.goto(f"{url}/plans?lang=en&join={code}&playbooks={PLAYBOOK}")
    wait_for_run(page)
    name = page.get_by_label("Your name (shown in the history)")  # asked before the first save
    name.fill("Tester")
    name.press("Enter")
    wait_for_run(page)
    page.get_by_label("Plan name").fill(PLAN)
    _submit(page, "Create the plan")
    _inert(page, TEAM, PLAN)
    [summary] = list_plans(store, workspace_by_code(store, code).id)
    assert summary.name == PLAN

    first_step = load_catalogue(extra=[]).items[PLAYBOOK].steps[0].title.en  # type: ignore[union-attr]
    item = page.get_by_test_id("stExpander").filter(has_text=first_step).first
    if not item.get_by_label("Owner").is_visible():
        item.locator("summary").click()
    item.get_by_label("Owner").fill(OWNER)
    item.get_by_label("Notes").fill(NOTES)
    item.get_by_role("button", name="Save").click()
    wait_for_run(page)
    page.get_by_text("Saved (version 2).").wait_for()
    _inert(page, TEAM, PLAN)
    item = page.get_by_test_id("stExpander").filter(has_text=first_step).first
    assert item.get_by_label("Owner").input_value() == OWNER
    assert item.get_by_label("Notes").input_value() == NOTES

    # Another page joined by the same link: a scenario saved to the workspace, hostile name.
    page.goto(f"{url}/calculators?lang=en&calc=funnel&join={code}")
    wait_for_run(page)
    page.get_by_label("Scenario name").first.fill(SCENARIO)
    _submit(page, "Save to the workspace")
    _inert(page, SCENARIO)
    store.dispose()


@pytest.fixture(scope="module")
def team(app: tuple[str, str]) -> tuple[str, str]:
    """(workspace id, join code) of a team with one plan, made through the library."""
    store = open_store(app[1])
    try:
        workspace, code = create_workspace(store, "Upload team")
        create_plan(store, workspace.id, "Existing", [PLAYBOOK], load_catalogue(extra=[]),
                    start_date=date(2026, 3, 2))  # fmt: skip
    finally:
        store.dispose()
    return workspace.id, code


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("big.json", b" " * 2_000_000),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000),
        ("garbage.json", bytes(range(256)) * 64),
        ("wrong-shape.json", json.dumps({"format": "qunce-plan", "plan": []}).encode()),
    ],
    ids=["2MB", "deep-nesting", "binary", "wrong-shape"],
)
def test_bad_plan_files_are_refused_with_a_message(
    page: Any,
    app: tuple[str, str],
    team: tuple[str, str],
    tmp_path: Path,
    name: str,
    content: bytes,
) -> None:
    url, database = app
    workspace_id, code = team
    page.goto(f"{url}/plans?lang=en&join={code}")
    wait_for_run(page)
    # Saving needs a name; this test may be the first in its browser (pytest-xdist splits the
    # module), so it gives one itself rather than relying on the test above.
    name_field = page.get_by_label("Your name (shown in the history)")
    name_field.fill("Uploader")
    name_field.press("Enter")
    wait_for_run(page)
    new_plan = page.get_by_test_id("stExpander").filter(has_text="New plan").first
    if not new_plan.get_by_test_id("stFileUploader").is_visible():
        new_plan.locator("summary").click()
    importer = new_plan.get_by_role("button", name="Import", exact=True)
    assert importer.is_disabled()  # nothing chosen yet
    path = tmp_path / name
    path.write_bytes(content)
    new_plan.locator("input[type='file']").set_input_files(str(path))
    # The upload is an HTTP request of its own, and the file's name shows while it is still on
    # its way; Import is enabled by the run that follows, once the server holds the file (a busy
    # machine can take seconds). The click waits for that.
    new_plan.get_by_text(name, exact=True).wait_for()
    importer.click()
    wait_for_run(page)
    assert page.get_by_test_id("stException").count() == 0
    page.get_by_text("The file was not imported").first.wait_for()
    store = open_store(database)
    try:
        assert [p.name for p in list_plans(store, workspace_id)] == ["Existing"]
    finally:
        store.dispose()
