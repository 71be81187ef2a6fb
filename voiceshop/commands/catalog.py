"""`voiceshop catalog`: import the product catalog, search it as the skill does, count what is in it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from skill.config import SkillConfig
from skill.services.catalog import CatalogService
from skill.services.money import format_price
from skill.store.catalog_import import MAX_PROBLEMS, default_catalog_path
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
      voiceshop catalog import products.csv --db shop.db --dry-run
      voiceshop catalog search "paper towels" --json
      voiceshop catalog stats
    """


@catalog.command("import")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_DB_OPTION
@click.option("--dry-run", is_flag=True, help="Validate and report what would change; write nothing.")
@click.option(
    "--delete-missing",
    is_flag=True,
    help="Retire products the file does not list (kept for past orders, hidden from search, out of carts).",
)
@click.option("--json", "as_json", is_flag=True, help="The report as one JSON object.")
def import_command(
    file: Path | None, db_path: Path | None, dry_run: bool, delete_missing: bool, as_json: bool
) -> None:
    """Validate FILE (CSV or JSON; default: the demo catalog) and upsert its products in one transaction.

    Columns: sku, brand, name, kind, size, unit, price, stock, category, and optionally tags,
    synonyms (several separated by | in CSV), deal_price, description. Every problem is reported
    with its file, row and field, and nothing is written unless the whole file is valid. Products
    the file does not list are kept unless --delete-missing retires them.

    \b
    Examples:
      voiceshop catalog import products.csv --db shop.db --dry-run
      voiceshop catalog import products.csv --db shop.db
      voiceshop catalog import products.csv --db shop.db --delete-missing
    """
    from skill.store.catalog_import import CatalogInvalid, apply_plan, load_catalog, plan_import

    path = file or default_catalog_path()
    target = _db_path(db_path)
    try:
        rows = load_catalog(path)
    except CatalogInvalid as invalid:
        for problem in invalid.problems:
            click.echo(f"error: {problem}", err=True)
        if len(invalid.problems) >= MAX_PROBLEMS:
            click.echo(f"error: stopped after {MAX_PROBLEMS} problems", err=True)
        raise SystemExit(2) from None
    db = open_database(target, seed_catalog=False)
    plan = plan_import(db, rows)
    summary = plan.summary(delete_missing)
    if not dry_run:
        result = apply_plan(db, plan, delete_missing=delete_missing)
        summary = {**summary, "total": result.total}
    report = {"file": str(path), "database": describe(target), "dry_run": dry_run, **summary}
    if dry_run:
        report["examples"] = {
            "added": plan.added[:10],
            "updated": plan.updated[:10],
            "would_be_retired" if not delete_missing else "retired": plan.missing[:10],
        }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    verb = "would import" if dry_run else "imported"
    click.echo(
        f"{verb} {len(rows)} products from {path} into {describe(target)}: {len(plan.added)} added,"
        f" {len(plan.updated)} updated, {len(plan.unchanged)} unchanged"
    )
    if plan.missing:
        listed = ", ".join(plan.missing[:10]) + (", ..." if len(plan.missing) > 10 else "")
        if delete_missing:
            state = "would be retired" if dry_run else "retired"
            click.echo(
                f"{len(plan.missing)} products not in the file {state} ({listed}); in {plan.missing_in_carts}"
                f" cart lines (taken out) and {plan.missing_in_orders} order lines (history kept)"
            )
        else:
            click.echo(
                f"{len(plan.missing)} products not in the file are kept ({listed});"
                " --delete-missing retires them"
            )
    if dry_run:
        for label, skus in (("added", plan.added), ("updated", plan.updated)):
            if skus:
                click.echo(f"  {label}: {', '.join(skus[:10])}{', ...' if len(skus) > 10 else ''}")
    else:
        click.echo(f"{report['total']} products in the catalog")


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
