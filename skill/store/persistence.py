"""ask-sdk persistent attributes kept in the SQLite store (one JSON document per user)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.store.db import Database


class SQLitePersistenceAdapter(AbstractPersistenceAdapter):
    """Stores `attributes_manager.persistent_attributes` in the `persistent_attributes` table."""

    def __init__(self, db_factory: Callable[[], Database]) -> None:
        self._db = db_factory

    @staticmethod
    def _key(request_envelope: RequestEnvelope) -> str:
        envelope: Any = request_envelope  # ask-sdk-model types every field as optional
        return str(envelope.context.system.user.user_id)

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        row = self._db().execute(
            "SELECT attributes FROM persistent_attributes WHERE user_id = ?", (self._key(request_envelope),)
        ).fetchone()
        return json.loads(row[0]) if row else {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> None:
        self._db().execute(
            "INSERT INTO persistent_attributes (user_id, attributes, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at",
            (self._key(request_envelope), json.dumps(attributes), datetime.now(UTC).isoformat()),
        )

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self._db().execute(
            "DELETE FROM persistent_attributes WHERE user_id = ?", (self._key(request_envelope),)
        )
