"""The exact font families a theme names must be installed, or the layout would silently change.

fontconfig substitutes a look-alike for a missing family, which would move line breaks and the
page count from one machine to the next. We ask fontconfig (through weasyprint's own binding)
which family it would really use, and refuse clearly when it is not the one named.
"""

from __future__ import annotations

import functools

from editor.errors import DocumentError

# Which Debian package provides each family (the Makefile's DEB_PACKAGES installs them).
PACKAGES = {
    "Caladea": "fonts-crosextra-caladea",
    "Carlito": "fonts-crosextra-carlito",
    "Liberation Serif": "fonts-liberation2",
    "Liberation Sans": "fonts-liberation2",
    "DejaVu Serif": "fonts-dejavu-core",
    "DejaVu Sans": "fonts-dejavu-core",
}


@functools.cache
def matched_families(family: str) -> tuple[str, ...]:
    """The family names of the font fontconfig picks for ``family`` (all of its names)."""
    from weasyprint.text.ffi import ffi, fontconfig

    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", family.encode("utf-8"))
        fontconfig.FcConfigSubstitute(ffi.NULL, pattern, fontconfig.FcMatchPattern)
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(ffi.NULL, pattern, result)
        if match == ffi.NULL:
            return ()
        try:
            names, value = [], ffi.new("FcChar8 **")
            for i in range(16):
                if fontconfig.FcPatternGetString(match, b"family", i, value) != fontconfig.FcResultMatch:
                    break
                names.append(ffi.string(value[0]).decode("utf-8", "replace"))
            return tuple(names)
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcPatternDestroy(pattern)


def missing_fonts(families: tuple[str, ...] | list[str]) -> list[str]:
    return [f for f in families if f.casefold() not in {m.casefold() for m in matched_families(f)}]


def require_fonts(families: tuple[str, ...] | list[str], theme_name: str) -> None:
    missing = missing_fonts(families)
    if missing:
        pkgs = sorted({PACKAGES.get(f, "") for f in missing} - {""})
        hint = f" Install {' '.join(pkgs)} (run 'make deps')." if pkgs else ""
        raise DocumentError(
            f"The {theme_name} theme needs the font{'s' * (len(missing) > 1)} {', '.join(missing)}, "
            f"which {'are' if len(missing) > 1 else 'is'} not installed.{hint}"
        )
