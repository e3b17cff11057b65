"""The writer's decisions on review items: accept, reject, reply, resolve, and all at once.

Each takes the whole file text and returns the new whole file text (body changed, review log carried),
so the GUI, the CLI and the tests all go through the same code. Items are named by the id of their
head mark, so a decision still lands on the right mark when the text moved since the list was drawn.
"""

from __future__ import annotations

from datetime import datetime

from editor.criticmarkup import markup
from editor.errors import DocumentError
from editor.fileformat import parse
from editor.review.log import commit
from editor.review.threads import Item, review_items


def find_item(text: str, head_id: str) -> Item:
    for item in review_items(parse(text)):
        if item.head_id == head_id:
            return item
    raise DocumentError("That review mark is no longer in the document (it was changed or resolved).")


def _splice(text: str, start: int, end: int, repl: str) -> str:
    """Replaces a span; when the span vanishes, a space left doubled or before punctuation goes with it."""
    before, after = text[:start], text[end:]
    if not repl and before.endswith(" ") and (not after or after[0] in " \r\n.,;:!?)"):
        before = before[:-1]
    return before + repl + after


def _outcome(item: Item, accept: bool) -> str:
    h = item.head
    if h.kind in ("highlight", "comment"):
        return h.old if h.kind == "highlight" else ""
    return h.accepted if accept else h.rejected


def decide(text: str, head_id: str, accept: bool) -> str:
    """Accepts or rejects one item; comments attached to it go with it."""
    item = find_item(text, head_id)
    return commit(text, _splice(text, item.start, item.end, _outcome(item, accept)))


def accept(text: str, head_id: str) -> str:
    return decide(text, head_id, True)


def reject(text: str, head_id: str) -> str:
    return decide(text, head_id, False)


def resolve(text: str, head_id: str) -> str:
    """Closes a comment thread: the comments go, the highlighted text stays as written."""
    item = find_item(text, head_id)
    if item.is_edit:
        raise DocumentError("A suggested edit is accepted or rejected, not resolved.")
    return commit(text, _splice(text, item.start, item.end, _outcome(item, True)))


def decide_all(text: str, accept: bool) -> str:
    """Accepts or rejects every suggested edit (with its attached comments); comment threads stay open."""
    out = text
    for item in reversed(review_items(parse(text))):
        if item.is_edit:
            out = _splice(out, item.start, item.end, _outcome(item, accept))
    return commit(text, out)


def accept_all(text: str) -> str:
    return decide_all(text, True)


def reject_all(text: str) -> str:
    return decide_all(text, False)


def reply(text: str, head_id: str, message: str, author: str, when: datetime | None = None) -> str:
    """Adds a comment at the end of the item's thread, signed by ``author`` in the log (not in the body)."""
    message = message.strip()
    if not message:
        raise DocumentError("The reply is empty.")
    item = find_item(text, head_id)
    try:
        note = markup("comment", message)
    except ValueError:
        raise DocumentError("A reply cannot contain '<<}'.") from None
    new = text[: item.end] + note + text[item.end :]
    return commit(text, new, author=author, when=when, as_reviewer=False)
