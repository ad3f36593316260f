"""The item-data roles of the reader's lists, defined once."""

from PySide6.QtCore import Qt

ID_ROLE = Qt.ItemDataRole.UserRole  # a question's id, or a link's address
HTML_ROLE = Qt.ItemDataRole.UserRole + 1  # a search result drawn as HTML
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2  # a question's title where the row shows more
