"""Where SQLite and PostgreSQL differ, in one place: SQL text, the schema's DDL, locks and full-text search.

Services and migrations write SQLite's SQL (`?` placeholders, `INSERT OR IGNORE`, `rowid`) plus
`SELECT ... FOR UPDATE` where a row must be held until the transaction ends. `SQLite` drops the
`FOR UPDATE` (BEGIN IMMEDIATE already holds the one write lock); `PostgreSQL` rewrites the rest:

- `?` becomes `%s` (and a literal `%` becomes `%%`), outside quotes and comments;
- `INSERT OR IGNORE INTO ...` becomes `INSERT INTO ... ON CONFLICT DO NOTHING`;
- `window`, a reserved word in PostgreSQL, is quoted where it is a column name;
- in `CREATE TABLE`: `INTEGER PRIMARY KEY` becomes an identity column (as SQLite's is a rowid alias), and
  every table gets the `rowid` column SQLite gives it implicitly (an identity, or the integer key itself),
  so `ORDER BY rowid` and `max(rowid)` mean the same on both. (An INSERT therefore names its columns:
  on PostgreSQL a column added later by ALTER TABLE comes after `rowid`.)

Full-text search: SQLite keeps an FTS5 table (porter stemming, bm25 with per-column weights);
PostgreSQL a stored, weighted `tsvector` column with a GIN index, ranked by `ts_rank`, plus a
`pg_trgm` index for words no stemmer matches (a misheard "bananna"). Both rank lower-is-better.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skill.store.db import Database

__all__ = ["PRODUCT_SEARCH_WEIGHTS", "Dialect", "PostgreSQL", "SQLite", "to_postgres"]

PRODUCT_SEARCH_WEIGHTS: dict[str, float] = {
    "name": 10.0,
    "brand": 4.0,
    "generic": 10.0,
    "category": 0.5,
    "synonyms": 2.0,
}
"""The searchable product columns and how much a match in each counts (name and kind most)."""

_PG_RESERVED_COLUMNS = frozenset({"window"})


class Dialect:
    """One database's SQL: statement translation, named locks and product search."""

    name = ""

    def translate(self, sql: str) -> str:
        raise NotImplementedError

    def lock_sql(self) -> str | None:
        """A statement taking a named lock until the transaction ends (None: not needed)."""
        raise NotImplementedError

    def create_text_search(self, db: Database, table: str, weights: dict[str, float]) -> None:
        """Make `table`'s `weights` columns searchable (kept up to date by the database itself)."""
        raise NotImplementedError

    def product_hits(self, terms: list[tuple[str, bool]], *, any_word: bool, pool: int) -> tuple[str, tuple[Any, ...]]:
        """A SELECT of (rowid, score) for the best `pool` products matching `terms`, best (lowest) first.

        `terms` are (word, as a prefix); all words must match unless `any_word`."""
        raise NotImplementedError


class SQLite(Dialect):
    name = "sqlite"

    def translate(self, sql: str) -> str:
        return _without_for_update(sql) if "FOR UPDATE" in sql else sql

    def lock_sql(self) -> str | None:
        return None

    def create_text_search(self, db: Database, table: str, weights: dict[str, float]) -> None:
        import sqlite_utils

        sqlite_utils.Database(db.conn).table(table).enable_fts(
            list(weights), create_triggers=True, tokenize="porter", replace=True
        )

    def product_hits(self, terms: list[tuple[str, bool]], *, any_word: bool, pool: int) -> tuple[str, tuple[Any, ...]]:
        expression = (" OR " if any_word else " ").join(f'"{w}"*' if prefix else f'"{w}"' for w, prefix in terms)
        weights = ", ".join(str(w) for w in PRODUCT_SEARCH_WEIGHTS.values())
        return (
            f"SELECT rowid, bm25(products_fts, {weights}) AS score FROM products_fts"
            " WHERE products_fts MATCH ? ORDER BY score LIMIT ?",
            (expression, pool),
        )


