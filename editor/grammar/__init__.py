"""Grammar and style checks with LanguageTool, on a loopback server by default (DESIGN.md §4, issue 6).

``locate`` decides where LanguageTool comes from, ``server`` runs it as a child process, ``prose``
turns a draft into the paragraphs to send, ``checker`` turns matches into findings (with a
per-paragraph cache) and ``service`` ties them together for the CLI and the GUI. No Qt here.
"""

from editor.grammar.checker import GrammarChecker
from editor.grammar.service import GrammarService, GrammarUnavailable, grammar_linter, shared_service

__all__ = ["GrammarChecker", "GrammarService", "GrammarUnavailable", "grammar_linter", "shared_service"]
