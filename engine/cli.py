"""The ``shortage`` command: a thin typer facade over the sub-command modules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from shortage_radar.commands import audit, backtest, demo, forecast, report, runs, score, train, tune, validate
from shortage_radar.commands import alerts, imports, keys, serve, whatif
from shortage_radar.commands.console import err, out, quiet_libraries, show_workspace
from shortage_radar.errors import ShortageRadarError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="shortage-radar: drug shortage-risk forecasting and early warning.",
)
GLOBAL_FLAGS = ("--verbose", "-v")
GLOBAL_OPTIONS = ("--workspace",)


@app.callback()
def main_options(
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", envvar="SHORTAGE_WORKSPACE", show_envvar=True,
        help="Folder of the score store, MLflow tracking store and config overrides (default ./shortage-workspace). "
             "Accepted before or after the command.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show library warnings and MLflow INFO lines "
                                                                  "(hidden by default).")] = False,
) -> None:
    """shortage-radar: drug shortage-risk forecasting and early warning."""
    from shortage_radar.workspace import use_workspace

    show_workspace(use_workspace(workspace) if workspace is not None else None, sys.argv)
    quiet_libraries(verbose)


app.command("validate")(validate.validate)
app.command("audit")(audit.audit)
app.command("demo")(demo.demo)
app.command("simulate")(demo.simulate)
app.command("backtest")(backtest.backtest)
app.command("train")(train.train)
app.command("score")(score.score)
app.command("forecast")(forecast.forecast)
app.command("whatif")(whatif.whatif)
app.command("alerts")(alerts.alerts)
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


def hoist_global_options(args: list[str]) -> list[str]:
    """Move --workspace DIR and --verbose given after the command in front of it, so every command takes them."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg in GLOBAL_FLAGS:
            front.append(arg)
        elif arg in GLOBAL_OPTIONS and i + 1 < len(args):
            front += [arg, args[i + 1]]
            i += 1
        elif arg.split("=", 1)[0] in GLOBAL_OPTIONS:
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main() -> None:
    """Entry point: bad arguments, unreadable data and every engine error are one line and a non-zero exit."""
    try:
        code = app(args=hoist_global_options(sys.argv[1:]), standalone_mode=False)
    except typer.Abort:
        err.print("error: aborted")
        sys.exit(130)
    except typer.TyperException as exc:
        sys.exit(_usage_error(exc))
    except ShortageRadarError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
