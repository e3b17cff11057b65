"""What HTML a document may carry into the PDF: an nh3 allowlist of plain text structure.

Python-Markdown passes raw HTML through (``<script>``, ``<iframe>``, ``<img src="file:...">``,
``<link rel="attachment">``); nh3 keeps only the tags below, no images, no ``rel``, no styles,
and links only to web and mail addresses. Comments go too, so an ``<!-- onrecord: ignore -->``
note never reaches the reader.
"""

from __future__ import annotations

import nh3

from export.guard import cap_tag_depth

# Tags a writer's Markdown may produce; the text of anything else is kept, the tag dropped.
BODY_TAGS = {
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "abbr",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "q", "code", "pre", "kbd",
    "h1", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "ins", "del", "mark", "span", "div",
}  # fmt: skip
# Tags whose content is dropped with them: nothing in them is meant for the reader.
DROP_CONTENT = {"script", "style", "template", "title", "head", "iframe", "object", "embed", "noscript", "svg", "math"}
BODY_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
# Classes our own Markdown extensions emit (CriticMarkup view, footnotes).
BODY_CLASSES = {"ins": {"critic"}, "del": {"critic"}, "mark": {"critic"}, "span": {"critic", "comment"}}
URL_SCHEMES = {"http", "https", "mailto"}

# The page shell adds these around sanitised fragments; a second pass over the whole body keeps them.
SHELL_TAGS = BODY_TAGS | {"header", "section", "aside", "footer"}
_SHELL_CLASS_NAMES = {
        "doc-header", "doc-title", "doc-kind", "meta", "meta-label", "meta-value", "glance", "glance-title",
        "glance-label", "glance-text", "thesis", "point", "point-num", "incident", "consequence", "ask", "other",
        "section-label", "enabled-by", "enabled-label", "draft-mark", "over-limit", "critic", "comment", "notes",
        "notes-head", "notes-points", "notes-tip", "preamble", "body",
}  # fmt: skip
SHELL_CLASSES = {tag: _SHELL_CLASS_NAMES for tag in SHELL_TAGS}


def _filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "a" and attr == "href":
        v = value.strip()
        # No relative or scheme-less links: they would resolve against nothing or a local path.
        if v.startswith("#") or (v.split(":", 1)[0].lower() in URL_SCHEMES and ":" in v):
            return v
        return None
    return value


def clean_fragment(html: str) -> str:
    """Sanitises HTML that came from the writer's Markdown."""
    return nh3.clean(
        cap_tag_depth(html),
        tags=BODY_TAGS,
        clean_content_tags=DROP_CONTENT,
        attributes=BODY_ATTRIBUTES,
        allowed_classes=BODY_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter,
        strip_comments=True,
        link_rel=None,
    )


def clean_body(html: str) -> str:
    """Second pass over the assembled body: the shell's own classes survive, nothing else new does."""
    attrs = {k: set(v) for k, v in BODY_ATTRIBUTES.items()}
    attrs.setdefault("div", set()).add("aria-hidden")
    attrs.setdefault("aside", set()).add("aria-label")
    return nh3.clean(
        html,
        tags=SHELL_TAGS,
        clean_content_tags=DROP_CONTENT,
        attributes=attrs,
        allowed_classes=SHELL_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter,
        strip_comments=True,
        link_rel=None,
    )
