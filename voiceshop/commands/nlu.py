"""`voiceshop nlu`: resolve utterances to intents and slots with the local NLU."""

from __future__ import annotations

import json

import click

from speech.interaction_model import model_path_for
from speech.nlu.compiler import compile_model
from speech.nlu.types import Resolution


def _text_line(r: Resolution) -> str:
    slots = ", ".join(
        f"{name}={s.value!r}"
        + (f" (id {s.id})" if s.id else (" (no match)" if s.status == "ER_SUCCESS_NO_MATCH" else ""))
        for name, s in r.slots.items()
    )
    return f"{r.utterance!r} -> {r.intent} {r.confidence:.2f}" + (f"  {slots}" if slots else "")


@click.command()
@click.option("--locale", default="en-US", show_default=True, help="Locale of the model.")
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Interaction model JSON (default: ./interaction_model.json or the repository's).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, as the contract says.")
@click.option("--explain", is_flag=True, help="Show how each utterance was read (values, symbols, scores).")
@click.argument("utterances", nargs=-1)
def nlu(
    locale: str, model_path: str | None, as_json: bool, explain: bool, utterances: tuple[str, ...]
) -> None:
    """Resolve UTTERANCES (or lines on stdin) to intent, slots and confidence.

    \b
    Examples:
      voiceshop nlu "add two bottles of oat milk to my cart"
      voiceshop nlu --json "what's in my cart" "deliver it tomorrow morning"
      echo "pay with my visa" | voiceshop nlu --json
      voiceshop nlu --locale ko-KR "우유 두 개 장바구니에 담아 줘"
    """
    from voiceshop.settings import nlu_cache_dir

    compiled = compile_model(model_path or model_path_for(locale), locale, cache_dir=nlu_cache_dir())
    from voiceshop.textio import readable, stdin_lines

    lines = [readable(u) for u in utterances] if utterances else stdin_lines()
    for text in lines:
        if not utterances and not text.strip():
            continue
        r = compiled.resolve(text)
        if as_json:
            click.echo(json.dumps(r.to_json(), ensure_ascii=False))
        else:
            click.echo(_text_line(r))
        if explain:
            click.echo(compiled.explain(text), err=as_json)
