"""What a console is started with: the directory it may use, the skill it talks to, the speech engines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from speech.cloud import DEMO_USER_ID

__all__ = ["ConsoleSettings", "LOOPBACK_HOSTS", "MIB"]

MIB = 1024 * 1024
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
"""Host names a console bound to the loopback answers to (any other Host header is a rebinding attempt)."""


@dataclass(frozen=True)
class ConsoleSettings:
    directory: Path
    """The one folder the console reads test files from and writes uploads, cases, reports and audio to."""
    locale: str = "en-US"
    endpoint: str | None = None
    """A skill's HTTP(S) endpoint; None: the Voice Shop skill in process (with demo accounts)."""
    db_path: Path | str | None = None
    """The in-process skill's database (None: the default of `SkillConfig.from_env`)."""
    model_path: Path | None = None
    """The interaction model (None: the repository's)."""
    asr_engine: str | None = None
    """As `voiceshop speaker --asr` (None: chosen per locale)."""
    rescore: bool | None = None
    """Whisper's second opinion, as `voiceshop speaker --rescore` (None: when installed)."""
    voice: str | None = None
    """espeak-ng voice of the answers."""
    user_id: str = DEMO_USER_ID
    max_upload: int = 8 * MIB
    """Largest request body (a WAV, a test file) accepted."""
    max_audio_seconds: float = 30.0
    """Longest spoken turn accepted."""
    allowed_hosts: frozenset[str] | None = LOOPBACK_HOSTS
    """Host names the console answers to; None: any (bound to another address with --host)."""
    warm_up: bool = True
    """Load the recogniser in the background when the app starts, so the first spoken turn is quick."""
