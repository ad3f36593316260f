"""Remembered preferences: round-trip, corrupt files mean defaults, atomic saves."""

from __future__ import annotations

import json
import os

import pytest

from reader.settings import (
    DEFAULT_SCALE,
    MAX_SCALE,
    MIN_SCALE,
    THEMES,
    Preferences,
    load_preferences,
    save_preferences,
)

running_as_root = hasattr(os, "geteuid") and os.geteuid() == 0


def write_json(path, data) -> None:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")


def test_round_trip(tmp_path):
    path = tmp_path / "data" / "settings.json"
    prefs = Preferences(text_scale=175, theme="contrast", last_section="insurance",
                        geometry="AdnQywADAAA=", sidebar_ems=31.5, plan=["scams", "insurance"],
                        paper="a4", large_print=True)
    assert save_preferences(path, prefs) is True
    assert load_preferences(path) == prefs
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "text_scale": 175, "theme": "contrast", "last_section": "insurance",
        "geometry": "AdnQywADAAA=", "sidebar_ems": 31.5, "plan": ["scams", "insurance"],
        "paper": "a4", "large_print": True,
    }


@pytest.mark.parametrize(("data", "plan", "paper", "large"), [
    ({"plan": "scams", "paper": "A5", "large_print": 1}, [], "", False),
    ({"plan": ["scams", 3, None, "insurance"], "paper": "letter", "large_print": True},
     ["scams", "insurance"], "letter", True),
])
def test_a_bad_plan_or_paper_means_the_default(tmp_path, data, plan, paper, large):
    path = tmp_path / "settings.json"
    write_json(path, data)
    prefs = load_preferences(path)
    assert (prefs.plan, prefs.paper, prefs.large_print) == (plan, paper, large)


@pytest.mark.parametrize("value", ['"wide"', "true", "2", "500", "NaN", "-Infinity", "[30]"])
def test_a_bad_sidebar_width_means_the_default(tmp_path, value):
    path = tmp_path / "settings.json"
    write_json(path, f'{{"sidebar_ems": {value}, "text_scale": 150}}')
    assert load_preferences(path) == Preferences(text_scale=150, sidebar_ems=0.0)


def test_a_whole_number_sidebar_width_is_kept(tmp_path):
    path = tmp_path / "settings.json"
    write_json(path, {"sidebar_ems": 30})
    assert load_preferences(path).sidebar_ems == 30.0


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_round_trips(tmp_path, theme):
    path = tmp_path / "settings.json"
    assert save_preferences(path, Preferences(theme=theme))
    assert load_preferences(path).theme == theme


def test_missing_file_means_defaults(tmp_path):
    prefs = load_preferences(tmp_path / "none.json")
    assert prefs == Preferences()
    assert (prefs.text_scale, prefs.theme, prefs.last_section, prefs.geometry) == (
        DEFAULT_SCALE, "system", "", "")


@pytest.mark.parametrize("content", [
    "{not json",
    "",
    "[1, 2, 3]",
    '"a string"',
    "null",
    '{"text_scale": 1',
])
def test_corrupt_json_means_defaults(tmp_path, content):
    path = tmp_path / "settings.json"
    write_json(path, content)
    assert load_preferences(path) == Preferences()


def test_not_utf8_means_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_bytes(b'{"theme": "\xff\xfe"}')
    assert load_preferences(path) == Preferences()


def test_a_folder_in_place_of_the_file_means_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.mkdir()
    assert load_preferences(path) == Preferences()


@pytest.mark.parametrize(("stored", "expected"), [
    (10, MIN_SCALE),
    (-500, MIN_SCALE),
    (MIN_SCALE, MIN_SCALE),
    (MAX_SCALE, MAX_SCALE),
    (301, MAX_SCALE),
    (10**12, MAX_SCALE),
    (125, 125),
    (125.5, DEFAULT_SCALE),
    ("150", DEFAULT_SCALE),
    (None, DEFAULT_SCALE),
    (True, DEFAULT_SCALE),  # a JSON true is not a text size
])
def test_text_scale_is_clamped_or_defaulted(tmp_path, stored, expected):
    path = tmp_path / "settings.json"
    write_json(path, {"text_scale": stored})
    prefs = load_preferences(path)
    assert prefs.text_scale == expected
    assert type(prefs.text_scale) is int


def test_bad_values_fall_back_one_by_one(tmp_path):
    path = tmp_path / "settings.json"
    write_json(path, {"text_scale": 200, "theme": "neon", "last_section": 42,
                      "geometry": ["x"], "extra": "ignored"})
    assert load_preferences(path) == Preferences(text_scale=200)


def test_unhashable_theme_means_system(tmp_path):
    path = tmp_path / "settings.json"
    write_json(path, {"theme": {"name": "dark"}, "last_section": "scams"})
    assert load_preferences(path) == Preferences(last_section="scams")


def test_nan_and_infinity_mean_default(tmp_path):
    path = tmp_path / "settings.json"
    write_json(path, '{"text_scale": NaN}')
    assert load_preferences(path).text_scale == DEFAULT_SCALE
    write_json(path, '{"text_scale": Infinity}')
    assert load_preferences(path).text_scale == DEFAULT_SCALE


def test_save_creates_the_data_dir(tmp_path):
    path = tmp_path / "a" / "b" / "settings.json"
    assert save_preferences(path, Preferences(text_scale=90))
    assert load_preferences(path).text_scale == 90
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


def test_save_to_an_impossible_place_returns_false(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert save_preferences(blocker / "settings.json", Preferences()) is False


@pytest.mark.skipif(running_as_root or os.name != "posix", reason="root writes anywhere")
def test_save_to_an_unwritable_dir_returns_false(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert save_preferences(folder / "settings.json", Preferences()) is False
    finally:
        folder.chmod(0o700)


def test_a_failed_save_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    assert save_preferences(path, Preferences(text_scale=150, theme="dark"))
    before = path.read_bytes()

    def refuse(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    assert save_preferences(path, Preferences(text_scale=50)) is False
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_saving_over_a_corrupt_file_repairs_it(tmp_path):
    path = tmp_path / "settings.json"
    write_json(path, "{garbage")
    prefs = load_preferences(path)
    prefs.text_scale = 110
    assert save_preferences(path, prefs)
    assert load_preferences(path).text_scale == 110
