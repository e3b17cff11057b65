"""Errors that carry one sentence a writer can read; the CLI and GUI show them instead of tracebacks."""


class DocumentError(Exception):
    """A file could not be opened or saved; the message says why in plain words."""
