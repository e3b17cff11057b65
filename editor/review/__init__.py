"""Review in the core (no Qt): who made which mark, the writer's decisions, review copies and their import.

The body holds plain CriticMarkup (``editor.criticmarkup``); who made a mark and when lives in the front
matter under ``reviews:``, keyed by a fingerprint of the mark, so the body stays clean and any Markdown tool
still reads it.
"""
