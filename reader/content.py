"""A folder of Markdown files into a Document of sections. No Qt.

Format: each `.md` file may start with a `# Group title` (the sidebar groups questions
under it); each `## Question? {#stable-id}` starts a section. A file without `##`
headings is one section. Files are read in sorted order. Metadata (title, publisher,
date of the text, notice, crisis line) comes from an optional `metadata.toml`.

Translations live in subfolders named by a two-letter language code that hold their own
`metadata.toml` (`content/es/`); they are not part of the folder's own document.
`load_document(folder, language="es")` reads one, with the same `{#id}`s: a section the
translation lacks is taken from the original and marked `fallback`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Container, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from reader.crisis import DANGER_LINE, CrisisText, content_root
from reader.paths import write_private_file

if TYPE_CHECKING:
    import markdown

RENDERER_VERSION = "2"
MARKDOWN_EXTENSIONS = ["toc", "attr_list", "sane_lists", "smarty", "tables", "fenced_code"]
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_HEADING_RE = re.compile(r"^(#{1,2})[ \t]+(.*?)[ \t#]*$")
_ATTR_RE = re.compile(r"\s*\{:?([^{}]*#[^{}]*)\}\s*$")  # a heading's {#id} or {: #id .class}
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
SOURCE_LANGUAGE = "en"


class ContentError(Exception):
    """The content folder cannot be used at all; the message says why."""


@dataclass(frozen=True)
class NewerTopic:
    """A subject newer than the text (a drug approved since, say), and a neutral note."""

    terms: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Metadata:
    """metadata.toml: who wrote the FAQ, when, and the lines shown with it."""

    title: str = "Ketamine FAQ"
    publisher: str = ""
    website: str = ""
    text_date: str = ""
    date_note: str = ""
    notice: str = "General information, not medical advice."
    crisis_line: str = ""
    # the notice and the crisis line short enough for a footer (a handout page's, a
    # slide's) at a size people can read; empty: the footer shortens or shrinks the whole
    # ones. Each belongs to its whole line: a translation or a setting that gives its own
    # notice or crisis line without one drops the original's (see _footer_forms_kept).
    footer_notice: str = ""
    footer_crisis_line: str = ""
    danger_line: str = DANGER_LINE
    feedback_address: str = "feedback@ketaminenetwork.org"
    newer_topics: tuple[NewerTopic, ...] = ()


@dataclass(frozen=True)
class Section:
    """One question and its answer, as written in Markdown."""

    id: str
    title: str
    group: str
    markdown: str
    source: Path
    line: int
    fallback: bool = False  # in a translation: not translated yet, shown in the original

    @property
    def text(self) -> str:
        """Plain text of the answer, for search and snippets."""
        return markdown_to_text(self.markdown)


@dataclass
class Document:
    """The FAQ in one language: its sections in reading order."""

    folder: Path
    metadata: Metadata
    sections: list[Section]
    fingerprint: str
    problems: list[str] = field(default_factory=list)
    language: str = SOURCE_LANGUAGE

    def __post_init__(self) -> None:
        self._by_id = {s.id: s for s in self.sections}

    @property
    def home(self) -> Section:
        return self.sections[0]

    @property
    def untranslated(self) -> list[str]:
        """Ids shown in the original language because the translation lacks them."""
        return [s.id for s in self.sections if s.fallback]

    def get(self, section_id: str) -> Section | None:
        return self._by_id.get(section_id)

    def groups(self) -> list[tuple[str, list[Section]]]:
        groups: list[tuple[str, list[Section]]] = []
        for section in self.sections:
            if not groups or groups[-1][0] != section.group:
                groups.append((section.group, []))
            groups[-1][1].append(section)
        return groups


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "section"


def markdown_to_text(md: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", md)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\{[:#.][^}]*\}", " ", text)
    text = re.sub(r"(?m)^\s{0,3}(?:[>#]+|[-*+]|\d+[.)])\s+", "", text)
    text = re.sub(r"[*_`|]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _split_heading(raw: str) -> tuple[str, str | None]:
    """The heading's text, and what its trailing {...} holds (None without one)."""
    match = _ATTR_RE.search(raw)
    if match:
        return raw[: match.start()].strip(), match.group(1).strip()
    return raw.strip(), None


