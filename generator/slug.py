"""The URL contract. Alert links depend on these two functions for years: never change them."""
import re

_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_OUTSIDE = re.compile(r"[^a-z0-9]+")


def anchor_for(text: str) -> str:
    """Case anchor: lowercase, drop apostrophes, runs outside [a-z0-9] become '-', trim '-'."""
    return _OUTSIDE.sub("-", _APOSTROPHES.sub("", text.lower())).strip("-")


def page_for(code: str) -> str:
    """Error page path relative to the site root, e.g. 'errors/invalid_grant/'."""
    return f"errors/{code.lower()}/"
