"""The ``shortage`` command: a thin typer facade over the sub-command modules."""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from shortage_radar.commands import backtest, demo, forecast, report, runs, score, train, tune, validate
from shortage_radar.commands import imports, keys, serve
from shortage_radar.commands.console import err, out
from shortage_radar.errors import ShortageRadarError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="shortage-radar: drug shortage-risk forecasting and early warning.",
)
app.command("validate")(validate.validate)
app.command("demo")(demo.demo)
app.command("simulate")(demo.simulate)
app.command("backtest")(backtest.backtest)
app.command("train")(train.train)
app.command("score")(score.score)
app.command("forecast")(forecast.forecast)
app.command("tune")(tune.tune)
app.command("report")(report.report)
app.add_typer(runs.app, name="runs")
app.command("serve")(serve.serve)
app.add_typer(keys.app, name="keys")
app.add_typer(imports.app, name="import")


def _usage_error(exc: typer.TyperException) -> int:
    """Bad arguments: one line naming the problem (help only when nothing was given)."""
    if type(exc).__name__ == "NoArgsIsHelpError":
        out.print(exc.ctx.get_help())  # type: ignore[attr-defined]
        return 0
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    err.print(f"[bold red]error:[/] {message} (see shortage --help)", soft_wrap=True)
    return int(getattr(exc, "exit_code", 2))


def main() -> None:
    """Entry point: bad arguments, unreadable data and every engine error are one line and a non-zero exit."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        err.print("error: aborted")
        sys.exit(130)
    except typer.TyperException as exc:
        sys.exit(_usage_error(exc))
    except ShortageRadarError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
