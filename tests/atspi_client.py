"""A screen reader's view of the reader, through AT-SPI: run by tests/test_atspi.py.

Runs on the system Python (/usr/bin/python3, where Debian's python3-pyatspi lives), inside
the test's D-Bus session: it starts the reader (the command after `--`), finds it on the
accessibility bus, does what a screen-reader user does, and prints one JSON object of what
it saw. It judges nothing; the test does.

    python3 tests/atspi_client.py window|kiosk -- COMMAND...
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import gi

gi.require_version("Atspi", "2.0")
import pyatspi  # noqa: E402
from gi.repository import GLib  # noqa: E402

APP_NAME = "Ketamine FAQ Reader"
ROW_BY_ACTION = "How long does the relief last?"
ROW_BY_SELECTION = "Does insurance cover ketamine treatment?"
events: list[dict] = []


def pump(seconds: float) -> None:
    """Let AT-SPI events arrive for `seconds`."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.iteration(False):
            pass
        time.sleep(0.02)


def wait_for(predicate, timeout: float = 10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            found = predicate()
        except Exception:  # an accessible went away while we looked: look again
            found = None
        if found:
            return found
        pump(0.1)
    return None


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name == APP_NAME:
            return app
    return None


def ident(acc) -> str:
    try:
        return acc.accessibleId or ""
    except Exception:
        return ""


def walk(acc, depth=0):
    yield depth, acc
    for child in acc:
        if child is not None:
            yield from walk(child, depth + 1)


def describe(acc, depth: int) -> dict:
    states = acc.getState()
    try:
        action = acc.queryAction()
        actions = [action.getName(i) for i in range(action.nActions)]
    except NotImplementedError:
        actions = []
    try:
        attributes = dict(item.split(":", 1) for item in acc.getAttributes())
    except Exception:
        attributes = {}
    return {"depth": depth, "role": acc.getRoleName(), "name": acc.name or "",
            "description": acc.description or "",
            "id": ident(acc).rsplit(".", 1)[-1], "actions": actions,
            "level": attributes.get("level", ""), "locale": locale_of(acc),
            "showing": states.contains(pyatspi.STATE_SHOWING),
            "focusable": states.contains(pyatspi.STATE_FOCUSABLE),
            "focused": states.contains(pyatspi.STATE_FOCUSED),
            "selected": states.contains(pyatspi.STATE_SELECTED),
            "expanded": states.contains(pyatspi.STATE_EXPANDED),
            "expandable": states.contains(pyatspi.STATE_EXPANDABLE),
            "required": states.contains(pyatspi.STATE_REQUIRED),
            "invalid": states.contains(pyatspi.STATE_INVALID_ENTRY)}


def locale_of(acc) -> str:
    try:
        return acc.get_object_locale() or ""
    except Exception:
        return ""


def tree(acc) -> list[dict]:
    return [describe(node, depth) for depth, node in walk(acc)]


def by_id(root, object_name: str):
    for _depth, node in walk(root):
        if ident(node).rsplit(".", 1)[-1] == object_name:
            return node
    return None


def child_named(acc, name: str):
    for child in acc:
        if child is not None and child.name == name:
            return child
    return None


def text_of(acc) -> str:
    text = acc.queryText()
    return text.getText(0, text.characterCount)


def do_action(acc, name: str) -> bool:
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) == name:
            return bool(action.doAction(i))
    return False


def frames(app, role="frame"):
    return [child for child in app if child is not None and child.getRoleName() == role]


def on_event(event) -> None:
    source = event.source
    try:
        role, name = source.getRoleName(), source.name or ""
    except Exception:
        role, name = "", ""
    events.append({"type": event.type, "detail1": event.detail1, "role": role, "name": name})


def listen() -> None:
    for kind in ("object:state-changed:focused", "focus:", "object:state-changed:showing"):
        pyatspi.Registry.registerEventListener(on_event, kind)


def spoken_notifications() -> list[str]:
    """The notifications that appeared: what Orca speaks at once."""
    return [e["name"] for e in events if e["type"] == "object:state-changed:showing"
            and e["detail1"] == 1 and e["role"] == "notification"]


def type_into(acc, text: str) -> None:
    """Set a field's text the way voice control does, through EditableText."""
    acc.queryEditableText().setTextContents(text)


def press(keysym: int, times: int = 1) -> None:
    for _ in range(times):
        pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
        pump(0.3)