class PostgreSQL(Dialect):
    name = "postgresql"
    TEXT_CONFIG = "english"
    """The text search configuration: English stemming (as FTS5's porter) and stop words."""
    SESSION = (
        "SET pg_trgm.word_similarity_threshold = 0.5",
        "SET max_parallel_workers_per_gather = 0",
        "SET plan_cache_mode = force_custom_plan",
    )
    """Set on every connection: no parallel workers (starting them costs more than these small queries
    take); a plan made for each search's own words (a prepared statement's generic plan cannot tell a
    rare word from a common one); and how close (pg_trgm's word_similarity) a word the catalog does not know must be to a
    product's words to count as a match ("detergant" is 0.6 from "laundry detergent", "xqzv" 0)."""

    def translate(self, sql: str) -> str:
        return to_postgres(sql)

    def lock_sql(self) -> str | None:
        return "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))"

    def create_text_search(self, db: Database, table: str, weights: dict[str, float]) -> None:
        # Trusted extensions: the database owner may create them (a superuser is not needed).
        db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        db.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        # unaccent() is only STABLE; a generated column needs IMMUTABLE, which it is with the dictionary named.
        db.execute(
            "CREATE OR REPLACE FUNCTION voiceshop_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE"
            " RETURN unaccent('unaccent'::regdictionary, lower(replace($1, '_', ' ')))"
        )
        classes = _weight_classes(weights)
        # Each column twice: stemmed (whole words: "towels" finds "towel") and as spelt (a fragment
        # such as "detergen" is a prefix of "detergent", not of its stem "deterg").
        vector = " || ".join(
            f"setweight(to_tsvector('{config}', voiceshop_fold(coalesce({column}, ''))), '{classes[column]}')"
            for column in weights
            for config in (self.TEXT_CONFIG, "simple")
        )
        text = " || ' ' || ".join(f"coalesce({column}, '')" for column in weights)
        for column in ("search_vector", "search_text"):
            db.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")
        db.execute(f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({vector}) STORED")
        db.execute(f"ALTER TABLE {table} ADD COLUMN search_text text GENERATED ALWAYS AS (voiceshop_fold({text})) STORED")
        db.execute(f"CREATE INDEX {table}_search_vector ON {table} USING gin (search_vector)")
        db.execute(f"CREATE INDEX {table}_search_text ON {table} USING gin (search_text gin_trgm_ops)")

    def product_hits(self, terms: list[tuple[str, bool]], *, any_word: bool, pool: int) -> tuple[str, tuple[Any, ...]]:
        # Whole words stemmed, fragments as spelt (see create_text_search), one tsquery per word.
        query = (" || " if any_word else " && ").join(
            "to_tsquery('simple', ?)" if prefix else f"to_tsquery('{self.TEXT_CONFIG}', ?)" for _, prefix in terms
        )
        words = tuple("'" + w.replace("'", "''") + "'" + (":*" if prefix else "") for w, prefix in terms)
        ranks = "'{" + ", ".join(str(w) for w in _class_weights(PRODUCT_SEARCH_WEIGHTS)) + "}'"
        rank = f"ts_rank({ranks}, search_vector, t.q)"
        if not any_word:
            return (
                f"SELECT rowid, -{rank} AS score FROM products, (SELECT {query} AS q) AS t"
                " WHERE search_vector @@ t.q ORDER BY score, rowid LIMIT ?",
                (*words, pool),
            )
        stemmed = f"SELECT rowid, -{rank} AS score FROM products, (SELECT {query} AS q) AS t WHERE search_vector @@ t.q"
        # The last resort, any word: stemmed matches, and for words the catalog does not know (the
        # ones looked up as prefixes), products spelt close to them (pg_trgm). Two index scans
        # joined, not one OR, which PostgreSQL could only answer by reading every row.
        unknown = " ".join(w for w, prefix in terms if prefix)
        if not unknown:
            return f"{stemmed} ORDER BY score, rowid LIMIT ?", (*words, pool)
        return (
            f"SELECT rowid, min(score) AS score FROM ({stemmed}"
            " UNION ALL SELECT rowid, -word_similarity(voiceshop_fold(?), search_text) AS score FROM products"
            " WHERE voiceshop_fold(?) <% search_text"
            ") AS matched GROUP BY rowid ORDER BY score, rowid LIMIT ?",
            (*words, unknown, unknown, pool),
        )


def _weight_classes(weights: dict[str, float]) -> dict[str, str]:
    """tsvector has four weight classes, A (highest) to D: each distinct weight gets one, highest first."""
    distinct = sorted(set(weights.values()), reverse=True)
    if len(distinct) > 4:
        raise ValueError("PostgreSQL full-text search has four weight classes; give at most four distinct weights")
    return {column: "ABCD"[distinct.index(w)] for column, w in weights.items()}


def _class_weights(weights: dict[str, float]) -> list[float]:
    """ts_rank's weights for classes {D, C, B, A}, relative to the highest (unused classes weigh 0)."""
    distinct = sorted(set(weights.values()), reverse=True)
    top = distinct[0]
    by_class = {"ABCD"[i]: w / top for i, w in enumerate(distinct)}
    return [round(by_class.get(c, 0.0), 4) for c in "DCBA"]


_FOR_UPDATE = re.compile(r"\s+FOR\s+UPDATE\b", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _without_for_update(sql: str) -> str:
    return _FOR_UPDATE.sub("", sql)


_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_CREATE_TABLE = re.compile(r"^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\(", re.IGNORECASE)
_INTEGER_KEY = re.compile(r"\b(\w+)\s+INTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z_]\w*")


@lru_cache(maxsize=4096)
def to_postgres(sql: str) -> str:
    """SQLite's SQL as PostgreSQL's (see the module docstring for what changes)."""
    # psycopg reads every % as a placeholder's start, in literals and comments too.
    out = "".join(_rewrite_code(chunk) if code else chunk.replace("%", "%%") for code, chunk in _split_code(sql))
    if _INSERT_OR_IGNORE.match(out):
        out = _INSERT_OR_IGNORE.sub("INSERT INTO", out, count=1).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    if _CREATE_TABLE.match(out):
        out = _create_table(out)
    return out


def _create_table(sql: str) -> str:
    key = _INTEGER_KEY.search(sql)
    if key:
        sql = _INTEGER_KEY.sub(r"\1 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql, count=1)
        rowid = f"rowid BIGINT GENERATED ALWAYS AS ({key.group(1)}) STORED"
    else:
        rowid = "rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE"  # indexed: joins and max(rowid) use it
    close = sql.rstrip().rstrip(";").rstrip()
    if not close.endswith(")"):
        raise ValueError(f"cannot translate CREATE TABLE (options after its columns): {sql[:80]}")
    return close[:-1].rstrip() + f",\n    {rowid}\n)"


def _rewrite_code(chunk: str) -> str:
    chunk = chunk.replace("%", "%%").replace("?", "%s")
    return _WORD.sub(lambda m: f'"{m.group(0)}"' if m.group(0).lower() in _PG_RESERVED_COLUMNS else m.group(0), chunk)


def _split_code(sql: str) -> Iterable[tuple[bool, str]]:
    """(is code, text) pieces: string literals, quoted names and comments are not code."""
    i, start, n = 0, 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            end = i + 1
            while end < n:
                if sql[end] == c:
                    if end + 1 < n and sql[end + 1] == c:  # a doubled quote inside
                        end += 2
                        continue
                    break
                end += 1
            yield True, sql[start:i]
            yield False, sql[i : end + 1]
            i = start = end + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            yield True, sql[start:i]
            yield False, sql[i:end]
            i = start = end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            yield True, sql[start:i]
            yield False, sql[i:end]
            i = start = end
        else:
            i += 1
    yield True, sql[start:]
