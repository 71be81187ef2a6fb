"""`voiceshop validate`: the build and certification rules of an interaction model, on their own."""

from __future__ import annotations

import json
from pathlib import Path

import click

from speech.validate import CheckResult, has_required_failure, load_model_json, validate_model

_MARK = {"PASSED": "ok  ", "FAILED": "FAIL", "WARNING": "warn"}


def _print_result(result: CheckResult) -> None:
    click.echo(f"{_MARK[result.status]}  {result.status:<7}  {result.severity:<11}  {result.title}")
    for detail in result.details:
        click.echo(f"        - {detail}")


@click.command()
@click.argument("model", required=False, default="interaction_model.json",
                type=click.Path(dir_okay=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the results as a JSON list.")
def validate(model: Path, as_json: bool) -> None:
    """Check an interaction model against the Alexa build and certification rules.

    MODEL is an interaction model JSON file as the ASK CLI deploys it (default:
    ./interaction_model.json). Each check prints its status, severity, title and the offending
    elements. Exit status: 0 when every REQUIRED check passes, 1 when one fails, 2 when the file
    cannot be read or is not JSON.

    \b
    Examples:
      voiceshop validate
      voiceshop validate skill-package/interactionModels/custom/en-US.json --json
    """
    from speech.certify.checks import extra_model_checks

    data = load_model_json(model)
    results = validate_model(data) + extra_model_checks(data)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in results], indent=2))
    else:
        for result in results:
            _print_result(result)
        failed = sum(r.status == "FAILED" for r in results)
        warned = sum(r.status == "WARNING" for r in results)
        click.echo(f"{len(results)} checks: {len(results) - failed - warned} passed, {failed} failed, "
                   f"{warned} warnings ({model})")
    if has_required_failure(results):
        click.get_current_context().exit(1)
