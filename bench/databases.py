"""The databases a benchmark runs on (`--db`): a SQLite file, a throwaway PostgreSQL cluster, or a server.

    --db sqlite                  a file in a temporary folder
    --db postgresql              a throwaway cluster on this machine (Debian's postgresql; fsync off)
    --db both                    one, then the other (the default; SQLite alone where PostgreSQL is missing)
    --db postgresql://u@h/name   an existing server's database (it gets the bench's tables and rows)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

Target = str | Path
"""What `open_database` and `--db` take: a SQLite file or a postgresql:// URL."""


class PostgresMissing(Exception):
    """No PostgreSQL server programs (or psycopg) here."""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default="both",
        help="sqlite, postgresql (a throwaway cluster), both (the default), or a postgresql:// URL",
    )


@contextmanager
def databases(choice: str, tmp: Path) -> Iterator[list[tuple[str, Callable[[str], Target]]]]:
    """(label, fresh) for each database chosen; `fresh(name)` gives a new, empty database's target."""
    kinds = ["sqlite", "postgresql"] if choice == "both" else [choice]
    with ExitStack() as stack:
        chosen: list[tuple[str, Callable[[str], Target]]] = []
        for kind in kinds:
            if kind == "sqlite":
                chosen.append(("sqlite", lambda name: tmp / f"{name}.db"))
            elif kind == "postgresql":
                try:
                    chosen.append(("postgresql", _throwaway(stack)))
                except PostgresMissing as exc:
                    if choice != "both":
                        raise SystemExit(f"error: {exc}") from None
                    print(f"postgresql: not measured ({exc})")
            elif kind.startswith(("postgresql://", "postgres://")):
                chosen.append(("postgresql", _given(kind)))
            else:
                raise SystemExit(f"error: --db takes sqlite, postgresql, both or a postgresql:// URL, not {kind!r}")
        yield chosen


def _given(url: str) -> Callable[[str], Target]:
    """A server's database: every run of the bench shares it (its rows are told apart by user ids)."""
    return lambda name: url


def _throwaway(stack: ExitStack) -> Callable[[str], Target]:
    try:
        import psycopg
    except ImportError:
        raise PostgresMissing("psycopg is not installed: pip install -e '.[postgres]'") from None

    from skill.store.pgcluster import PostgresUnavailable, ThrowawayCluster

    try:
        cluster = stack.enter_context(ThrowawayCluster())
    except PostgresUnavailable as exc:
        raise PostgresMissing(str(exc)) from None

    def fresh(name: str) -> Target:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
        return cluster.url(name)

    return fresh
