"""Addresses from data that the book links to: only absolute http/https URLs pass, checked on the way in and at render."""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
MAX_LENGTH = 2048
# Characters a URL may not hold as they are (RFC 3986): whitespace, control characters, quotes, angle brackets,
# backslash and the like. Browsers strip or reinterpret some of them (a tab inside "java\tscript:" is removed), so a
# URL holding one is refused rather than cleaned.
_FORBIDDEN = re.compile(r'[\x00-\x20\x7f-\x9f"<>\\^`{|}\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f\u2060\u3000\ufeff]')


class UnsafeUrl(ValueError):
    """A URL from data that the book must not link to; str() says why, in words an analyst can act on."""


def check_url(value: object) -> str | None:
    """The URL unchanged when it is an absolute http(s) address with a host; None for a missing value.

    Raises UnsafeUrl for anything else: other schemes (javascript:, vbscript:, data:, file:, whatever their case),
    protocol-relative '//host', relative paths, leading/trailing whitespace, control or invisible characters."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if not isinstance(value, str):
        raise UnsafeUrl(f"{value!r} is not a text address")
    if value == "":
        return None
    shown = repr(value[:80] + ("…" if len(value) > 80 else ""))
    if len(value) > MAX_LENGTH:
        raise UnsafeUrl(f"{shown} is longer than {MAX_LENGTH} characters")
    bad = _FORBIDDEN.search(value)
    if bad:
        what = "a space" if bad.group() == " " else f"the character U+{ord(bad.group()):04X}"
        raise UnsafeUrl(f"{shown} contains {what}; a source address must be one plain http(s) URL "
                        "(percent-encode spaces and quotes)")
    if value.startswith("//"):
        raise UnsafeUrl(f"{shown} is protocol-relative; write the scheme: https://…")
    try:
        parts = urlsplit(value)
    except ValueError as err:
        raise UnsafeUrl(f"{shown} is not a well-formed URL ({err})") from None
    if not parts.scheme:
        raise UnsafeUrl(f"{shown} has no scheme; a source address must start with https:// or http://")
    if parts.scheme.lower() not in SCHEMES:
        raise UnsafeUrl(f"{shown} uses the scheme {parts.scheme + ':'!r}; only http and https addresses are "
                        "accepted as sources")
    if not value[: len(parts.scheme) + 3].lower().endswith("://") or not parts.hostname:
        raise UnsafeUrl(f"{shown} names no host; a source address looks like https://host/path")
    return value


def is_safe(value: object) -> bool:
    try:
        return check_url(value) is not None
    except UnsafeUrl:
        return False


def safe_href(value: object) -> str | None:
    """The URL if the book may link to it, else None (defence in depth at render: the text is shown unlinked)."""
    return value if is_safe(value) else None  # type: ignore[return-value]


def html_link(label_html: str, url: object) -> str:
    """`<a href>` around already-escaped label HTML, or the label alone when the URL is missing or unsafe."""
    href = safe_href(url)
    return f'<a href="{html.escape(href)}">{label_html}</a>' if href else label_html


def md_link(label_md: str, url: object) -> str:
    """A Markdown link, or the label alone when the URL is missing or unsafe (a URL with parentheses gets the
    angle-bracket form, so they cannot end the link early)."""
    href = safe_href(url)
    if not href:
        return label_md
    return f"[{label_md}](<{href}>)" if "(" in href or ")" in href else f"[{label_md}]({href})"
