"""Read aloud without Qt: sentences, WAV lengths, voices, `main.py read-aloud`, [kiosk] volume.

The WAV tests use the real engine (espeak-ng, installed by dev.py) and check what was written:
its length against the words of the answer at the rate asked for, and that it is speech, not
silence."""

from __future__ import annotations

import array
import json
import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from reader import speech
from reader.config import load_config
from reader.content import load_document

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
needs_engine = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="read aloud needs the espeak-ng program: apt-get install espeak-ng")


@pytest.mark.parametrize(("text", "expected"), [
    ("Is ketamine safe?\nYes. It has been used since 1970!",
     ["Is ketamine safe?", "Yes.", "It has been used since 1970!"]),
    ("The U.S. FDA approved it. Dr. Lee said so, e.g. in trials.",
     ["The U.S. FDA approved it.", "Dr. Lee said so, e.g. in trials."]),
    ("J. K. Smith wrote it (in 2015). Then… more.", ["J. K. Smith wrote it (in 2015).",
                                                    "Then…", "more."]),
    ("¿Es segura? Sí. En EE. UU. se usa desde 1970.",
     ["¿Es segura?", "Sí.", "En EE. UU. se usa desde 1970."]),
    ("A heading\n\n  A list item\nAnother item", ["A heading", "A list item", "Another item"]),
    ("It costs 2.5 times more. \"Really.\" Yes", ["It costs 2.5 times more.", "\"Really.\"",
                                                  "Yes"]),
    ("   \n\n", []),
])
def test_sentences_end_where_a_listener_expects(text, expected):
    assert speech.sentences(text) == expected
    for start, end in speech.sentence_spans(text):  # offsets into the text itself
        assert text[start:end] == text[start:end].strip()


def test_a_title_gets_a_pause_and_a_sentence_becomes_one_line():
    assert speech.spoken("Is ketamine safe") == "Is ketamine safe."
    assert speech.spoken("  Is it\nsafe?  ") == "Is it safe?"


def wav_bytes(frames: int, rate: int = 22050, streamed: bool = False) -> bytes:
    data = b"\x01\x00" * frames
    size = 0x7FFFF000 if streamed else len(data)
    return (b"RIFF" + (size + 36).to_bytes(4, "little") + b"WAVEfmt "
            + (16).to_bytes(4, "little") + (1).to_bytes(2, "little") + (1).to_bytes(2, "little")
            + rate.to_bytes(4, "little") + (rate * 2).to_bytes(4, "little")
            + (2).to_bytes(2, "little") + (16).to_bytes(2, "little")
            + b"data" + size.to_bytes(4, "little") + data)


def test_wav_length_also_when_the_header_was_written_to_a_pipe():
    assert speech.wav_seconds(wav_bytes(22050)) == pytest.approx(1.0)
    assert speech.wav_seconds(wav_bytes(11025, streamed=True)) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        speech.wav_seconds(b"not a wav at all, not at all, not at all, no")


def test_no_engine_names_the_package_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(speech.NoVoice, match=r"no voice for Spanish .*apt-get install espeak-ng"):
        speech.find_voice("es")


def test_an_engine_without_the_voice_names_the_package(tmp_path):
    engine = tmp_path / "espeak-ng"
    engine.write_text("#!/bin/sh\necho 'Error: The specified espeak-ng voice does not exist.' >&2"
                      "\nexit 1\n")
    engine.chmod(0o755)
    with pytest.raises(speech.NoVoice, match=r"English .*espeak-ng"):
        speech.find_voice("en", str(engine))


@needs_engine
def test_the_voices_are_american_english_and_latin_american_spanish():
    assert speech.find_voice("en").name == "en-us"
    assert speech.find_voice("es").name == "es-419"


