"""The main window: questions on the left, the answer on the right."""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QMargins,
    QObject,
    QRect,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QFont, QFontInfo, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader import APP_NAME
from reader.settings import MAX_SCALE, MIN_SCALE, Preferences, save_preferences
from reader.ui import theme
from reader.ui.accessibility import EnterPresses, announce
from reader.ui.i18n import content_locale, plural
from reader.ui.read_aloud import for_window as read_aloud_bar
from reader.ui.search_panel import SearchPanel
from reader.ui.session import ReaderSession, WindowPolicy
from reader.ui.theme import ThemeManager
from reader.ui.touch import TOUCH_PX, grab_swipe
from reader.ui.wrap import WrappingButton, WrappingToolBar

if TYPE_CHECKING:
    from reader.ui.feedback_form import FeedbackForm
from reader.ui.sidebar import Sidebar
from reader.ui.viewer import LinkList, Viewer, section_page

SCALE_STEPS = (50, 67, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")
DEFAULT_SIZE = (1280, 800)
FRAME_GUESS = QMargins(6, 40, 6, 6)  # title bar and borders, until the window manager says
SIDEBAR_EMS = 24  # the question list's width in ems of the text: 340 px at 100 %
SIDEBAR_MAX_SHARE = 0.4
ANSWER_LINES = 8  # the desktop's answer keeps this many lines in view, at every text size
LANGUAGE_NAMES = {"en": "English", "es": "Español"}  # each in its own, for its readers


class History(QObject):
    """Back and forward over the questions read, like a browser's."""

    changed = Signal()

    def __init__(self):
        super().__init__()
        self.entries: list[str] = []
        self.index = -1

    def visit(self, section_id: str) -> None:
        if self.index >= 0 and self.entries[self.index] == section_id:
            return
        del self.entries[self.index + 1 :]
        self.entries.append(section_id)
        self.index = len(self.entries) - 1
        self.changed.emit()

    def step(self, delta: int) -> str | None:
        target = self.index + delta
        if 0 <= target < len(self.entries):
            self.index = target
            self.changed.emit()
            return self.entries[target]
        return None

    def can_step(self, delta: int) -> bool:
        return 0 <= self.index + delta < len(self.entries)

    def clear(self) -> None:
        self.entries, self.index = [], -1
        self.changed.emit()


class PaneScroller(QScrollArea):
    """The question pane, scrolled as a whole only when what it must show whole (a crisis
    card at large text) is taller than the window: the window never grows past the screen,
    and the card is never squeezed. As wide as the pane's controls need."""

    def __init__(self, pane: QWidget):
        super().__init__()
        self.setObjectName("leftPaneScroller")
        self.setWidget(pane)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if obj is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the pane's minimum width (below) may have changed
        return super().eventFilter(obj, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        pane = self.widget()
        width = pane.minimumSizeHint().width() if pane is not None else 0
        return QSize(width + self.verticalScrollBar().sizeHint().width(),
                     super().minimumSizeHint().height())


class ColumnScroll(QScrollArea):
    """A kiosk's question column below its search field. Scrolls up and down only: as wide
    as what it holds needs, so nothing is cut."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        hint.setHeight(TOUCH_PX)  # a finger's row at least: the crisis card may take the rest
        inner = self.widget()
        if inner is not None:
            bar = self.verticalScrollBar().sizeHint().width()
            hint.setWidth(max(hint.width(), inner.minimumSizeHint().width() + bar))
        return hint

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if obj is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # a button shown inside may need more width
        return super().eventFilter(obj, event)


class AnswerPane(QWidget):
    """The answer with what goes with it: the read-aloud bar, a notice, its links, the
    footer with the crisis line. When a short pane (a kiosk's keyboard up, large text)
    cannot hold them all whole beside the answer, "Links in this answer" and then the
    read-aloud bar step aside (the notice and the crisis line never do), and come back
    when there is room again."""

    def __init__(self, viewer: Viewer, yielding: list[tuple[QWidget, Callable[[], bool]]],
                 yields_height: bool = False, kept_lines: int = 0):
        """`yielding`: (part, whether its owner wants it shown), the first steps aside first.
        `yields_height` (a kiosk): the answer gives its height to the crisis card and the
        keyboard above and below it, rather than push the window past the screen.
        `kept_lines` (the desktop): the parts step aside before the answer shows fewer."""
        super().__init__()
        self.setObjectName("rightPane")
        self.viewer, self.yielding = viewer, yielding
        self.yields_height, self.kept_lines = yields_height, kept_lines

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        return QSize(hint.width(), 0) if self.yields_height else hint

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            self._make_room()
        return handled

    def _make_room(self) -> None:
        kept = max(self.viewer.minimumSizeHint().height(), self.viewer.room_for(self.kept_lines))
        width, spare = self.width(), self.height() - kept
        parts = [part for part, _wanted in self.yielding]
        for part in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if part not in (self.viewer, *parts) and part.isVisibleTo(self):
                spare -= part.heightForWidth(width) if part.hasHeightForWidth() \
                    else part.sizeHint().height()
        for part, wanted in reversed(self.yielding):  # the last to step aside is served first
            if not wanted():  # hidden by its owner (no links on this page, no voice)
                continue
            fits = spare >= part.sizeHint().height()
            if fits:
                spare -= part.sizeHint().height()
            if fits != part.isVisibleTo(self):
                part.setVisible(fits)


def _height_at(widget: QWidget, width: int) -> int:
    height = widget.heightForWidth(width) if widget.hasHeightForWidth() else -1
    return height if height >= 0 else widget.sizeHint().height()


class MainWindow(QMainWindow):
    sectionOpened = Signal(str)
    languageRequested = Signal(str)  # "en" or "es": the reader tapped the language button

    def __init__(self, session: ReaderSession, policy: WindowPolicy | None = None,
                 themes: ThemeManager | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.setProperty("desktop", not (policy or WindowPolicy()).kiosk)  # app.qss sizes
        self.session = session
        self.policy = policy = policy or WindowPolicy()
        self.document, self.renderer = session.document, session.renderer
        self.paths, self.prefs, self.settings = session.paths, session.prefs, session.settings
        document, prefs, meta = self.document, self.prefs, self.document.metadata
        self.kiosk = policy.kiosk
        self.crisis_text = session.crisis_text(policy.crisis_note)
        self.themes = themes or ThemeManager(self.paths.resources_dir, prefs,
                                             policy.extra_stylesheet, self)
        self.themes.apply()  # before the widgets exist, so that each is styled once, when shown
        self.current_id = ""
        self.history = History()
        # the web browser, after asking; a kiosk has none: its policy shows a QR code instead
        self.open_external = policy.show_link or QDesktopServices.openUrl
        self.save_on_close = policy.remember
        self.feedback_form: FeedbackForm | None = None
        self.staff_outbox_line = ""  # the outbox's last status, for staff

        self.sidebar = Sidebar(document)
        self.sidebar.sectionChosen.connect(self.open_section)
        self.viewer = Viewer()
        self.viewer.setSearchPaths([str(document.folder)])
        self.viewer.anchorClicked.connect(self.follow_link)
        self.viewer.matchesChanged.connect(self._show_match)
        self.links = LinkList()
        self.viewer.linksChanged.connect(self.links.set_links)
        self.links.linkChosen.connect(self.follow_link)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.footer = QLabel(wordWrap=True)  # its name is its text: the crisis line is read
        self.footer.setObjectName("footer")
        self.footer.setText(self._footer_text())

        self.left = QWidget()
        self.left.setObjectName("leftPane")
        left_layout = QVBoxLayout(self.left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        self.search_panel = SearchPanel(session.search_index,
                                        [(s.id, s.title) for s in document.sections[:5]],
                                        crisis=self.crisis_text, text_date=meta.text_date,
                                        field_and_card_apart=policy.kiosk)
        self.search_panel.resultActivated.connect(self.open_result)
        self.search_panel.askRequested.connect(self.ask_question)
        self.search_panel.cleared.connect(self.clear_search)
        self.search_panel.field.textChanged.connect(
            lambda text: self.sidebar.setVisible(not text.strip()))
        self.search_panel.box.setContentsMargins(8, 0 if policy.kiosk else 8, 8, 4)
        left_layout.addWidget(self.search_panel)
        left_layout.addWidget(self.sidebar, 1)
        self.read_aloud = read_aloud_bar(self)
        self.answer_pane = right = AnswerPane(self.viewer, [
            (self.links, lambda: self.links.list.count() > 0),
            # on a kiosk with its keyboard up; large text at home keeps it (it is for them)
            (self.read_aloud, lambda: self.read_aloud.available and policy.kiosk)],
            yields_height=policy.kiosk, kept_lines=0 if policy.kiosk else ANSWER_LINES)
        self.answer_layout = right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.read_aloud)
        right_layout.addWidget(self.notice)
        right_layout.addWidget(self.viewer, 1)
        right_layout.addWidget(self.links)
        # a link, not a button: its words wrap at the largest text instead of widening the window
        about_answer = self.tr("Send feedback about this answer")
        self.answer_feedback_button = QLabel(f'<a href="#feedback">{about_answer}</a>')
        self.answer_feedback_button.setObjectName("answerFeedbackButton")
        self.answer_feedback_button.setWordWrap(True)
        self.answer_feedback_button.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.answer_feedback_button.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.answer_feedback_button.setAccessibleName(about_answer)
        self.answer_feedback_button.linkActivated.connect(
            lambda _link: self.open_feedback(about_answer=True))
        right_layout.addWidget(self.answer_feedback_button)
        right_layout.addWidget(self.footer)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        if policy.kiosk:
            self.splitter.addWidget(self._kiosk_column())
        else:
            # at large text on a short screen, what sits around the answer joins the foot of
            # this column (see _give_the_answer_room)
            column = QWidget()
            column.setObjectName("questionColumn")
            self.column_layout = QVBoxLayout(column)
            self.column_layout.setContentsMargins(0, 0, 0, 0)
            self.column_layout.setSpacing(0)
            self.column_layout.addWidget(PaneScroller(self.left), 1)
            self.splitter.addWidget(column)
        self.beside_questions = False  # the read-aloud bar, feedback link and footer moved
        self._room = QTimer(self, singleShot=True, interval=0)
        self._room.timeout.connect(self._give_the_answer_room)
        for change in (self.search_panel.searched, self.search_panel.cleared):
            change.connect(lambda *_: self._room.start())  # the crisis card came or went
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 900])
        self.splitter.setChildrenCollapsible(False)
        self.splitter.handle(1).setAccessibleName(self.tr("Width of the question list"))
        self.splitter.splitterMoved.connect(self._remember_sidebar_width)
        self._sidebar_scale = 0  # the text scale the sidebar's width was last fitted to
        self._fit_after_framing = False
        self._refit = QTimer(self, singleShot=True, interval=0)
        self._pushed = False  # grown past the screen by a minimum that held for a moment
        self._refit.timeout.connect(self._back_on_screen)
        if not policy.kiosk:  # a kiosk's body comes last (_as_kiosk)
            self.setCentralWidget(self.splitter)

        self._build_actions()
        self.history.changed.connect(self._update_history_actions)
        # the mouse's back and forward buttons: the lists take every press, the rest pass
        # theirs up to the window (an application-wide filter would see every event)
        for view in (self.sidebar, self.search_panel.results, self.links.list):
            view.viewport().installEventFilter(self)
        self.themes.changed.connect(self._restyle)
        session.outboxStatusChanged.connect(self._show_outbox_status)
        self.resize(*DEFAULT_SIZE)
        if prefs.geometry:
            # binascii.Error (a ValueError): a damaged settings file, keep the default size
            with contextlib.suppress(ValueError):
                self.restoreGeometry(QByteArray(base64.b64decode(prefs.geometry, validate=True)))
        self.fit_to_screen()
        self._restyle()
        self.setWindowTitle(APP_NAME)
        if policy.kiosk:
            self._as_kiosk()

    def _kiosk_column(self) -> QWidget:
        """A kiosk's question column: the search field stays in view at its top, above the
        scrolled rest (messages, results, questions), which starts with a finger-sized
        "Clear search" in place of the field's own ✕ (a touch-sized button would not fit
        inside the field: it was drawn cut at its right edge). KioskChrome shows the button
        while there is text to clear."""
        panel = self.search_panel
        self.question_column = column = QWidget()
        column.setObjectName("kioskQuestionColumn")
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(0)
        field_row = QHBoxLayout()
        field_row.setContentsMargins(8, 8, 8, 4)
        field_row.addWidget(panel.field)
        column_layout.addLayout(field_row)
        panel.field.setClearButtonEnabled(False)
        self.clear_button = WrappingButton(self.tr("Clear search"), panel)
        self.clear_button.setObjectName("kioskClearSearch")
        self.clear_button.setAutoDefault(False)
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # the field keeps focus
        self.clear_button.clicked.connect(self.clear_search)
        self.clear_button.hide()
        panel.box.insertWidget(0, self.clear_button, 0, Qt.AlignmentFlag.AlignRight)
        self.column_scroll = ColumnScroll(column)
        self.column_scroll.setObjectName("kioskQuestionScroll")
        self.column_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.column_scroll.setWidgetResizable(True)
        self.column_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.column_scroll.setWidget(self.left)
        column_layout.addWidget(self.column_scroll, 1)
        grab_swipe(self.column_scroll.viewport())
        return column

    def _kiosk_body(self) -> QWidget:
        """A kiosk's body: the reader or, in its place while open, the feedback form (one
        stack, `pages`: the window needs the height of the taller, not of both), and below
        them the room KioskChrome docks its keyboard in (`body_layout`). The search's crisis
        card spans the reader's whole width above both panes (long lines, few of them; one
        size at every text size, as the keyboard has), so it takes its room from the
        column's results and nothing is drawn over anything."""
        self.kiosk_body = body = QWidget()
        body.setObjectName("kioskBody")
        self.body_layout = layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.pages = QStackedWidget(body)
        self.reader_page = QWidget(self.pages)
        self.reader_page.setObjectName("kioskReader")
        reader_layout = QVBoxLayout(self.reader_page)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.setSpacing(0)
        reader_layout.addWidget(self.search_panel.crisis_card)
        reader_layout.addWidget(self.splitter, 1)
        # a screen reader reads the column first, as the screen shows it (QSplitter lists
        # the pane added last first)
        self.question_column.lower()
        self.pages.addWidget(self.reader_page)
        layout.addWidget(self.pages, 1)
        return body

    def _as_kiosk(self) -> None:
        """What a kiosk policy asks of the window itself: its own body (_kiosk_body; after the
        toolbar, which Tab and a screen reader meet first), no title bar, no menus (nor their
        Alt+letter keys), no Quit, and an answer that a long press or a drag selects nothing
        in (its links still work). The keyboard, the form's page and touch come from
        KioskChrome (reader/ui/kiosk.py)."""
        self.setCentralWidget(self._kiosk_body())
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.menuBar().hide()
        self.menuBar().setEnabled(False)
        self.quit_action.setEnabled(False)
        self.viewer.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)

    # --- actions and menus -------------------------------------------------

    def add_action(self, text, slot, shortcuts=(), tip="") -> QAction:
        """An action of this window: its shortcuts work even with the menu bar hidden."""
        action = QAction(text, self)
        action.triggered.connect(slot)
        keys: list[QKeySequence] = []
        for shortcut in shortcuts:
            standard = isinstance(shortcut, QKeySequence.StandardKey)
            found = QKeySequence.keyBindings(shortcut) if standard else [QKeySequence(shortcut)]
            keys += [k for k in found if k not in keys]  # a repeat makes Qt call it ambiguous
        action.setShortcuts(keys)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.back_action = self.add_action(self.tr("&Back"), self.go_back, [K.Back, "Alt+Left"],
                                           self.tr("Back to the previous question (Alt+Left)"))
        self.forward_action = self.add_action(self.tr("&Forward"), self.go_forward,
                                              [K.Forward, "Alt+Right"],
                                              self.tr("Forward (Alt+Right)"))
        self.home_action = self.add_action(self.tr("&Home"), self.go_home, ["Alt+Home"],
                                           self.tr("The first question (Alt+Home)"))
        self.next_action = self.add_action(self.tr("&Next question"),
                                           lambda: self.step_question(1), ["Ctrl+PgDown"],
                                           self.tr("Next question (Ctrl+Page Down)"))
        self.prev_action = self.add_action(self.tr("&Previous question"),
                                           lambda: self.step_question(-1), ["Ctrl+PgUp"],
                                           self.tr("Previous question (Ctrl+Page Up)"))
        self.larger_action = self.add_action(self.tr("&Larger text"),
                                             lambda: self.change_text_scale(1),
                                             [K.ZoomIn, "Ctrl+=", "Ctrl++"],
                                             self.tr("Larger text (Ctrl+Plus)"))
        self.smaller_action = self.add_action(self.tr("&Smaller text"),
                                              lambda: self.change_text_scale(-1),
                                              [K.ZoomOut, "Ctrl+-"],
                                              self.tr("Smaller text (Ctrl+Minus)"))
        self.reset_text_action = self.add_action(self.tr("&Normal text size"),
                                                 self.reset_text_scale, ["Ctrl+0"],
                                                 self.tr("Normal text size (Ctrl+0)"))
        self.next_match_action = self.add_action(self.tr("Next &match"),
                                                 lambda: self.viewer.next_match(1),
                                                 [K.FindNext, "F3"], self.tr("Next match (F3)"))
        self.prev_match_action = self.add_action(self.tr("Pre&vious match"),
                                              lambda: self.viewer.next_match(-1),
                                              [K.FindPrevious, "Shift+F3"],
                                              self.tr("Previous match (Shift+F3)"))
        self.clear_search_action = self.add_action(self.tr("&Clear search"), self.clear_search,
                                                   ["Escape"])
        self.find_action = self.add_action(self.tr("&Find…"),
                                           lambda: self.search_panel.focus_search())
        self.quit_action = self.add_action(self.tr("&Quit"), self.close, [K.Quit, "Ctrl+Q"])
        self.about_action = self.add_action(self.tr("&About this FAQ"), self.show_about)
        self.feedback_action = self.add_action(self.tr("Send &feedback…"), self.open_feedback)

        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name, label in (("system", self.tr("Follow the &system")), ("light", self.tr("&Light")),
                            ("dark", self.tr("&Dark")), ("contrast", self.tr("&High contrast"))):
            action = QAction(label, self, checkable=True)
            action.setChecked(self.prefs.theme == name)
            action.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            self.theme_group.addAction(action)
            self.theme_actions[name] = action

        menu = self.menuBar()
        self.file_menu = menu.addMenu(self.tr("&File"))
        self.file_menu.addAction(self.quit_action)
        self.view_menu = menu.addMenu(self.tr("&View"))
        for action in (self.larger_action, self.smaller_action, self.reset_text_action):
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        theme_menu = self.view_menu.addMenu(self.tr("&Colours"))
        theme_menu.addActions(self.theme_group.actions())
        edit = menu.addMenu(self.tr("&Search"))
        edit.addAction(self.find_action)
        self.find_action.setShortcutVisibleInContextMenu(True)
        self.find_action.setText(self.tr("&Find…") + "\tCtrl+F")
        for action in (self.next_match_action, self.prev_match_action, self.clear_search_action):
            edit.addAction(action)
        go = menu.addMenu(self.tr("&Go"))
        for action in (self.back_action, self.forward_action, self.home_action,
                       self.next_action, self.prev_action):
            go.addAction(action)
        self.help_menu = menu.addMenu(self.tr("&Help"))
        self.help_menu.addAction(self.feedback_action)
        self.help_menu.addAction(self.about_action)
        self.outbox_status = QLabel(wordWrap=True)
        self.outbox_status.setObjectName("outboxStatus")
        self.statusBar().addPermanentWidget(self.outbox_status)
        self.statusBar().setSizeGripEnabled(False)
        self.statusBar().hide()

        self.toolbar = WrappingToolBar(self.tr("Navigation"))
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.back_action, self.forward_action, self.home_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.smaller_action)
        self.toolbar.addAction(self.larger_action)
        self.toolbar.add_stretch()
        other = self._other_language()
        self.language_button: QPushButton | None = None
        if other:
            # the other language's name in that language, so its readers find it
            name = LANGUAGE_NAMES[other]
            self.language_button = QPushButton(name)
            self.language_button.setObjectName("languageButton")
            self.language_button.setAccessibleName(name)
            self.language_button.setToolTip(name)
            self.language_button.clicked.connect(lambda: self.languageRequested.emit(other))
            self.toolbar.addWidget(self.language_button)
        self.feedback_button = QPushButton(self.tr("Send feedback"))
        self.feedback_button.setObjectName("feedbackButton")
        self.feedback_button.setToolTip(
            self.tr("Tell the Ketamine Advocacy Network what you think"))
        self.feedback_button.setAccessibleName(self.tr("Send feedback"))
        self.feedback_button.clicked.connect(self.open_feedback)
        self.toolbar.addWidget(self.feedback_button)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.larger_action.setIconText("A+")  # on the toolbar; the menu keeps the words
        self.smaller_action.setIconText("A−")
        self._enter_presses = EnterPresses(self)  # Orca users press Enter, not Space
        for action in self.toolbar.actions():  # Qt leaves tool buttons out of the Tab order
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
                # the name is what it shows (voice control users say what they see)
                button.setAccessibleName(action.iconText())
                button.setAccessibleDescription(action.toolTip())
            if isinstance(button, (QToolButton, QPushButton)):
                button.installEventFilter(self._enter_presses)
        self._update_history_actions()

    def _other_language(self) -> str:
        """The language the button offers, when the content folder holds it."""
        from reader.content import translations

        current = self.document.language
        if current != "en":
            return "en"
        return "es" if "es" in translations(self.paths.content_dir) else ""

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_step(-1))
        self.forward_action.setEnabled(self.history.can_step(1))

    # --- reading -----------------------------------------------------------

    def open_section(self, section_id: str, record: bool = True) -> bool:
        section = self.document.get(section_id)
        if section is None:
            return False
        index = self.document.sections.index(section)
        following = self.document.sections[index + 1] if index + 1 < len(
            self.document.sections) else None
        page = section_page(section, self.renderer.html(section), self.document.metadata,
                            following)
        # the language of the answer, for screen readers' voices: an untranslated one is English
        self.viewer.setLocale(content_locale("en" if section.fallback else self.document.language))
        self.viewer.show_page(page)
        self.show_notice(self.tr("This answer is not translated yet, so it is shown in "
                                 "English.") if section.fallback else "")
        self.current_id = section.id
        self.sidebar.select(section.id)
        self.setWindowTitle(f"{section.title} — {APP_NAME}")
        if record:
            self.history.visit(section.id)
        self.sectionOpened.emit(section.id)
        return True

    def open_initial(self, requested: str | None) -> None:
        """Open --open ID, else the last question read, else the first one."""
        if requested and not self.open_section(requested):
            self.go_home()
            self.show_notice(self.tr("There is no question with the id “{id}”. "
                             "Here is the first question instead.").format(id=requested))
            return
        if not requested and not (self.prefs.last_section
                                  and self.open_section(self.prefs.last_section)):
            self.go_home()

    def go_home(self) -> None:
        self.open_section(self.document.home.id)

    def go_back(self) -> None:
        target = self.history.step(-1)
        if target:
            self.open_section(target, record=False)

    def go_forward(self) -> None:
        target = self.history.step(1)
        if target:
            self.open_section(target, record=False)

    def step_question(self, delta: int) -> None:
        ids = [s.id for s in self.document.sections]
        index = ids.index(self.current_id) if self.current_id in ids else 0
        self.open_section(ids[max(0, min(len(ids) - 1, index + delta))])

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _footer_text(self, short: bool = False) -> str:
        """The notice and the crisis line (a kiosk names the source first). `short`: their
        footer forms where the content gives them (content/metadata.toml), for the narrow
        foot of the question column."""
        meta = self.document.metadata
        notice, crisis = meta.notice, meta.crisis_line
        if short and meta.footer_crisis_line:
            notice, crisis = meta.footer_notice or notice, meta.footer_crisis_line
        source = ""
        if self.policy.name_the_source and meta.publisher:  # a kiosk has no title bar
            source = self.tr("{app}: {title} by {publisher}, text of {date}").format(
                app=APP_NAME, title=meta.title, publisher=meta.publisher,
                date=meta.text_date) if meta.text_date else f"{APP_NAME}: {meta.publisher}"
        return "  ·  ".join(p for p in (source, notice, crisis) if p)

    # --- links -------------------------------------------------------------

    def follow_link(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme in EXTERNAL_SCHEMES:
            (self.policy.show_link or self.confirm_external)(url)
            return
        fragment = url.fragment()
        if not scheme and fragment:
            current = self.document.get(self.current_id)
            if self.document.get(fragment):
                self.open_section(fragment)
            elif current and f'id="{fragment}"' in self.renderer.html(current):
                self.viewer.scrollToAnchor(fragment)
            else:  # `content check` names such links; reading goes on
                self.show_notice(f"This link leads to no question in this FAQ (#{fragment}).")
            return
        self.show_notice(self.tr("This link cannot be opened in the reader: {url}").format(
            url=url.toString()))

    def confirm_external(self, url: QUrl) -> None:
        answer = QMessageBox.question(
            self, self.tr("Open in your web browser?"),
            self.tr("This link leads outside the reader:\n\n{url}\n\n"
                    "Open it in your web browser? (It needs an internet connection.)").format(
                url=url.toString()),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Open:
            self.open_external(url)

    # --- appearance --------------------------------------------------------

    def set_theme(self, name: str) -> None:
        self.theme_actions[name].setChecked(True)
        self.themes.set_theme(name)

    def apply_theme(self) -> None:
        """Palette, widget styles, text size and the answer's CSS, all from the preferences."""
        self.themes.apply()

    def _restyle(self) -> None:
        """The theme manager changed the application's look: the answer follows."""
        scale, colours = self.prefs.text_scale, self.themes.colours
        self.viewer.set_style(self.themes.document_css(),
                              colours["match"], colours["match_text"], colours["current_match"])
        self.viewer.set_text_scale(scale)
        self.larger_action.setEnabled(scale < MAX_SCALE)
        self.smaller_action.setEnabled(scale > MIN_SCALE)
        if scale != self._sidebar_scale:
            self._fit_sidebar_width()
        if self.current_id:
            self._reload_current()
        self._room.start()  # the answer's lines and what is around it changed size

    def change_text_scale(self, direction: int) -> None:
        current = self.prefs.text_scale
        if direction > 0:
            bigger = [s for s in SCALE_STEPS if s > current]
            self.themes.set_text_scale(bigger[0] if bigger else MAX_SCALE)
        else:
            smaller = [s for s in SCALE_STEPS if s < current]
            self.themes.set_text_scale(smaller[-1] if smaller else MIN_SCALE)
        self._announce_text_size()

    def reset_text_scale(self) -> None:
        self.themes.set_text_scale(100)
        self._announce_text_size()

    def _announce_text_size(self) -> None:
        announce(self, self.tr("Text size {percent}%").format(percent=self.prefs.text_scale))

    def _reload_current(self) -> None:
        position = self.viewer.verticalScrollBar().value()
        self.open_section(self.current_id, record=False)
        self.viewer.verticalScrollBar().setValue(position)

    # --- search ------------------------------------------------------------

    def self_test_search(self, query: str) -> int:
        return len(self.session.search_index().search(query).results)

    # --- feedback ----------------------------------------------------------

    def open_feedback(self, question: str = "", about_answer: bool = False) -> None:
        """The feedback form; `question` (a search the FAQ could not answer) is filled in.
        Only feedback about this answer, or about that question, says what it is about."""
        from reader.ui.feedback_form import Delivery, FeedbackForm

        self.read_aloud.stop()
        if self.feedback_form is None:
            smtp = self.settings.smtp
            delivery = Delivery(recipient=smtp.recipient if smtp.configured else "",
                                address=self.document.metadata.feedback_address,
                                own_mail_program=not self.kiosk)
            self.feedback_form = FeedbackForm(self.session.submit_feedback, self,
                                              delivery=delivery, crisis=self.crisis_text,
                                              crisis_words=self.session.crisis_words(),
                                              language=self.document.language)
            if self.policy.embed_feedback is not None:
                self.policy.embed_feedback(self.feedback_form)
            self.read_aloud.attach_card(self.feedback_form.crisis_card)
        elif self.feedback_form.showing_thanks():
            self.feedback_form.reset()
        section = self.document.get(self.current_id) if about_answer else None
        self.feedback_form.set_page(section.id if section else "", section.title if section else "",
                                    question)
        if question:
            self.feedback_form.ask(question)
        self.feedback_form.show()
        self.feedback_form.raise_()
        self.feedback_form.activateWindow()

    def ask_question(self, query: str) -> None:
        self.open_feedback(question=query or self.search_panel.field.text().strip())

    def _show_outbox_status(self, line: str) -> None:
        self.staff_outbox_line = line
        if not self.policy.outbox_shown:  # a kiosk: staff see it after the PIN
            return
        changed = line != self.outbox_status.text()
        self.outbox_status.setText(line)
        self.statusBar().setVisible(bool(line))
        if changed and self.statusBar().isVisible():  # "sent", "waits": said, not only shown
            announce(self, line)

    # --- window ------------------------------------------------------------

    def reset_session(self, text_scale: int = 100) -> None:
        """Forget the last reader: dialogs, form, search, history, text size, clipboard."""
        self.read_aloud.forget()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        if self.feedback_form is not None:
            self.feedback_form.reset()
            self.feedback_form.hide()
        self.clear_search()
        self.sidebar.expand_groups()
        self.history.clear()
        self.themes.set_text_scale(text_scale)
        self.go_home()
        self.viewer.verticalScrollBar().setValue(0)
        self.sidebar.scrollToTop()
        clipboard = QApplication.clipboard()
        clipboard.clear(clipboard.Mode.Clipboard)
        if clipboard.supportsSelection():
            clipboard.clear(clipboard.Mode.Selection)

    def open_result(self, section_id: str, response) -> None:
        if not self.open_section(section_id):
            return
        self.viewer.highlight(list(response.terms) or response.query.split())

    def _show_match(self, current: int, total: int) -> None:
        if total:  # a page without highlights says nothing here
            hint = self.policy.match_hint or self.tr("Match {current} of {total} highlighted. "
                                              "F3: next · Shift+F3: previous · Escape: clear")
            self.show_notice(hint.format(current=current, total=total))

    def clear_search(self) -> None:
        """Escape: empty the search field, the results and the highlights."""
        if self.search_panel.field.text():
            self.search_panel.clear()
        self.viewer.clear_highlights()
        self.sidebar.show()
        self.show_notice("")

    def show_about(self) -> None:
        meta = self.document.metadata
        lines = [f"<b>{meta.title}</b>"]
        if meta.publisher:
            lines.append(self.tr("Text: {publisher}").format(publisher=meta.publisher)
                         + (f", {meta.website}" if meta.website else ""))
        if meta.text_date:
            lines.append(self.tr("Date of the text: {date}.").format(date=meta.text_date)
                         + f" {meta.date_note}")
        count = len(self.document.sections)
        lines += [meta.notice, meta.crisis_line,
                  plural(self.tr("%n question(s).", "", count), count)]
        QMessageBox.about(self, self.tr("About {app}").format(app=APP_NAME), "<p>" + "</p><p>".join(
            line for line in lines if line) + "</p>")

    def eventFilter(self, obj, event) -> bool:
        return event.type() == QEvent.Type.MouseButtonPress and self._history_button(event)

    def mousePressEvent(self, event) -> None:
        if not self._history_button(event):
            super().mousePressEvent(event)

    def _history_button(self, event) -> bool:
        if event.button() == Qt.MouseButton.BackButton:
            self.go_back()
            return True
        if event.button() == Qt.MouseButton.ForwardButton:
            self.go_forward()
            return True
        return False

    def fit_to_screen(self) -> None:
        """Keep the whole window, its frame included, inside the screen's free area."""
        if self.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            return
        area = self.screen().availableGeometry()
        frame, inner = self.frameGeometry(), self.geometry()
        margins = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                           frame.right() - inner.right(), frame.bottom() - inner.bottom())
        if frame == inner and not self.windowFlags() & Qt.WindowType.FramelessWindowHint:
            margins = FRAME_GUESS  # not framed yet
        width = min(inner.width(), area.width() - margins.left() - margins.right())
        height = min(inner.height(), area.height() - margins.top() - margins.bottom())
        if (width, height) != (inner.width(), inner.height()):
            self.resize(width, height)
        outer_width = self.width() + margins.left() + margins.right()
        outer_height = self.height() + margins.top() + margins.bottom()
        x = max(area.left(), min(frame.x(), area.right() + 1 - outer_width))
        y = max(area.top(), min(frame.y(), area.bottom() + 1 - outer_height))
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self._fit_after_framing = True  # the frame's size is known once it is drawn
            QTimer.singleShot(1500, self, lambda: setattr(self, "_fit_after_framing", False))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.links.fit_height()
        self._room.start()
        self._refit_if_off_screen(resized=True)

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # a minimum may have shrunk again
            self._refit_if_off_screen()
            self._room.start()
        return handled

    def _refit_if_off_screen(self, resized: bool = False) -> None:
        """Pushed past the screen by the layout's minimum (not sized so by a person)."""
        if self.screen().geometry().contains(self.frameGeometry()):
            self._pushed = False
            return
        minimum = self.minimumSize()
        if resized and minimum.height() and self.height() == minimum.height():
            self._pushed = True
        if self._pushed and not self._refit.isActive():
            self._refit.start()

    def _back_on_screen(self) -> None:
        """Larger than the screen: a layout's minimum grew for a moment (a control wrapped at
        a width it had only while the window was laid out). Back to the screen's size,
        as small as the layout now allows."""
        if self.isFullScreen():
            screen = self.screen().geometry()
            if self.geometry() != screen:
                self.setGeometry(screen)
        else:
            self.fit_to_screen()

    def moveEvent(self, event) -> None:
        super().moveEvent(event)
        if self._fit_after_framing and self.frameGeometry() != self.geometry():
            self._fit_after_framing = False
            self.fit_to_screen()

    def _give_the_answer_room(self) -> None:
        """At large text on a short window the answer would show fewer than ANSWER_LINES
        lines beside the read-aloud bar, the feedback link and the footer (the notice and
        the crisis line): they move, whole, to the foot of the question column, and come
        back under the answer when the window is tall enough again. The search's crisis
        card outranks the answer: while it is shown they are under the answer, and the card
        has the question column's height."""
        if self.kiosk or not self.isVisible():
            return
        parts = (self.read_aloud, self.answer_feedback_button, self.footer)
        width = self.answer_pane.width()
        around = sum([_height_at(part, width) for part in (self.read_aloud,
                      self.answer_feedback_button, self.notice) if not part.isHidden()])
        around += self._whole_footer_height(width)
        beside = self.viewer.room_for(ANSWER_LINES) + around > self.splitter.height() \
            and self.search_panel.crisis_card.isHidden()
        if beside == self.beside_questions:
            return
        self.beside_questions = beside
        self.footer.setText(self._footer_text(short=beside))
        for part in parts:
            (self.column_layout if beside else self.answer_layout).removeWidget(part)
        if beside:
            for part in parts:
                self.column_layout.addWidget(part)
        else:
            self.answer_layout.insertWidget(0, self.read_aloud)
            self.answer_layout.addWidget(self.answer_feedback_button)
            self.answer_layout.addWidget(self.footer)

    def _whole_footer_height(self, width: int) -> int:
        """The footer's height under an answer `width` wide, with its whole lines."""
        margins = self.footer.contentsMargins()
        room = QRect(0, 0, max(1, width - margins.left() - margins.right()), 1 << 20)
        lines = self.footer.fontMetrics().boundingRect(room, Qt.TextFlag.TextWordWrap,
                                                      self._footer_text())
        return lines.height() + margins.top() + margins.bottom()

    def _text_px(self) -> float:
        font = QFont(self.font())
        font.setPointSizeF(theme.ui_point_size(self.prefs.text_scale))
        return QFontInfo(font).pixelSize() or font.pointSizeF() * 96 / 72

    def _fit_sidebar_width(self) -> None:
        """The question list widens with the text, to the width the reader last chose."""
        total = sum(self.splitter.sizes()) if self.splitter.isVisible() else self.width()
        ems = self.prefs.sidebar_ems or SIDEBAR_EMS
        width = round(min(ems * self._text_px(), total * SIDEBAR_MAX_SHARE))
        self.splitter.setSizes([width, max(1, total - width)])
        self._sidebar_scale = self.prefs.text_scale

    def _remember_sidebar_width(self, _pos: int, _index: int) -> None:
        self.prefs.sidebar_ems = round(self.splitter.sizes()[0] / self._text_px(), 1)

    def current_preferences(self) -> Preferences:
        self.prefs.last_section = self.current_id
        self.prefs.geometry = base64.b64encode(self.saveGeometry().data()).decode()
        return self.prefs

    def closeEvent(self, event) -> None:
        if self.policy.may_close is not None and not self.policy.may_close():
            event.ignore()
            return
        self.finish()
        super().closeEvent(event)

    def finish(self) -> None:
        """Save what the reader keeps and stop background work: on closing, and when the
        reader is stopped from outside (SIGTERM, even on a kiosk). Saves once."""
        if self.save_on_close:
            self.save_on_close = False
            save_preferences(self.paths.settings_file, self.current_preferences())
        self.shut_down()

    def shut_down(self) -> None:
        """Stop background work and close files; safe to call twice."""
        self.read_aloud.stop()
        self.session.shutdown()
