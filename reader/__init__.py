"""Ketamine FAQ Reader: an offline reader for the Ketamine Advocacy Network's FAQ."""

__version__ = "1.0.0"
APP_NAME = "Ketamine FAQ Reader"
APP_ID = "ketamine-faq-reader"
