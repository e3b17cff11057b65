"""The desktop application: entry points (GUI + CLI), main window, settings, autosave, workers."""