def window_scenario(app) -> dict:
    out: dict = {}
    frame = wait_for(lambda: frames(app) and frames(app)[0])
    viewer = wait_for(lambda: by_id(frame, "viewer"))
    sidebar = by_id(frame, "sidebar")
    # the File menu gains printing after the first paint: the window is complete then
    wait_for(lambda: any(node.name == "Present" for _depth, node in walk(frame)))
    pump(0.3)
    out["window"] = tree(frame)
    out["first_text"] = text_of(viewer)
    # The answer as a document: its headings, paragraphs, list items and links
    out["answer_parts"] = [describe(node, depth) for depth, node in walk(viewer)][1:]
    out["answer_locale"] = locale_of(viewer)

    # The links of the answer: the list, and following one by its action
    out["hypertext_links"] = _hypertext_links(viewer)
    links = by_id(frame, "answerLinks")
    out["links"] = [c.name for c in links] if links is not None else []
    out["links_showing"] = bool(links) and links.getState().contains(pyatspi.STATE_SHOWING)
    if out["links"]:
        do_action(links[0], "Toggle")
        out["title_after_link"] = wait_for(lambda: "What is" not in frame.name
                                           and frame.name) or frame.name
        out["text_after_link"] = text_of(viewer)

    # A row's own action (Toggle, what Orca's "activate" does on a list row)
    row = child_named(sidebar, ROW_BY_ACTION)
    out["row_actions"] = describe(row, 0)["actions"]
    do_action(row, "Toggle")
    out["title_after_action"] = wait_for(lambda: ROW_BY_ACTION in frame.name
                                         and frame.name) or frame.name
    out["text_after_action"] = text_of(viewer)

    # Selecting a row through the Selection interface (a screen reader's "select")
    index = [c.name for c in sidebar].index(ROW_BY_SELECTION)
    out["selected"] = bool(sidebar.querySelection().selectChild(index))
    out["title_after_select"] = wait_for(lambda: ROW_BY_SELECTION in frame.name
                                         and frame.name) or frame.name
    out["text_after_select"] = text_of(viewer)

    # Moving the focus in the question list with the keyboard: what is announced
    listen()
    sidebar.queryComponent().grabFocus()
    pump(0.5)
    del events[:]
    press(0xFF52)  # Up
    wait_for(lambda: any(e["type"] == "focus:" and e["role"] == "table cell" for e in events),
             timeout=5)
    pump(0.2)
    out["focus_events"] = list(events)
    out["title_after_keys"] = frame.name
    press(0xFF0D)  # Return opens the focused question
    out["title_after_return"] = wait_for(lambda: frame.name != out["title_after_keys"]
                                         and frame.name) or frame.name

    out["sidebar_selected"] = _selected_name(sidebar)
    out["sidebar_rows"] = [describe(row, 0) for row in sidebar]

    # An answer's link followed by its own action
    before = frame.name
    link = next((node for depth, node in walk(viewer) if depth and
                 node.getRoleName() == "link"), None)
    if link is not None:
        out["jumped_from"], out["jumped_by"] = before, link.name
        do_action(link, "jump")
        out["title_after_jump"] = wait_for(lambda: frame.name != before and frame.name) \
            or frame.name

    # A search: results with their snippets, the count announced, opened by action and
    # by selection
    del events[:]
    field = by_id(frame, "searchField")
    type_into(field, "horse")
    results = wait_for(lambda: (lambda r: r if r is not None and r.childCount else None)(
        by_id(frame, "searchResults")))
    wait_for(lambda: spoken_notifications(), timeout=5)
    out["announced_after_search"] = spoken_notifications()
    out["results"] = [describe(row, 0) for row in results] if results else []
    out["results_description"] = results.description if results else ""
    if results is not None and results.childCount >= 2:
        first, second = results[0].name, results[1].name
        do_action(results[1], "Toggle")
        out["title_after_result_action"] = wait_for(
            lambda: frame.name.startswith(second) and frame.name) or frame.name
        results.querySelection().selectChild(0)
        out["title_after_result_select"] = wait_for(
            lambda: frame.name.startswith(first) and frame.name) or frame.name

    # Crisis words: the card appears and is spoken at once
    del events[:]
    type_into(field, "i want to kill myself")
    out["announced_after_crisis"] = wait_for(
        lambda: [n for n in spoken_notifications() if "988" in n], timeout=10) or \
        spoken_notifications()
    type_into(field, "")
    pump(0.3)

    # Enter presses a toolbar button; the new text size is spoken
    del events[:]
    larger = next(node for _d, node in walk(by_id(frame, "toolbar"))
                  if node.getRoleName() == "push button" and node.name == "A+")
    larger.queryComponent().grabFocus()
    pump(0.3)
    press(0xFF0D)  # Return
    out["announced_after_enter"] = wait_for(
        lambda: [n for n in spoken_notifications() if "Text size" in n], timeout=5) or \
        spoken_notifications()
    out["focused_after_enter"] = [n["name"] for n in tree(frame) if n["focused"]]

    # The feedback form, opened by its button's action
    do_action(by_id(frame, "feedbackButton"), "Press")
    form = wait_for(lambda: by_id(app, "feedbackForm"))
    pump(0.5)
    out["form"] = tree(form) if form is not None else []
    if form is not None:
        del events[:]
        type_into(by_id(form, "feedbackComments"), "i want to kill myself")
        out["announced_in_form"] = wait_for(
            lambda: [n for n in spoken_notifications() if "988" in n], timeout=10) or \
            spoken_notifications()
    return out


