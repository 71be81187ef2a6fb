"""A disk cache of compiled NLUs, so a command starts without compiling the model again.

    nlu = compile_model("interactionModels/custom/ko-KR.json", "ko-KR", cache_dir=Path("~/.cache/voiceshop/nlu"))

An entry is keyed by the SHA-256 of the model file's bytes, the locale, the NLU's own code (every module
of `speech/nlu`, and the model classes it keeps) and the Korean analyser's version: a changed model, locale or NLU reads as a miss and is
compiled afresh. Entries are pickles the NLU wrote itself into the user's own cache folder; one that
cannot be read (cut short, another version's) is a miss too. Writing is atomic (a temporary file, then
a rename), so two processes compiling at once each leave a whole entry.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["cache_key", "load", "save"]

_NLU_DIR = Path(__file__).resolve().parent


@cache
def _code_digest() -> str:
    """What the compiled form depends on besides the model: the NLU's modules and the analyser."""
    digest = hashlib.sha256()
    for path in [*sorted(_NLU_DIR.glob("*.py")), _NLU_DIR.parent / "interaction_model.py"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    try:
        digest.update(metadata.version("kiwipiepy").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"no-kiwi")
    return digest.hexdigest()


def cache_key(model_bytes: bytes, locale: str) -> str:
    """The entry name for a model file's bytes compiled for `locale`."""
    digest = hashlib.sha256(model_bytes)
    digest.update(b"\0" + locale.encode() + b"\0" + _code_digest().encode())
    return f"{locale}-{digest.hexdigest()[:32]}.pickle"


def load(cache_dir: Path, key: str) -> Any | None:
    """The compiled NLU stored under `key`, or None (missing, unreadable or not an NLU)."""
    from speech.nlu.compiler import CompiledNLU

    try:
        with open(cache_dir / key, "rb") as handle:
            found = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss; it is written again
        return None
    return found if isinstance(found, CompiledNLU) else None


def save(cache_dir: Path, key: str, compiled: Any) -> None:
    """Store `compiled` under `key`; a folder that cannot be written only means no cache."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=cache_dir, prefix=".writing-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(compiled, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, cache_dir / key)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        return
