"""The writing domain of On Record: document model, file format and checks. No Qt here."""

__version__ = "0.1.0"
