"""Read aloud: the voices, the sentences and the speech engine, without Qt.

The engine is the espeak-ng program (Debian's `espeak-ng`), run as a separate process: no
library is linked into the reader, so the MIT bundle ships no GPL code, and the same command
speaks in the window and writes the WAV of `main.py read-aloud`. The README says why it was
chosen over QtTextToSpeech and speech-dispatcher.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

PROGRAM = "espeak-ng"
# The voice each language is read in, best first: American English and Latin American
# Spanish, the Spanish most of the reader's US readers speak.
VOICES = {"en": ("en-us", "en"), "es": ("es-419", "es")}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
RATES = (110, 125, 140, 155, 170, 190, 215)  # words a minute, slower to faster
DEFAULT_RATE = 155  # espeak-ng's own 175 is brisk for a tired or anxious listener
NORMAL_AMPLITUDE = 100  # espeak-ng's -a: 100 is its normal loudness, 200 the most
CHECK_TIMEOUT_S = 10

_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "st", "no", "approx", "fig", "u.s",
    "sr", "sra", "srta", "dra", "ud", "uds", "p. ej", "ej", "aprox", "núm", "pág", "ee", "uu",
}
# A sentence ends at . ! ? … (and any closing quote or bracket) before a space or the end.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]»]*(?=\s|$)")
_PARAGRAPH = re.compile(r"\s*[\n\u2029\u2028]\s*")


class NoVoice(Exception):
    """No voice for a language: the message names what to install."""


@dataclass(frozen=True)
class Voice:
    language: str  # "en" or "es"
    name: str  # the engine's voice, e.g. "es-419"
    program: str  # the engine's full path


def install_hint() -> str:
    if sys.platform.startswith("linux"):
        return "install the espeak-ng package (sudo apt-get install espeak-ng)"
    return ("install eSpeak NG (https://github.com/espeak-ng/espeak-ng/releases) and put "
            "espeak-ng on the PATH")


_SECRET_NAME = re.compile(r"PASS|SECRET|TOKEN|CREDENTIAL|(^|_)KEY$", re.IGNORECASE)


def engine_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """What the engine's process inherits: everything it may need for its sound, but not the
    SMTP password (README: KFR_SMTP_PASSWORD), the reader's own KFR_ settings, or anything
    named like a secret."""
    environ = dict(os.environ if environ is None else environ)
    return {name: value for name, value in environ.items()
            if not name.startswith("KFR_") and not _SECRET_NAME.search(name)}


def find_program() -> str | None:
    import shutil

    return shutil.which(PROGRAM)


def find_voice(language: str, program: str | None = None) -> Voice:
    """The installed voice for `language`; NoVoice, naming the package, when there is none."""
    import subprocess  # here: the window imports this module before its first paint

    name = LANGUAGE_NAMES.get(language, language)
    program = program or find_program()
    if not program:
        raise NoVoice(f"no voice for {name} is installed: read aloud needs the {PROGRAM} "
                      f"program; {install_hint()}")
    for voice in VOICES.get(language, (language,)):
        try:
            checked = subprocess.run([program, "-q", "-v", voice, "x"], capture_output=True,
                                     timeout=CHECK_TIMEOUT_S, check=False,
                                     env=engine_environment())
        except (OSError, subprocess.TimeoutExpired):
            continue
        if checked.returncode == 0:
            return Voice(language, voice, program)
    raise NoVoice(f"no voice for {name} is installed in {program}: {install_hint()} "
                  f"(its data package espeak-ng-data holds the {name} voice)")


def command(voice: Voice, rate: int = DEFAULT_RATE, amplitude: int = NORMAL_AMPLITUDE,
            wav: Path | None = None, to_stdout: bool = False) -> list[str]:
    """The engine's command line; the text goes to its stdin as UTF-8 (never an argument,
    so a sentence starting with "-" is no option)."""
    args = [voice.program, "-v", voice.name, "-s", str(rate), "-a", str(amplitude), "-b", "1"]
    if wav is not None:
        args += ["-w", str(wav)]
    elif to_stdout:
        args.append("--stdout")
    return [*args, "--stdin"]


def spoken(text: str) -> str:
    """A sentence as the engine gets it: one line, and a title ends with a pause."""
    line = " ".join(text.split())
    if line and line[-1] not in ".!?…:;,\"'”’)»":
        line += "."
    return line


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[(start, end), ...] of each sentence of `text`, in its own offsets: a sentence ends at
    . ! ? … before a space, or at a line or paragraph break, but not after an abbreviation
    (e.g., Dr., EE. UU.) or an initial."""
    spans: list[tuple[int, int]] = []
    position = 0
    for paragraph in _PARAGRAPH.split(text):
        start = text.find(paragraph, position) if paragraph else -1
        if start < 0:
            continue
        position = start + len(paragraph)
        begin = 0
        for match in _SENTENCE_END.finditer(paragraph):
            before = paragraph[begin:match.start()].rsplit(None, 1)
            word = before[-1].lower() if before else ""
            if match.group().startswith(".") and (_is_abbreviation(paragraph, begin, match)
                                                  or (len(word) == 1 and word.isalpha())):
                continue
            spans.append((start + begin, start + match.end()))
            begin = match.end()
        spans.append((start + begin, start + len(paragraph)))
    return [(a + _lead(text[a:b]), b) for a, b in spans if text[a:b].strip()]


def _lead(piece: str) -> int:
    return len(piece) - len(piece.lstrip())


def _is_abbreviation(paragraph: str, begin: int, match: re.Match[str]) -> bool:
    head = paragraph[begin:match.start()].lower()
    return any(head.endswith(" " + short) or head == short for short in _ABBREVIATIONS)


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def answer_text(title: str, body: str) -> str:
    """What is read for a question: its title, then its answer."""
    return f"{title}\n{body}"


def wav_seconds(data: bytes) -> float:
    """The length of a WAV's sound. espeak-ng writing to a pipe cannot go back to fill in
    the sizes in its header, so the data is measured to the end of what was written."""
    if len(data) < 44 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a WAV file")
    offset, rate, block = 12, 0, 0
    while offset + 8 <= len(data):
        kind, size = data[offset:offset + 4], int.from_bytes(data[offset + 4:offset + 8], "little")
        if kind == b"fmt ":
            rate = int.from_bytes(data[offset + 12:offset + 16], "little")
            block = int.from_bytes(data[offset + 20:offset + 22], "little")
        elif kind == b"data":
            if not rate or not block:
                break
            size = min(size, len(data) - offset - 8)
            return size / block / rate
        offset += 8 + size + (size & 1)
    raise ValueError("a WAV file without sound data")


@dataclass(frozen=True)
class Rendered:
    seconds: float
    sentences: int
    words: int


def render_wav(text: str, voice: Voice, path: Path, rate: int = DEFAULT_RATE,
               amplitude: int = NORMAL_AMPLITUDE) -> Rendered:
    """Speak `text` into the WAV file `path`, written whole or not at all."""
    import subprocess

    lines = [spoken(sentence) for sentence in sentences(text)]
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        done = subprocess.run(command(voice, rate, amplitude, wav=partial),
                              input="\n".join(lines).encode(), capture_output=True,
                              check=False, env=engine_environment())
        if done.returncode != 0:
            raise OSError(done.stderr.decode(errors="replace").strip()
                          or f"{PROGRAM} exited with {done.returncode}")
        seconds = wav_seconds(partial.read_bytes())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Rendered(seconds, len(lines), sum(len(line.split()) for line in lines))
