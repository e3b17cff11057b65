"""The only door weasyprint has to the outside world, and it is shut.

weasyprint fetches stylesheets, images and attachments through a URL fetcher; its default one
reads ``file:`` URLs and the network, so a document with raw HTML could pull /etc/passwd into the
PDF. This fetcher refuses every URL except small ``data:image/...`` URIs the app itself embeds.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote_to_bytes

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_DATA_BYTES = 2 * 1024 * 1024
_DATA_IMAGE = re.compile(
    r"\Adata:(?P<mime>image/(?:png|jpeg|gif|svg\+xml))(?P<b64>;base64)?,(?P<data>.*)\Z", re.S | re.I
)


class RefusedURL(ValueError):
    """weasyprint catches this, logs it and renders without the resource."""


class SealedFetcher(URLFetcher):
    """Refuses file:, http:, https: and every other scheme; serves only embedded data:image URIs."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):  # type: ignore[override]
        m = _DATA_IMAGE.match(url or "")
        if not m:
            self.refused.append((url or "")[:80])
            raise RefusedURL(f"On Record does not load outside resources ({(url or '')[:40]!r})")
        raw = m.group("data")
        try:
            body = base64.b64decode(raw, validate=False) if m.group("b64") else unquote_to_bytes(raw)
        except (binascii.Error, ValueError):
            raise RefusedURL("malformed data: URI") from None
        if len(body) > MAX_DATA_BYTES:
            raise RefusedURL("embedded image too large")
        return URLFetcherResponse(url, body, {"Content-Type": m.group("mime").lower()})

    def open(self, url, data=None, timeout=None):  # type: ignore[override]
        target = url if isinstance(url, str) else getattr(url, "full_url", "")
        return self.fetch(target)