def _heading_id(attributes: str) -> str:
    """The id in a heading's {#id}; ValueError unless it is exactly one well-formed id
    (with, at most, .class words beside it)."""
    words = attributes.split()
    ids = [w[1:] for w in words if w.startswith("#")]
    others = [w for w in words if not w.startswith(("#", "."))]
    if len(ids) == 1 and not others and _ID_RE.match(ids[0]):
        return ids[0]
    raise ValueError(f"id {{{attributes}}} is not valid: write {{#an-id}}, which may hold "
                     "only a-z, 0-9, - and _")


class _Heading(TypedDict):
    """A section while its lines are read."""

    id: str
    title: str
    group: str
    line: int
    lines: list[str]


def _parse_file(path: Path, rel: str, text: str) -> list[Section]:
    """Sections of one file; raises ValueError with a message for a malformed file."""
    if "\x00" in text:
        raise ValueError("contains binary data (NUL bytes); is it really a Markdown file?")
    group = ""
    sections: list[Section] = []
    current: _Heading | None = None
    preamble: list[str] = []
    in_fence = False

    def close() -> None:
        if current is not None:
            body = "\n".join(current["lines"]).strip("\n")
            sections.append(Section(id=current["id"], title=current["title"],
                                    group=current["group"], markdown=body + "\n",
                                    source=path, line=current["line"]))

    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING_RE.match(line)
        if heading and len(heading.group(1)) == 1 and current is None and not group:
            group, _ = _split_heading(heading.group(2))
            if not group:
                raise ValueError(f"line {number}: the '#' heading has no title")
            continue
        if heading and len(heading.group(1)) == 2:
            title, attributes = _split_heading(heading.group(2))
            if not title:
                raise ValueError(f"line {number}: the '##' heading has no question text")
            try:
                explicit_id = _heading_id(attributes) if attributes is not None else None
            except ValueError as exc:
                raise ValueError(f"line {number}: {exc}") from None
            close()
            current = {
                "id": explicit_id or slugify(title),
                "title": title,
                "group": group,
                "line": number,
                "lines": [],
            }
            continue
        (current["lines"] if current is not None else preamble).append(line)

    close()
    intro = "\n".join(preamble).strip()
    if intro:
        title = group or Path(rel).stem.replace("-", " ").replace("_", " ").strip().capitalize()
        first = Section(
            id=slugify(Path(rel).stem),
            title=title,
            group=group,
            markdown=intro + "\n",
            source=path,
            line=1,
        )
        sections.insert(0, first)
    return sections


def _read_metadata(folder: Path, problems: list[str]) -> Metadata:
    path = folder / "metadata.toml"
    if not path.exists():
        return Metadata(title=folder.resolve().name.replace("-", " ").title() or "FAQ")
    try:
        data, broken = read_metadata_toml(path)
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: ignored, cannot be read ({exc})")
        return Metadata()
    if broken:
        problems.append(f"{path}: not valid TOML ({broken}); only the lines that read alone "
                        f"are used ({', '.join(sorted(data)) or 'none'})")
    known = Metadata.__dataclass_fields__
    values = {k: str(v).strip() for k, v in data.items() if k in known and k != "newer_topics"}
    for key in sorted(set(data) - set(known)):
        problems.append(f"{path}: unknown key {key!r} ignored")
    topics = _newer_topics(data.get("newer_topics", []), path, problems)
    return Metadata(**values, newer_topics=topics)


def _newer_topics(entries: object, path: Path, problems: list[str]) -> tuple[NewerTopic, ...]:
    """[[newer_topics]] tables, each with `terms` (a list of words) and a `note`."""
    if not isinstance(entries, list):
        problems.append(f"{path}: newer_topics ignored: write it as [[newer_topics]] tables")
        return ()
    topics = []
    for number, entry in enumerate(entries, 1):
        terms = entry.get("terms") if isinstance(entry, dict) else None
        note = entry.get("note") if isinstance(entry, dict) else None
        if (not isinstance(terms, list) or not terms or not isinstance(note, str)
                or not note.strip() or not all(isinstance(t, str) and t.strip() for t in terms)):
            problems.append(f"{path}: newer_topics entry {number} ignored: it needs "
                            "terms = [\"word\", ...] and note = \"...\"")
            continue
        topics.append(NewerTopic(tuple(t.strip() for t in terms), note.strip()))
    return tuple(topics)


