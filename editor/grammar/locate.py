"""Where LanguageTool comes from, decided by the grammar settings (mode auto|managed|folder|url|off).

Only ``managed`` may download (language-tool-python's own download, from the web) and only ``url``
may send text off this machine; both happen because the writer chose them. ``auto`` uses what is
already here: a loopback server named by ONRECORD_LANGUAGETOOL_URL, the project's Maven cache
(``make languagetool``) or an earlier managed download.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from editor.paths import data_dir
from editor.settings import GrammarSettings

MODES = ("auto", "managed", "folder", "url", "off")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
RUNNING_SERVER_ENV = "ONRECORD_LANGUAGETOOL_URL"  # a loopback server already running, used in auto mode
CLASSPATH_FILE = "classpath.txt"  # written by scripts/languagetool fetch: the runtime jars, os.pathsep-separated
SERVER_JARS = ("languagetool-server.jar", "languagetool.jar")
INSTALL_HINT = (
    "run 'make languagetool' (needs Java 17 and Maven), or choose a LanguageTool folder, "
    "a LanguageTool server or the managed download in the grammar settings"
)


@dataclass(frozen=True)
class LocalInstall:
    """A LanguageTool we can launch as a loopback server."""

    classpath: tuple[Path, ...]
    java: str
    description: str


@dataclass(frozen=True)
class RemoteServer:
    """A server the writer named; text goes wherever the URL points."""

    url: str
    loopback: bool
    description: str


@dataclass(frozen=True)
class NotAvailable:
    """No LanguageTool to use; ``reason`` is one sentence for the writer."""

    reason: str


Source = LocalInstall | RemoteServer | NotAvailable


def project_cache_dirs() -> list[Path]:
    """Folders holding a Maven-fetched LanguageTool: the env override, the checkout's cache, the user data folder."""
    env = os.environ.get("ONRECORD_LANGUAGETOOL_CACHE")
    if env:
        return [Path(env)]
    return [PROJECT_ROOT / ".cache" / "languagetool", data_dir() / "languagetool"]


def find_java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def read_classpath(folder: Path) -> tuple[Path, ...] | str:
    """The jars listed in ``folder/classpath.txt``, or a reason why they cannot be used."""
    listing = folder / CLASSPATH_FILE
    try:
        raw = listing.read_text(encoding="utf-8").strip()
    except OSError:
        return f"no LanguageTool in {folder}"
    jars = tuple(Path(p) for p in raw.split(os.pathsep) if p)
    missing = [j for j in jars if not j.is_file()]
    if not jars or missing:
        return f"the LanguageTool cache in {folder} is incomplete; run 'make languagetool' again"
    if not any(j.name.startswith("languagetool-server") for j in jars):
        return f"the LanguageTool cache in {folder} has no server"
    return jars


def _version_key(path: Path) -> tuple:
    return tuple(int(n) for n in re.findall(r"\d+", path.name)) or (0,)


def server_jar_in(folder: Path) -> Path | None:
    """The server jar of a LanguageTool folder: the folder itself or its newest ``LanguageTool-*`` child."""
    for name in SERVER_JARS:
        if (folder / name).is_file():
            return folder / name
    children = sorted((p for p in folder.glob("LanguageTool*") if p.is_dir()), key=_version_key, reverse=True)
    for child in children:
        for name in SERVER_JARS:
            if (child / name).is_file():
                return child / name
    return None


def is_loopback_host(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def remote_server(url: str) -> RemoteServer | NotAvailable:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return NotAvailable(f"the LanguageTool server address '{url}' is not an http(s) URL")
    loopback = is_loopback_host(parts.hostname)
    where = "on this machine" if loopback else f"at {parts.hostname} (your text is sent there)"
    return RemoteServer(url.strip(), loopback, f"the LanguageTool server {where}")


def _local(java: str | None, classpath: tuple[Path, ...], description: str) -> LocalInstall | NotAvailable:
    if java is None:
        return NotAvailable("Java was not found; LanguageTool needs Java 17 or later")
    return LocalInstall(classpath, java, description)


def _from_project_cache() -> tuple[Path, ...] | str:
    reasons = []
    for folder in project_cache_dirs():
        got = read_classpath(folder)
        if isinstance(got, tuple):
            return got
        reasons.append(got)
    return reasons[0] if reasons else "no LanguageTool cache"


def _managed_folder() -> Path:
    """language-tool-python's download folder (``LTP_PATH`` or ~/.cache/language_tool_python); not created here."""
    return Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")


def download_managed() -> Path:
    """language-tool-python's own download (from the web, only in ``managed`` mode); returns the server jar."""
    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION, LocalLanguageTool

    tool = LocalLanguageTool.from_version_name(LTP_DOWNLOAD_VERSION)
    tool.download()
    return tool.get_jar_path()


def locate(settings: GrammarSettings, *, allow_download: bool = False) -> Source:
    """Decides where grammar checks run. Never downloads unless the mode is ``managed`` and ``allow_download``."""
    mode = (settings.mode or "auto").strip().lower()
    if mode not in MODES:
        return NotAvailable(f"the grammar mode '{settings.mode}' is unknown; use one of {', '.join(MODES)}")
    if mode == "off":
        return NotAvailable("grammar checks are turned off in the settings")
    if mode == "url":
        if not settings.url.strip():
            return NotAvailable("the grammar settings ask for a LanguageTool server but name no URL")
        return remote_server(settings.url)
    java = find_java()
    if mode == "folder":
        folder = Path(settings.folder).expanduser() if settings.folder.strip() else None
        if folder is None or not folder.is_dir():
            return NotAvailable(f"the LanguageTool folder '{settings.folder}' does not exist")
        cp = read_classpath(folder)
        if isinstance(cp, tuple):
            return _local(java, cp, f"LanguageTool from {folder}")
        jar = server_jar_in(folder)
        if jar is None:
            return NotAvailable(f"no languagetool-server.jar in {folder}")
        return _local(java, (jar,), f"LanguageTool from {jar.parent}")
    if mode == "auto":
        running = os.environ.get(RUNNING_SERVER_ENV, "").strip()
        if running:  # a server started for a whole test session or by `scripts/languagetool serve`
            got = remote_server(running)
            if isinstance(got, RemoteServer) and not got.loopback:
                return NotAvailable(f"{RUNNING_SERVER_ENV} must name a server on this machine")
            return got
        cp = _from_project_cache()
        if isinstance(cp, tuple):
            return _local(java, cp, "LanguageTool from the project cache")
        managed = _managed_folder()
        jar = server_jar_in(managed) if managed.is_dir() else None
        if jar is not None:
            return _local(java, (jar,), f"LanguageTool from {jar.parent}")
        return NotAvailable(f"LanguageTool is not installed ({cp}); {INSTALL_HINT}")
    # managed: language-tool-python's own download, fetched on first use
    managed = _managed_folder()
    jar = server_jar_in(managed) if managed.is_dir() else None
    if jar is None and allow_download:
        try:
            jar = download_managed()
        except Exception as exc:  # the library raises requests, OS and its own errors alike
            return NotAvailable(f"the LanguageTool download failed: {exc}")
    if jar is None:
        return NotAvailable("LanguageTool has not been downloaded yet")
    return _local(java, (jar,), f"LanguageTool from {jar.parent}")
