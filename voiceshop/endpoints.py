"""The skill a command talks to: one over HTTP (`--endpoint`) or Voice Shop in this process (`--db`)."""

from __future__ import annotations

from pathlib import Path

from speech.cloud import DEFAULT_APPLICATION_ID
from speech.transport import Endpoint, HttpEndpoint
from voiceshop.errors import UserError


def skill_endpoint(endpoint: str | None, db: Path | str | None, *, demo_accounts: bool = True) -> tuple[Endpoint, str]:
    """The skill and the application id its requests carry. In process, a new user gets the demo
    profile when `demo_accounts` (the contract's chat and speaker behaviour)."""
    if endpoint:
        if db is not None:
            raise UserError("--db applies only to the in-process skill, not to --endpoint")
        return HttpEndpoint(endpoint), DEFAULT_APPLICATION_ID
    from skill.app import create_invoker
    from skill.config import SkillConfig

    config = SkillConfig.from_env(db_path=db, demo_accounts=demo_accounts)
    if config.db_url is None:
        config.db_path.parent.mkdir(parents=True, exist_ok=True)
    return create_invoker(config), config.skill_id or DEFAULT_APPLICATION_ID
