"""Jinja2 templates of the reports (a package so that the wheel carries them as package data)."""
