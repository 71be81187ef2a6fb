"""`voiceshop model build`: the interaction model's product values from the shop's database catalog."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from voiceshop.errors import UserError
from voiceshop.options import DATABASE

_LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")
_MODEL_LOCALES = ("en-US", "ko-KR")
"""Locales whose intents and samples `skill/data/model_source.py` holds."""


@click.group()
def model() -> None:
    """Build the interaction model from the shop's own catalog.

    \b
    Examples:
      voiceshop model build --db shop.db
      voiceshop model build --db shop.db --check     # exit 1 when the file is stale
    """


@model.command("build")
@click.option("--db", type=DATABASE, help="Database with the catalog (a SQLite file or a postgresql:// URL).")
@click.option("--locale", default="en-US", show_default=True, help="The model's locale.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it (default: skill-package/interactionModels/custom/LOCALE.json, the ASK CLI's layout).",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the file differs from what would be built.")
@click.option("--json", "as_json", is_flag=True, help="Print the build's figures as JSON.")
def build_command(db: Path | None, locale: str, out: Path | None, check: bool, as_json: bool) -> None:
    """Regenerate the PRODUCT slot values and synonyms from the database's catalog, check the build rules
    and Alexa's limits (slot values, model size), and write the model.

    A catalog too large for the limits gets product kinds only; the skill then finds products by the
    words heard (full-text search of the catalog), so nothing becomes unsellable.

    \b
    Examples:
      voiceshop model build --db shop.db
      voiceshop model build --db shop.db --out skill-package/interactionModels/custom/en-US.json --check
    """
    from skill.config import SkillConfig
    from skill.data.model_catalog import build_from_database, summary
    from skill.prompts import PROMPTS_DIR
    from skill.store.db import open_database
    from speech.validate import has_required_failure, validate_model

    if not _LOCALE.fullmatch(locale) or not (PROMPTS_DIR / locale).is_dir():
        raise UserError(f"unknown locale {locale!r}; the shop speaks {', '.join(_supported(PROMPTS_DIR))}")
    if locale not in _MODEL_LOCALES:
        raise UserError(f"no interaction model source for {locale} yet; model build knows {', '.join(_MODEL_LOCALES)}")
    config = SkillConfig.from_env(db_path=db)
    if config.db_url is None and not config.db_path.is_file():
        raise UserError(f"no database at {config.db_path} (give --db PATH)")
    built = build_from_database(open_database(config.database, seed_catalog=False), locale=locale)
    results = validate_model(built.model)
    failed = [r for r in results if r.status == "FAILED"]
    target = out or Path("skill-package") / "interactionModels" / "custom" / f"{locale}.json"
    figures = {**summary(built), "locale": locale, "file": str(target)}
    stale = False
    if check:
        current = target.read_text(encoding="utf-8") if target.is_file() else ""
        stale = current != built.text
        figures["stale"] = stale
    if as_json:
        figures["rules_failed"] = [r.to_json() for r in failed]
        click.echo(json.dumps(figures))
    else:
        if built.mode == "kinds":
            click.echo(f"the full model has {built.reason}: falling back to product kinds")
        click.echo(
            f"{built.products:,} product{'s' * (built.products != 1)}, {built.kinds:,} kind{'s' * (built.kinds != 1)}"
            f" ({built.mode}): {built.slot_values:,} slot values"
            f" and synonyms, {built.size_bytes:,} bytes"
        )
        for result in results:
            if result.status != "PASSED":
                for detail in result.details[:5]:
                    click.echo(f"{result.status.lower()}: {result.title}: {detail}")
    if has_required_failure(results):
        raise UserError(f"the model breaks {len(failed)} build rule(s); nothing written", exit_code=1)
    if check:
        if stale:
            raise UserError(f"{target} is stale: run voiceshop model build", exit_code=1)
        if not as_json:
            click.echo(f"{target} is current")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(built.text, encoding="utf-8")
    if not as_json:
        click.echo(f"wrote {target}")


def _supported(prompts_dir: Path) -> list[str]:
    return sorted(p.name for p in prompts_dir.iterdir() if p.is_dir() and _LOCALE.fullmatch(p.name))
