"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from voiceshop.errors import UserError

__all__ = ["DATABASE", "DatabaseParam"]


class DatabaseParam(click.ParamType):
    """`--db`: a SQLite file path (a Path) or a postgresql:// URL (a str, checked here).

    A bad URL is refused at once with one line naming what is wrong (never its password), and never
    taken for a file name."""

    name = "PATH|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path | str:
        if isinstance(value, Path):
            return value
        text = str(value).strip()
        if "://" in text:
            from skill.errors import StoreError
            from skill.store.db import check_database_url

            try:
                return check_database_url(text)
            except StoreError as exc:
                raise UserError(str(exc)) from None
        path = Path(text)
        if path.is_dir():
            raise UserError(f"--db {path} is a directory, not a database file")
        return path


DATABASE = DatabaseParam()