def _selected_name(view) -> str:
    try:
        selected = view.querySelection().getSelectedChild(0)
    except Exception:
        return ""
    return selected.name if selected is not None else ""


def _hypertext_links(viewer) -> int:
    try:
        return viewer.queryHypertext().getNLinks()
    except NotImplementedError:
        return -1


def kiosk_scenario(app) -> dict:
    frame = wait_for(lambda: frames(app) and frames(app)[0])
    wait_for(lambda: by_id(frame, "viewer"))
    wait_for(lambda: by_id(frame, "readAloudButton"), timeout=5)  # once a voice is found
    pump(0.5)
    return {"kiosk": tree(frame)}


def engine_processes(reader_pid: int) -> int:
    """How many espeak-ng processes the reader runs now (its children)."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                          if ":\t" in line)
        except OSError:
            continue
        if fields.get("Name", "").strip() == "espeak-ng" and \
                fields.get("PPid", "").strip() == str(reader_pid):
            count += 1
    return count


def read_aloud_scenario(app, reader_pid: int) -> dict:
    """Read aloud pressed, paused, resumed and stopped through the buttons' actions."""
    out: dict = {}
    frame = wait_for(lambda: frames(app) and frames(app)[0])
    button = wait_for(lambda: by_id(frame, "readAloudButton"))
    out["name_before"] = button.name
    out["pressed"] = do_action(button, "Press")
    out["name_reading"] = wait_for(lambda: button.name if button.name != out["name_before"]
                                   else None) or button.name
    out["speaking"] = bool(wait_for(lambda: engine_processes(reader_pid), timeout=10))
    stop = wait_for(lambda: by_id(frame, "readAloudStop"))
    out["controls"] = sorted(node.name for node in (by_id(frame, name) for name in (
        "readAloudStop", "readAloudSlower", "readAloudFaster")) if node is not None)
    do_action(button, "Press")
    out["name_paused"] = wait_for(lambda: button.name if button.name != out["name_reading"]
                                  else None) or button.name
    out["silent_when_paused"] = bool(wait_for(lambda: engine_processes(reader_pid) == 0))
    do_action(button, "Press")
    wait_for(lambda: engine_processes(reader_pid), timeout=10)
    out["stop_pressed"] = do_action(stop, "Press")
    out["name_after_stop"] = wait_for(lambda: button.name if button.name == out["name_before"]
                                      else None) or button.name
    out["silent_after_stop"] = bool(wait_for(lambda: engine_processes(reader_pid) == 0))
    return out


def spanish_scenario(app) -> dict:
    """The reader in Spanish: the language each object reports."""
    frame = wait_for(lambda: frames(app) and frames(app)[0])
    viewer = wait_for(lambda: by_id(frame, "viewer"))
    wait_for(lambda: viewer.childCount)
    pump(0.3)
    seen: dict = {}

    def look() -> bool:
        """True once every object answered with a locale: on a loaded machine a call may
        time out (locale_of gives ""), so look again; what was seen last is reported."""
        locales: dict[str, str] = {}
        for node in tree(frame):  # an answer's parts carry the viewer's id: viewer first
            if node["id"] in ("mainWindow", "viewer", "searchField", "footer"):
                locales.setdefault(node["id"], node["locale"])
        parts = [describe(node, depth) for depth, node in walk(viewer)][1:]
        seen.update(locales=locales, answer_parts=parts)
        return len(locales) == 4 and all(locales.values()) and all(p["locale"] for p in parts)

    if not wait_for(look):
        look()  # once more, unguarded: what it sees (or what goes wrong) is the report
    return seen


SCENARIOS = {"window": window_scenario, "kiosk": kiosk_scenario, "spanish": spanish_scenario,
             "read_aloud": read_aloud_scenario}


def main(argv: list[str]) -> int:
    scenario, command = argv[0], argv[argv.index("--") + 1:]
    reader = subprocess.Popen(command)
    try:
        app = wait_for(find_app, timeout=30)
        if app is None:
            print(json.dumps({"error": "the reader did not appear on the accessibility bus"}))
            return 1
        if scenario == "read_aloud":
            print(json.dumps(read_aloud_scenario(app, reader.pid)))
        else:
            print(json.dumps(SCENARIOS[scenario](app)))
        return 0
    finally:
        reader.terminate()
        try:
            reader.wait(10)
        except subprocess.TimeoutExpired:
            reader.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
