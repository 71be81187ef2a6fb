"""The `voiceshop` command: a thin click layer over `skill/` and `speech/`.

Subcommands live one per module in `voiceshop/commands/` and are imported only when used, so that
`voiceshop nlu` does not pay for Flask and `voiceshop serve` does not load speech engines.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
from typing import Any

import click

from voiceshop import __version__
from voiceshop.errors import UserError

# name -> (module, attribute, one-line summary shown in `voiceshop --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "serve": ("voiceshop.commands.serve", "serve", "Serve the skill over HTTP(S) for a real smart speaker."),
    "nlu": ("voiceshop.commands.nlu", "nlu", "Resolve utterances to intents and slots with the local NLU."),
    "chat": ("voiceshop.commands.chat", "chat", "Talk to a skill by typing what you would say."),
    "speaker": ("voiceshop.commands.speaker", "speaker", "The offline voice loop: audio in, speech out."),
    "certify": ("voiceshop.commands.certify", "certify", "Run test utterance files and the model checks."),
    "validate": ("voiceshop.commands.validate", "validate", "Check an interaction model against the build rules."),
    "orders": ("voiceshop.commands.orders", "orders", "List orders."),
    "account": ("voiceshop.commands.account", "account", "Show and change voice purchasing settings."),
    "catalog": ("voiceshop.commands.catalog", "catalog", "Import or inspect the product catalog."),
    "model": ("voiceshop.commands.model", "model", "Build the interaction model from the shop's catalog."),
    "models": ("voiceshop.commands.models", "models", "List, download and verify speech models."),
    "demo": ("voiceshop.commands.demo", "demo", "A scripted voice shopping session, end to end."),
    "voice": ("voiceshop.commands.voice", "voice", "Train the recogniser on your voice; list trained voices."),
    "console": ("voiceshop.commands.console", "console", "The browser console: simulator, certification, NLU."),
}


def _library_errors() -> tuple[type[BaseException], ...]:
    """Error roots of the libraries that mean 'bad input', imported lazily."""
    roots: list[type[BaseException]] = [UserError]
    for module, name in (("skill.errors", "SkillError"), ("speech.errors", "SpeechError")):
        with contextlib.suppress(ImportError, AttributeError):
            roots.append(getattr(importlib.import_module(module), name))
    return tuple(roots)


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when that subcommand runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        try:
            command = getattr(importlib.import_module(module), attr)
        except ImportError as exc:
            raise click.ClickException(f"the '{cmd_name}' command is not available: {exc}") from exc
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _library_errors() as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(getattr(exc, "exit_code", 2))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="voiceshop")
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """Voice Shop: voice shopping for smart speakers, and an offline speaker to test it with.

    \b
    Examples:
      voiceshop demo                      # a whole shopping session by voice, offline
      voiceshop chat "open voice shop" "add two bottles of milk"
      voiceshop nlu --json "what's in my cart"
      voiceshop serve --port 8080         # the skill endpoint for a real speaker
    """
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="voiceshop")


if __name__ == "__main__":
    main()
