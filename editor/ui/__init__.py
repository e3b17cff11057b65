"""The Qt widgets of the guided editor (and the few pure helpers they share); the only Qt code under editor/."""

from editor.ui.qt_compat import guard_none_refcount

guard_none_refcount()  # PySide6 6.12.0 on Python 3.11 would otherwise abort after enough Qt calls
