"""`voiceshop models`: list, download and verify the speech models of each locale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from speech.errors import ModelError
from voiceshop import settings
from voiceshop.errors import UserError


@click.group()
def models() -> None:
    """List, download and verify speech models (models/manifest.json).

    \b
    Examples:
      voiceshop models list
      voiceshop models download en-US
      voiceshop models verify
    """


@models.command("list")
@click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path), envvar="VOICESHOP_MODELS",
              help="Where models live (default: $VOICESHOP_MODELS, else models/).")
def list_models(models_dir: Path | None) -> None:
    """Each locale's model, where it comes from and whether it is installed.

    \b
    Example:
      voiceshop models list
    """
    from speech.asr.rescore import rescorer_status
    from speech.models import installed_model_dir, load_manifest

    manifest = load_manifest()
    for locale, entry in sorted(manifest.items()):
        where = installed_model_dir(locale, models_dir, manifest)
        source = entry.url or f"pip package {entry.name}"
        state = f"installed at {where}" if where else "not installed"
        click.echo(f"{locale:6} {entry.name:30} {state}")
        click.echo(f"       from {source}")
    click.echo("en-US without its Vosk model: pocketsphinx (bundled US-English model) with the grammar.")
    click.echo(f"English second opinion (Whisper tiny.en, CTranslate2): {rescorer_status(settings.rescorer_model())}")


@models.command("download")
@click.argument("locale")
@click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path), envvar="VOICESHOP_MODELS",
              help="Where models live (default: $VOICESHOP_MODELS, else models/).")
@click.option("--force", is_flag=True, help="Download again even when installed.")
def download(locale: str, models_dir: Path | None, force: bool) -> None:
    """Download LOCALE's model, check its SHA-256 and install it (resumes an interrupted download).

    \b
    Example:
      voiceshop models download en-US
    """
    from speech.models import download_model, load_manifest

    entry = load_manifest().get(locale)
    label = f"{entry.name}" if entry else locale
    bar: Any = None
    last = 0

    def progress(done: int, total: int | None) -> None:
        nonlocal bar, last
        if bar is None:  # opened on the first block, when the size is known
            bar = click.progressbar(length=total or 0, label=f"downloading {label}", file=click.get_text_stream("stderr"))  # type: ignore[operator]
            bar.__enter__()
        bar.update(done - last)
        last = done

    try:
        path = download_model(locale, models_dir=models_dir, progress=progress, force=force)
    except ModelError as exc:
        raise UserError(str(exc)) from exc
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"{locale}: installed at {path}")


@models.command("verify")
@click.argument("locales", nargs=-1)
@click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path), envvar="VOICESHOP_MODELS",
              help="Where models live (default: $VOICESHOP_MODELS, else models/).")
def verify(locales: tuple[str, ...], models_dir: Path | None) -> None:
    """Check that installed models are complete and their vocabulary readable; exit 1 when one is broken.

    Without LOCALES, the English second opinion's model (Whisper) is checked too: its files, their
    checksums when it is the packaged one, and that it loads and scores a sentence.

    \b
    Examples:
      voiceshop models verify
      voiceshop models verify ko-KR
    """
    from speech.asr.rescore import verify_rescorer
    from speech.models import load_manifest, verify_model

    manifest = load_manifest()
    bad = 0
    for locale in locales or tuple(sorted(manifest)):
        status = verify_model(locale, models_dir, manifest)
        if status.problem is None:
            click.echo(f"{locale}: ok ({status.installed})")
        elif status.installed is None and not locales:
            click.echo(f"{locale}: not installed")
        else:
            bad += 1
            click.echo(f"{locale}: {status.problem}")
    if not locales:
        where, problem = verify_rescorer(settings.rescorer_model())
        if problem is None:
            click.echo(f"second opinion: ok ({where})")
        elif where is None:
            click.echo(f"second opinion: {problem}")
        else:
            bad += 1
            click.echo(f"second opinion: {problem}")
    if bad:
        raise UserError(f"{bad} model(s) failed verification", exit_code=1)