def translations(folder: Path | str) -> list[str]:
    """Language codes of the translations in `folder`: two-letter subfolders with metadata."""
    try:
        return sorted(
            p.name for p in Path(folder).iterdir()
            if _LANGUAGE_RE.match(p.name) and (p / "metadata.toml").is_file()
        )
    except OSError:
        return []


def system_language(environ: Mapping[str, str] = os.environ) -> str:
    """The two-letter language of the POSIX locale (LC_ALL, LC_MESSAGES, LANG), or ""."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value[:2].lower()
            return code if _LANGUAGE_RE.match(code) and value[2:3] in ("", "_", ".", "@") else ""
    return ""


def choose_language(folder: Path | str, requested: str = "", configured: str = "",
                    environ: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """(language, warning): --lang as asked (load_document says if it is missing), then
    reader.toml's [reader] language, then the system's language, each only when `folder`
    holds that translation; otherwise the original."""
    if requested:
        return requested, ""
    available = {SOURCE_LANGUAGE, *translations(folder)}
    if configured:
        if configured in available:
            return configured, ""
        return SOURCE_LANGUAGE, (f"[reader] language = {configured!r}: {folder} has no such "
                                 f"translation; showing the original ({SOURCE_LANGUAGE})")
    system = system_language(environ)
    return (system if system in available else SOURCE_LANGUAGE), ""


def load_document(folder: Path | str, crisis_line: str = "", danger_line: str = "",
                  language: str = "") -> Document:
    """Read every Markdown file under `folder`, or its translation into `language`.

    Raises ContentError when the folder is missing, unreadable or holds no section, or
    when the language asked for has no translation there.
    A single broken file is skipped and named in `Document.problems`, so a clinic's
    extra page cannot take the whole FAQ down.
    """
    folder = Path(folder)
    if language and language != SOURCE_LANGUAGE:
        document = _load_translation(folder, language)
    else:
        document = _load_folder(folder)
    if crisis_line:
        document.metadata = replace(document.metadata, crisis_line=crisis_line,
                                    footer_crisis_line="")
    if danger_line:
        document.metadata = replace(document.metadata, danger_line=danger_line)
    return document


def _load_translation(folder: Path, language: str) -> Document:
    original = _load_folder(folder)
    if language not in translations(folder):
        raise ContentError(
            f"The content folder {folder} has no translation {language!r} "
            f"(a subfolder {language}/ with its own metadata.toml)."
        )
    translated = _load_folder(folder / language, excluded=())
    own = {s.id: s for s in translated.sections}
    group_of_file: dict[Path, str] = {}
    for section in translated.sections:
        group_of_file.setdefault(section.source.relative_to(translated.folder), section.group)
    sections = []
    for section in original.sections:
        if section.id in own:
            sections.append(own.pop(section.id))
        else:
            group = group_of_file.get(section.source.relative_to(folder), section.group)
            sections.append(replace(section, group=group, fallback=True))
    order = [s.id for s in translated.sections]
    for section_id, section in own.items():  # only in the translation: after its neighbour
        before = order[: order.index(section_id)]
        placed = [n for n, s in enumerate(sections) if s.id in before]
        sections.insert(placed[-1] + 1 if placed else 0, section)
    own_keys = _metadata_keys(folder / language)
    metadata = replace(original.metadata, **{
        key: value for key, value in vars(translated.metadata).items()
        if value and key in own_keys
    })
    metadata = _footer_forms_kept(metadata, own_keys)
    digest = hashlib.sha256(f"{language}\0{original.fingerprint}\0{translated.fingerprint}"
                            .encode())
    return Document(folder / language, metadata, sections, digest.hexdigest(),
                    translated.problems, language)


def crisis_text(document: Document, staff_note: str = "", others: bool = True) -> CrisisText:
    """The crisis card's words in the document's language and, with `others`, the crisis and
    danger lines of each other language the content has (for words typed in that one)."""
    meta = document.metadata
    found = []
    root = content_root(document.folder)
    for language in [SOURCE_LANGUAGE, *translations(root)] if others else []:
        if language == document.language:
            continue
        own = _read_toml(root / "metadata.toml" if language == SOURCE_LANGUAGE
                         else root / language / "metadata.toml")
        line = own.get("crisis_line")
        if isinstance(line, str) and line.strip():
            danger = own.get("danger_line")
            found.append((language, line, danger if isinstance(danger, str) else ""))
    return CrisisText(meta.crisis_line, meta.danger_line, staff_note, document.language,
                      tuple(found))


def _read_toml(path: Path) -> dict[str, object]:
    try:
        return read_metadata_toml(path)[0]
    except (OSError, UnicodeDecodeError):
        return {}


def _footer_forms_kept(metadata: Metadata, own_keys: set[str]) -> Metadata:
    """A translation that has its own notice or crisis line and not its footer form never
    shows the original's footer form (in the original's language) in its footers."""
    if "notice" in own_keys and "footer_notice" not in own_keys:
        metadata = replace(metadata, footer_notice="")
    if "crisis_line" in own_keys and "footer_crisis_line" not in own_keys:
        metadata = replace(metadata, footer_crisis_line="")
    return metadata


def _metadata_keys(folder: Path) -> set[str]:
    try:
        return set(read_metadata_toml(folder / "metadata.toml")[0])
    except (OSError, UnicodeDecodeError):
        return set()


def read_metadata_toml(path: Path) -> tuple[dict[str, object], str]:
    """metadata.toml's keys and "" or, when it is not valid TOML, what each table and line
    that still reads alone says and the reason: one typo elsewhere never costs a
    translation its own crisis line. Raises OSError or UnicodeDecodeError."""
    text = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(text), ""
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
    data: dict[str, object] = {}
    chunks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.lstrip().startswith("["):
            chunks.append([])
        chunks[-1].append(line)
    for chunk in chunks:
        try:
            part = tomllib.loads("\n".join(chunk))
        except tomllib.TOMLDecodeError:
            if chunk and chunk[0].lstrip().startswith("["):
                continue  # a broken [[newer_topics]] entry is left out whole
            part = {}
            for line in chunk:
                try:
                    part.update(tomllib.loads(line))
                except tomllib.TOMLDecodeError:
                    continue
        for key, value in part.items():
            if isinstance(value, list) and isinstance(data.get(key), list):
                data[key] = [*data[key], *value]  # type: ignore[misc]
            else:
                data.setdefault(key, value)
    return data, reason


def _load_folder(folder: Path, excluded: tuple[str, ...] | None = None) -> Document:
    if not folder.is_dir():
        raise ContentError(f"The content folder {folder} does not exist or is not a folder.")
    if excluded is None:
        excluded = tuple(translations(folder))
    try:
        os.listdir(folder)  # rglob alone hides a PermissionError as "no files"
        files = sorted(
            (p for p in folder.rglob("*.md") if p.relative_to(folder).parts[0] not in excluded),
            key=lambda p: p.relative_to(folder).as_posix(),
        )
    except OSError as exc:
        raise ContentError(f"The content folder {folder} cannot be read: {exc.strerror}") from None
    if not files:
        raise ContentError(f"The content folder {folder} holds no Markdown (.md) files.")

    problems: list[str] = []
    sections: list[Section] = []
    seen: dict[str, Section] = {}
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for path in files:
        rel = path.relative_to(folder).as_posix()
        try:
            raw = path.read_bytes()
            file_sections = _parse_file(path, rel, raw.decode("utf-8"))
        except OSError as exc:
            problems.append(f"{path}: cannot be read ({exc.strerror}); skipped")
            continue
        except UnicodeDecodeError as exc:
            problems.append(
                f"{path}: is not UTF-8 text (byte {exc.start}); skipped. "
                "Save it as UTF-8 and start again."
            )
            continue
        except ValueError as exc:
            problems.append(f"{path}: {exc}; skipped")
            continue
        digest.update(rel.encode() + b"\0" + raw + b"\0")
        for section in file_sections:
            if section.id in seen:
                other = seen[section.id]
                new_id = _unique_id(section.id, seen)
                problems.append(
                    f"{path}:{section.line}: id '{section.id}' is also used at "
                    f"{other.source}:{other.line}; renamed to '{new_id}'"
                )
                section = replace(section, id=new_id)
            seen[section.id] = section
            sections.append(section)

    if not sections:
        detail = "; ".join(problems) if problems else "no questions found"
        raise ContentError(f"The content folder {folder} has nothing to show: {detail}")
    metadata = _read_metadata(folder, problems)
    return Document(folder, metadata, sections, digest.hexdigest(), problems)


_HREF_RE = re.compile(r'href="#([^"]*)"')
_ANCHOR_RE = re.compile(r'\bid="([^"]*)"')


def check_document(document: Document, renderer: Renderer | None = None) -> list[str]:
    """What breaks reading, for `content check` (the window only warns): links to an id
    that no question and no heading on the page has, empty answers, a title used twice.
    Each problem starts with `file:line:`."""
    from html import unescape
    from urllib.parse import unquote

    renderer = renderer or Renderer(document)
    problems: list[str] = []
    titles: dict[str, Section] = {}
    for section in document.sections:
        where = f"{section.source}:{section.line}"
        if not section.text:
            problems.append(f"{where}: the question {section.title!r} has no answer")
        title = " ".join(section.title.casefold().split())
        if title in titles:
            other = titles[title]
            problems.append(f"{where}: the title {section.title!r} is also used at "
                            f"{other.source}:{other.line}")
        titles.setdefault(title, section)
        html = renderer.html(section)
        anchors = set(_ANCHOR_RE.findall(html))
        for href in dict.fromkeys(_HREF_RE.findall(html)):
            target = unquote(unescape(href))
            if document.get(target) is None and target not in anchors:
                problems.append(f"{section.source}:{_line_of(section, '#' + target)}: the link "
                                f"to #{target} leads nowhere: no question has the id "
                                f"{{#{target}}}")
    return problems


def _line_of(section: Section, text: str) -> int:
    """The line of the section's file where `text` first appears, else its heading's."""
    try:
        lines = section.source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return section.line
    for number in range(section.line, len(lines) + 1):
        if text in lines[number - 1]:
            return number
    return section.line


def _unique_id(base: str, taken: Container[str]) -> str:
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _cache_language(name: str) -> str:
    return name[:3] if re.match(r"[a-z]{2}-", name) else ""


class Renderer:
    """Markdown to HTML, one section at a time, cached on disk by content fingerprint.

    Raw HTML in the Markdown is shown as text, never as markup. Python-Markdown is only
    imported when a section is not in the cache, which keeps a normal start fast.
    """

    def __init__(self, document: Document, cache_dir: Path | None = None) -> None:
        self.document = document
        self._prefix = "" if document.language == SOURCE_LANGUAGE else f"{document.language}-"
        name = f"{self._prefix}{document.fingerprint}.json"
        self._cache_file = cache_dir / name if cache_dir else None
        self._html: dict[str, str] = self._read_cache()
        self._dirty = False
        self._md: markdown.Markdown | None = None

    def _read_cache(self) -> dict[str, str]:
        if self._cache_file is None:
            return {}
        try:
            data = json.loads(self._cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def html(self, section: Section) -> str:
        cached = self._html.get(section.id)
        if isinstance(cached, str):
            return cached
        if self._md is None:
            import markdown

            self._md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)
            self._md.preprocessors.deregister("html_block")
            self._md.inlinePatterns.deregister("html")
        self._md.reset()
        body = self._md.convert(section.markdown)
        self._html[section.id] = body
        self._dirty = True
        return body

    def render_all(self) -> None:
        for section in self.document.sections:
            self.html(section)

    def complete_cache(self) -> None:
        """Render what the cache lacks and save it: later starts never load Markdown."""
        self.render_all()
        self.save()

    def save(self) -> None:
        """Write the cache whole or not at all; a failure only costs speed next time."""
        if not (self._dirty and self._cache_file):
            return
        try:
            folder = self._cache_file.parent
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            for old in folder.glob("*.json"):  # this language's older caches only
                if old != self._cache_file and _cache_language(old.name) == self._prefix:
                    old.unlink(missing_ok=True)
            write_private_file(self._cache_file, json.dumps(self._html))
            self._dirty = False
        except OSError:
            pass

