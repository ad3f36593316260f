"""The reader as a screen reader receives it: the AT-SPI tree on a real accessibility bus.

The reader runs under Xvfb with a window manager (openbox), on the xcb platform with
QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1, inside its own D-Bus session (dbus-run-session starts
the accessibility bus from at-spi2-core). tests/atspi_client.py, on the system Python where
Debian's python3-pyatspi lives, does what a screen-reader user does and reports what it
saw; these tests judge it. One reader start per scenario (the window and its feedback form;
the kiosk).

The reviewed dumps (role and name of every accessible) live in tests/a11y/*.txt. When a
change to them is intended, review the diff the failing test prints, then regenerate:

    KFR_UPDATE_A11Y_DUMPS=1 .venv/bin/python -m pytest -q tests/test_atspi.py

and commit the changed files with the change that caused them.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CLIENT = HERE / "atspi_client.py"
DUMPS = HERE / "a11y"
SYSTEM_PYTHON = "/usr/bin/python3"
PACKAGES = "xvfb openbox at-spi2-core dbus python3-pyatspi"
UPDATE = os.environ.get("KFR_UPDATE_A11Y_DUMPS") == "1"

# Roles a person operates: each needs a name when it is on screen.
CONTROL_ROLES = {"push button", "toggle button", "check box", "radio button", "text",
                 "password text", "entry", "list", "list item", "tree", "table", "tree table",
                 "table cell", "combo box", "spin button", "slider", "menu item", "page tab",
                 "link"}
WINDOW_ROLES = {"mainWindow": "frame", "toolbar": "tool bar", "searchField": "text",
                "searchResults": "list", "sidebar": "tree", "viewer": "document frame",
                "answerLinks": "list", "footer": "label", "feedbackButton": "push button"}
FORM_ROLES = {"feedbackForm": "dialog", "feedbackUsername": "text", "feedbackName": "text",
              "feedbackEmail": "text", "feedbackComments": "text",
              "feedbackSubmit": "push button"}
KIOSK_ROLES = {**WINDOW_ROLES, "kioskFinished": "push button"}


def missing_parts() -> list[str]:
    missing = [tool for tool in ("Xvfb", "openbox", "dbus-run-session") if not shutil.which(tool)]
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        missing.append("at-spi2-core")
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True).returncode != 0:
        missing.append(f"pyatspi for {SYSTEM_PYTHON}")
    return missing


@pytest.fixture(scope="module", autouse=True)
def atspi_parts():
    if not sys.platform.startswith("linux"):
        pytest.skip("AT-SPI is the Linux accessibility bus")
    missing = missing_parts()
    if missing:
        pytest.skip(f"AT-SPI tests need {', '.join(missing)}: install the Debian packages "
                    f"{PACKAGES} (python3 dev.py test does it when run as root)")


def observe(env: dict, tmp: Path, scenario: str, *reader_args: str) -> dict:
    """Start the reader, let the client do `scenario` through AT-SPI; what it saw."""
    env = {**env, "HOME": str(tmp), "QT_QPA_PLATFORM": "xcb",
           "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
    command = ["dbus-run-session", "--", SYSTEM_PYTHON, str(CLIENT), scenario, "--",
               sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp / "data"),
               "--config", str(tmp / "reader.toml"), *reader_args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0 and lines, result.stdout + result.stderr
    seen = json.loads(lines[-1])
    assert "error" not in seen, seen
    seen["reader_said"] = result.stderr[-3000:]  # for a failure's message (warnings)
    return seen


def dump(nodes: list[dict]) -> str:
    return "".join(f"{'  ' * node['depth']}{node['role']} "
                   f"{json.dumps(node['name'], ensure_ascii=False)}\n" for node in nodes)


def check_dump(name: str, nodes: list[dict]) -> None:
    path = DUMPS / f"{name}.txt"
    text = dump(nodes)
    if UPDATE:
        DUMPS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    reviewed = path.read_text(encoding="utf-8") if path.exists() else ""
    if text != reviewed:
        diff = "".join(difflib.unified_diff(reviewed.splitlines(True), text.splitlines(True),
                                            f"{path.name} (reviewed)", "now"))
        pytest.fail(f"What a screen reader receives changed ({path.relative_to(ROOT)}):\n"
                    f"{diff}\nIf intended: KFR_UPDATE_A11Y_DUMPS=1 .venv/bin/python -m pytest "
                    "-q tests/test_atspi.py, and commit the new dump.")


def check_controls(nodes: list[dict], roles: dict[str, str]) -> None:
    unnamed = [node for node in nodes if node["showing"] and node["role"] in CONTROL_ROLES
               and not node["name"].strip()]
    assert not unnamed, f"controls on screen without a name: {unnamed}"
    found: dict[str, str] = {}
    for node in nodes:  # a view's rows carry the view's id: the view comes first
        if node["id"] in roles:
            found.setdefault(node["id"], node["role"])
    assert found == roles


@pytest.fixture(scope="module")
def window_seen(display, tmp_path_factory):
    return observe(display, tmp_path_factory.mktemp("atspi-window"), "window")


@pytest.fixture(scope="module")
def kiosk_seen(display, tmp_path_factory):
    return observe(display, tmp_path_factory.mktemp("atspi-kiosk"), "kiosk", "--kiosk")


@pytest.fixture(scope="module")
def spanish_seen(display, tmp_path_factory):
    return observe(display, tmp_path_factory.mktemp("atspi-es"), "spanish", "--lang", "es")


def test_every_control_in_the_window_has_a_name_and_its_role(window_seen):
    check_controls(window_seen["window"], WINDOW_ROLES)


def test_every_control_in_the_form_has_a_name_and_its_role(window_seen):
    check_controls(window_seen["form"], FORM_ROLES)


def test_every_control_in_the_kiosk_has_a_name_and_its_role(kiosk_seen):
    check_controls(kiosk_seen["kiosk"], KIOSK_ROLES)


@pytest.mark.parametrize("name", ["window", "form"])
def test_the_window_and_form_are_what_was_reviewed(window_seen, name):
    check_dump(name, window_seen[name])


def test_the_kiosk_is_what_was_reviewed(kiosk_seen):
    check_dump("kiosk", kiosk_seen["kiosk"])


def test_the_answer_reads_through_the_text_interface(window_seen):
    text = window_seen["first_text"]
    assert text.startswith("About ketamine\nWhat is ketamine?\nKetamine is an anesthetic")
    assert "From the FAQ of" in text


def test_a_rows_action_opens_its_answer(window_seen):
    assert window_seen["row_actions"] == ["Toggle"]
    assert window_seen["title_after_action"].startswith("How long does the relief last? —")
    assert "\nHow long does the relief last?\n" in window_seen["text_after_action"]


def test_selecting_a_row_opens_its_answer(window_seen):
    assert window_seen["selected"]
    assert window_seen["title_after_select"].startswith("Does insurance cover ketamine")
    assert "\nDoes insurance cover ketamine treatment?\nNo, not yet." in \
        window_seen["text_after_select"]


def test_every_link_of_the_answer_is_listed_and_followed(window_seen):
    # Qt's AT-SPI bridge has no Hypertext interface: links are the answer's child objects
    # (test_the_answer_is_a_document_of_headings_and_links), and the list below it
    assert window_seen["hypertext_links"] == -1
    assert window_seen["links"] == [
        "safe track record", "veterinary medicine", "how well ketamine works for depression",
        "how it is given", "Next question: Is ketamine safe?"]
    assert window_seen["links_showing"]
    assert window_seen["title_after_link"].startswith("Is ketamine safe? —")
    assert "\nIs ketamine safe?\nWhen ketamine is administered" in window_seen["text_after_link"]


def test_moving_the_focus_in_the_question_list_announces_the_question(window_seen):
    focused = [(event["role"], event["name"]) for event in window_seen["focus_events"]
               if event["type"] == "focus:" or event["detail1"] == 1]
    assert ("table cell", "Where can I get ketamine treatment?") in focused
    # moving the focus does not open it; Return does
    assert window_seen["title_after_keys"].startswith("Does insurance cover")
    assert window_seen["title_after_return"].startswith("Where can I get ketamine treatment? —")


def test_without_the_packages_the_tests_say_what_is_missing(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    missing = missing_parts()
    assert {"Xvfb", "openbox", "dbus-run-session"} <= set(missing)


def test_the_answer_is_a_document_of_headings_and_links(window_seen):
    parts = window_seen["answer_parts"]
    headings = [(p["name"], p["level"]) for p in parts if p["role"] == "heading"]
    assert headings[0] == ("What is ketamine?", "1")
    assert all(level for _name, level in headings)
    paragraphs = [p["name"] for p in parts if p["role"] == "paragraph"]
    assert paragraphs[0] == "About ketamine"  # the group line
    assert any(p.startswith("Ketamine is an anesthetic") for p in paragraphs)
    links = [p for p in parts if p["role"] == "link"]
    assert [link["name"] for link in links] == [
        "safe track record", "veterinary medicine", "how well ketamine works for depression",
        "how it is given", "Is ketamine safe?"]
    assert all(link["actions"] == ["jump"] and link["depth"] == 2 for link in links)
    assert {p["locale"] for p in parts} == {"en_US"} == {window_seen["answer_locale"]}
    assert window_seen["title_after_jump"] != window_seen["jumped_from"]


def test_a_links_jump_action_follows_it(window_seen):
    assert window_seen["jumped_by"] and window_seen["title_after_jump"] != \
        window_seen["jumped_from"]


def test_the_open_question_is_the_selected_row_and_rows_tell_no_lies(window_seen):
    assert window_seen["sidebar_selected"] == "Where can I get ketamine treatment?"
    rows = window_seen["sidebar_rows"]
    groups = [r for r in rows if r["name"] in ("About ketamine", "Getting treatment")]
    assert groups and all(r["expandable"] and r["expanded"] for r in groups)
    leaves = [r for r in rows if r["name"].endswith("?")]
    assert leaves and not any(r["expanded"] or r["expandable"] for r in leaves)
    assert [r["name"] for r in rows if r["selected"]] == ["Where can I get ketamine treatment?"]


def test_search_results_carry_snippets_are_counted_and_open_through_at_spi(window_seen):
    results = window_seen["results"]
    assert results and all(r["description"] for r in results)
    assert "horse" in results[0]["description"].lower()
    count = f"{len(results)} result{'s' if len(results) != 1 else ''}."
    assert count in window_seen["announced_after_search"]
    assert window_seen["results_description"] == count
    assert window_seen["title_after_result_action"].startswith(results[1]["name"])
    assert window_seen["title_after_result_select"].startswith(results[0]["name"])


def test_the_crisis_card_is_spoken_when_it_appears(window_seen):
    spoken = window_seen["announced_after_crisis"]
    assert any("Call or text 988" in line and "911" in line for line in spoken), spoken
    in_form = window_seen["announced_in_form"]
    assert any("988" in line and "days later" in line for line in in_form), in_form


def test_enter_presses_a_toolbar_button_and_the_text_size_is_spoken(window_seen):
    assert "Text size 110%" in window_seen["announced_after_enter"]


def test_the_button_pressed_is_what_is_focused(window_seen):
    # Qt marks an item view's current row FOCUSED even when the view has no focus
    focused = window_seen["focused_after_enter"]
    assert focused[-1] == "A+" and focused.count("A+") == 1, focused


def test_names_are_the_visible_text(window_seen):
    nodes = {node["id"]: node for node in window_seen["window"] if node["id"]}
    assert "988" in nodes["footer"]["name"]
    buttons = [n["name"] for n in window_seen["window"] if n["role"] == "push button"]
    assert "A+" in buttons and "A−" in buttons and "Clear search" in buttons


def test_every_object_says_its_language(spanish_seen):
    assert set(spanish_seen["locales"].values()) == {"es_US"}, spanish_seen
    headings = [p for p in spanish_seen["answer_parts"] if p["role"] == "heading"]
    assert headings and {p["locale"] for p in spanish_seen["answer_parts"]} == {"es_US"}