def run_read_aloud(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "read-aloud", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def speech_figures(path: Path) -> tuple[float, float, float]:
    """(seconds, RMS of the samples as a fraction of full scale, share of 50 ms windows
    that are louder than a whisper): what sox's `stat` tells, from Python."""
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        rate, frames = wav.getframerate(), wav.readframes(wav.getnframes())
    samples = array.array("h", frames)
    rms = (sum(s * s for s in samples) / len(samples)) ** 0.5 / 32768
    window = rate // 20
    loud = [max(abs(s) for s in samples[i:i + window]) > 1000
            for i in range(0, len(samples) - window, window)]
    return len(samples) / rate, rms, sum(loud) / len(loud)


@needs_engine
@pytest.mark.parametrize("lang", ["en", "es"])
def test_read_aloud_writes_speech_as_long_as_the_answer(tmp_path, lang):
    wav = tmp_path / f"safe-{lang}.wav"
    done = run_read_aloud("is-ketamine-safe", "--lang", lang, "--wav", str(wav))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    told = json.loads(lines[0])
    assert (told["id"], told["lang"], told["voice"]) == (
        "is-ketamine-safe", lang, speech.VOICES[lang][0])
    seconds, rms, voiced = speech_figures(wav)
    assert told["seconds"] == pytest.approx(seconds, abs=0.01)
    section = load_document(CONTENT, language=lang).get("is-ketamine-safe")
    words = len(speech.answer_text(section.title, section.text).split())
    assert abs(told["words"] - words) <= 3
    # speech at 155 words a minute, with pauses between sentences
    assert 0.75 * words / 155 * 60 < seconds < 1.35 * words / 155 * 60
    assert rms > 0.03 and voiced > 0.6  # a voice, not silence
    assert not list(tmp_path.glob(".*partial"))


@needs_engine
def test_a_faster_rate_is_a_shorter_recording(tmp_path):
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    for path, rate in ((slow, "110"), (fast, "215")):
        assert run_read_aloud("is-ketamine-safe", "--rate", rate, "--wav",
                              str(path)).returncode == 0
    assert speech_figures(fast)[0] < 0.7 * speech_figures(slow)[0]


def test_read_aloud_without_a_voice_exits_2_naming_the_package(tmp_path):
    wav = tmp_path / "x.wav"
    done = run_read_aloud("is-ketamine-safe", "--lang", "es", "--wav", str(wav),
                          env={"PATH": str(tmp_path)})
    assert done.returncode == 2 and done.stdout == ""
    assert "no voice for Spanish" in done.stderr and "apt-get install espeak-ng" in done.stderr
    assert not wav.exists()


@pytest.mark.parametrize(("args", "why"), [
    (("no-such-question", "--wav", "{tmp}/x.wav"), "no question with the id 'no-such-question'"),
    (("is-ketamine-safe", "--wav", "{tmp}/missing/x.wav"), "is not a folder"),
    (("is-ketamine-safe", "--wav", "{tmp}"), "is a folder: name the WAV file"),
    (("is-ketamine-safe", "--rate", "900", "--wav", "{tmp}/x.wav"), "--rate must be between"),
])
def test_read_aloud_bad_input_is_named(tmp_path, args, why):
    done = run_read_aloud(*(a.format(tmp=tmp_path) for a in args))
    assert done.returncode == 2 and why in done.stderr


def test_kiosk_volume_is_read_and_checked(tmp_path):
    config = tmp_path / "reader.toml"
    config.write_text("[kiosk]\nvolume = 35\n")
    assert load_config(config).kiosk.volume == 35
    assert load_config(tmp_path / "none.toml").kiosk.volume == 80
    for bad, why in (("150", "between 0 (read aloud off) and 100, not 150"),
                     ("true", "must be a whole number"), ('"loud"', "must be a whole number")):
        config.write_text(f"[kiosk]\nvolume = {bad}\n")
        settings = load_config(config)
        assert settings.kiosk.volume == 80
        assert any("[kiosk] volume" in p and why in p for p in settings.problems), \
            settings.problems


def test_config_check_says_what_read_aloud_will_do(tmp_path):
    config = tmp_path / "reader.toml"
    config.write_text("[kiosk]\nvolume = 0\n")
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "config", "check", "--config",
                           str(config)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "volume = 0  # read aloud is off on the kiosk" in done.stdout
    config.write_text("[kiosk]\nvolume = 60\n")
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "config", "check", "--config",
                           str(config)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "PATH": str(tmp_path)})
    assert "volume = 60  # no button on the kiosk: no voice for English" in done.stdout


def engine_telling_its_environment(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """(engine, seen): a fake espeak-ng that appends its environment to `seen`, run with
    secrets in the reader's environment."""
    seen = tmp_path / "environment"
    engine = tmp_path / "espeak-ng"
    engine.write_text(f"#!/bin/sh\nenv >> {seen}.partial && mv {seen}.partial {seen}\n"
                      f"cp {seen} {seen}.partial\n")
    engine.chmod(0o755)
    monkeypatch.setenv("KFR_SMTP_PASSWORD", "hunter2-smtp")
    monkeypatch.setenv("MAIL_API_TOKEN", "hunter2-token")
    monkeypatch.setenv("SMTP_SECRET", "hunter2-secret")
    return engine, seen


def test_the_engine_never_inherits_the_mail_password(tmp_path, monkeypatch):
    """The speech engine is another program: it gets no SMTP password (README's
    KFR_SMTP_PASSWORD), no KFR_ setting and nothing named like a secret."""
    engine, seen = engine_telling_its_environment(tmp_path, monkeypatch)
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    voice = speech.find_voice("es", str(engine))
    with pytest.raises(OSError):  # the fake wrote no WAV; its environment is what counts
        speech.render_wav("Hola.", voice, tmp_path / "hola.wav")
    inherited = seen.read_text()
    assert inherited.count("LANG=es_ES.UTF-8") == 2  # both runs, with what sound needs
    assert "hunter2" not in inherited and "KFR_" not in inherited
