"""Ketamine FAQ Reader: an offline reader for the Ketamine Advocacy Network's FAQ."""

__version__ = "1.1.0"  # semantic versioning; pyproject.toml and CHANGELOG.md say the same
APP_NAME = "Ketamine FAQ Reader"
APP_ID = "ketamine-faq-reader"
