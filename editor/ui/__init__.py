"""The Qt widgets of the guided editor (and the few pure helpers they share); the only Qt code under editor/."""
