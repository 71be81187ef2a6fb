"""Where the voice side's files live, as the environment says: read here, at the command line, and passed
down as arguments (nothing below the CLI reads the environment).

    VOICESHOP_MODELS          speech models (default: the repository's models/)
    VOICESHOP_VOICES          trained voices (default: ~/.local/share/voiceshop/voices)
    VOICESHOP_RESCORER_MODEL  a CTranslate2 Whisper directory for the second opinion (default: the packaged one)
    VOICESHOP_NLU_CACHE       compiled NLUs kept between runs (default: ~/.cache/voiceshop/nlu; empty: none)
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "MODELS_ENV",
    "NLU_CACHE_ENV",
    "RESCORER_ENV",
    "VOICES_ENV",
    "models_dir",
    "nlu_cache_dir",
    "rescorer_model",
    "voices_dir",
]

MODELS_ENV = "VOICESHOP_MODELS"
VOICES_ENV = "VOICESHOP_VOICES"
RESCORER_ENV = "VOICESHOP_RESCORER_MODEL"
NLU_CACHE_ENV = "VOICESHOP_NLU_CACHE"


def _path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def models_dir() -> Path | None:
    """$VOICESHOP_MODELS, or None for the default."""
    return _path(MODELS_ENV)


def voices_dir() -> Path | None:
    """$VOICESHOP_VOICES, or None for the default."""
    return _path(VOICES_ENV)


def rescorer_model() -> Path | None:
    """$VOICESHOP_RESCORER_MODEL, or None for the packaged model."""
    return _path(RESCORER_ENV)


def nlu_cache_dir() -> Path | None:
    """$VOICESHOP_NLU_CACHE, the user's cache folder when it is not set, or None (no disk cache) when empty."""
    value = os.environ.get(NLU_CACHE_ENV)
    if value is None:
        from platformdirs import user_cache_path

        return user_cache_path("voiceshop") / "nlu"
    return Path(value) if value.strip() else None
