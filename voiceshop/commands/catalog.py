"""`voiceshop catalog`: import the product catalog, search it as the skill does, count what is in it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from skill.config import SkillConfig
from skill.services.catalog import CatalogService
from skill.services.money import format_price
from skill.store.catalog_import import default_catalog_path, import_catalog
from skill.store.db import describe, open_database
from voiceshop.options import DATABASE

_DB_OPTION = click.option(
    "--db",
    "db_path",
    type=DATABASE,
    default=None,
    help="SQLite database or postgresql:// URL (default: the skill's, $VOICESHOP_DB_URL, $VOICESHOP_DB_PATH"
    " or ~/.local/share/voiceshop/voiceshop.db).",
)


def _db_path(given: Path | str | None) -> Path | str:
    return SkillConfig.from_env(db_path=given).database


@click.group()
def catalog() -> None:
    """Import or inspect the product catalog.

    \b
    Examples:
      voiceshop catalog import                      # the demo catalog, skill/data/catalog.json
      voiceshop catalog import my_catalog.json --db shop.db
      voiceshop catalog search "paper towels" --json
      voiceshop catalog stats
    """


@catalog.command("import")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_DB_OPTION
def import_command(file: Path | None, db_path: Path | None) -> None:
    """Validate FILE (default: the demo catalog) and upsert its products in one transaction.

    \b
    Example:
      voiceshop catalog import skill/data/catalog.json --db shop.db
    """
    path = file or default_catalog_path()
    target = _db_path(db_path)
    result = import_catalog(open_database(target, seed_catalog=False), path)
    click.echo(
        f"imported {result.imported} products from {path} into {describe(target)} ({result.total} in the catalog)"
    )


@catalog.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="Most results to show."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON list of products.")
@_DB_OPTION
def search_command(query: tuple[str, ...], limit: int, as_json: bool, db_path: Path | None) -> None:
    """Search the catalog as the skill does (misheard words included).

    \b
    Example:
      voiceshop catalog search paper tower
    """
    text = " ".join(query)
    result = CatalogService(open_database(_db_path(db_path))).find(text, limit=limit)
    if as_json:
        rows = [
            {
                "sku": p.sku,
                "brand": p.brand,
                "name": p.name,
                "generic": p.generic,
                "size": p.size,
                "unit": p.unit,
                "price_cents": p.effective_price_cents,
                "price": format_price(p.effective_price_cents),
                "stock": p.stock,
            }
            for p in result.products
        ]
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if result.corrected:
        click.echo(f"(searched for: {result.corrected})")
    if not result.products:
        click.echo("no products found")
    for p in result.products:
        stock = f"{p.stock} in stock" if p.stock else "out of stock"
        click.echo(f"{p.sku:<12} {p.title}, {p.size}, {format_price(p.effective_price_cents)} ({stock})")


@catalog.command("stats")
@_DB_OPTION
def stats_command(db_path: Path | None) -> None:
    """How many products, in stock, on deal, kinds and categories.

    \b
    Example:
      voiceshop catalog stats --db shop.db
    """
    stats = CatalogService(open_database(_db_path(db_path))).stats()
    click.echo(f"products: {stats.products}")
    click.echo(f"in stock: {stats.in_stock}")
    click.echo(f"on deal: {stats.on_deal}")
    click.echo(f"kinds (generics): {stats.generics}")
    click.echo(f"categories: {stats.categories}")
