"""The interface language: Qt translators for Spanish; English, the source, needs none.

`install_translators(app, "es")` installs translations/reader_es.qm (compiled from
reader_es.ts by dev.py or the bundle build) and Qt's own qtbase_es.qm (its dialogs'
buttons); `install_translators(app, "en")` removes them. Qt then sends every widget a
LanguageChange event. A file that is missing or cannot be read leaves that part in English
and returns a warning: never a blank label.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from reader.paths import bundle_root

LANGUAGES = ("en", "es")
_NAME = "readerTranslator"  # objectName of the translators this module installs
_LANGUAGE = "readerLanguage"  # application property: the language installed last


def translations_dir() -> Path:
    return bundle_root() / "translations"


def qt_translation(language: str, folder: Path | None = None) -> Path:
    """qtbase_LANG.qm: beside the reader's own in a bundle, else from the Qt wheel."""
    name = f"qtbase_{language}.qm"
    bundled = (folder or translations_dir()) / name
    if bundled.exists():
        return bundled
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / name


def current_language(app: QCoreApplication) -> str:
    return app.property(_LANGUAGE) or "en"


def install_translators(app: QCoreApplication, language: str,
                        folder: Path | None = None) -> list[str]:
    """Show the interface in `language` ("en" or "es"); returns warnings for people to read.
    Calling it again with the language already installed changes nothing."""
    if language not in LANGUAGES:
        return [f"there is no translation for the language {language!r}; "
                "the reader is shown in English"]
    if app.property(_LANGUAGE) == language:
        return []
    for old in app.findChildren(QTranslator, _NAME):
        app.removeTranslator(old)
        old.setParent(None)
    app.setProperty(_LANGUAGE, "en")
    QLocale.setDefault(content_locale("en"))
    if language == "en":
        return []
    own = (folder or translations_dir()) / f"reader_{language}.qm"
    reader = _load(app, own)
    if reader is None:
        return [f"{own} is missing or cannot be read; the reader is shown in English"]
    qt_file = qt_translation(language, folder)
    warnings = []
    qt = _load(app, qt_file)
    if qt is None:
        warnings.append(f"{qt_file} is missing or cannot be read; "
                        "Qt's own dialog buttons are shown in English")
    for translator in (qt, reader):  # the last installed is asked first
        if translator is not None:
            app.installTranslator(translator)
    app.setProperty(_LANGUAGE, language)
    QLocale.setDefault(content_locale(language))  # what screen readers are told (AT-SPI Locale)
    return warnings


def content_locale(language: str) -> QLocale:
    """The FAQ's English or Spanish: American, like its crisis lines (paper stays Letter)."""
    spoken = QLocale.Language.Spanish if language == "es" else QLocale.Language.English
    return QLocale(spoken, QLocale.Country.UnitedStates)


def _load(app: QCoreApplication, path: Path) -> QTranslator | None:
    translator = QTranslator(app)
    translator.setObjectName(_NAME)
    if path.is_file() and translator.load(str(path)) and not translator.isEmpty():
        return translator
    translator.setParent(None)
    return None


def plural(text: str, n: int) -> str:
    """English plural forms where no translator gave them: "%n message(s)" for 2 reads
    "2 messages"; a translation's own numerus forms hold no "(s)"."""
    return text.replace("(s)", "" if n == 1 else "s")
