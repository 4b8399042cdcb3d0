"""``shortage score``: the monthly run, scoring the as-of month with the champion models into file and store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from shortage_radar.atomic import write_table
from shortage_radar.commands.console import fail, out
from shortage_radar.commands.engine import Engine, EngineOption, dask_session
from shortage_radar.commands.months import parse_month
from shortage_radar.commands.report import write_report
from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import Panel, read_panel

if TYPE_CHECKING:
    from shortage_radar.models.risk import RiskModel
    from shortage_radar.store import Store


class Steps:
    """rich progress bars for the long steps of a run, one bar per step, kept on screen when done."""

    def __init__(self, heading: str | None = None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.heading = heading
        self.bars = Progress(SpinnerColumn(), TextColumn("{task.description:<34}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=out)
        self.current = None

    def __enter__(self) -> Steps:
        if self.heading:
            out.rule(f"[bold]{self.heading}[/]", align="left")
        self.bars.start()
        return self

    def describe(self, description: str) -> None:
        """Rename the step in progress (a stage within it started)."""
        if self.current is not None:
            self.bars.update(self.current, description=description)

    def __exit__(self, *exc) -> None:
        self.bars.stop()

    @contextmanager
    def step(self, description: str, total: int = 1) -> Iterator[Callable[[int], None]]:
        """A bar of ``total`` units; the block advances it and it completes when the block ends."""
        task = self.bars.add_task(description, total=max(total, 1))
        self.current = task
        yield lambda units=1: self.bars.advance(task, units)
        self.bars.update(task, completed=max(total, 1))


def load_champions(uri: str) -> tuple[RiskModel, RiskModel | None, dict[str, str]]:
    """The registry's champions (no enterprise model is fine) and their versions; LookupError when none."""
    from shortage_radar.models.registry import load_champion, mlflow_config, use_tracking

    use_tracking(uri, create=False)
    mcfg = mlflow_config()
    variety, v_version = load_champion(mcfg.variety_model)
    versions = {mcfg.variety_model: v_version}
    try:
        enterprise, e_version = load_champion(mcfg.enterprise_model)
        versions[mcfg.enterprise_model] = e_version
    except LookupError:
        enterprise = None
    return variety, enterprise, versions


def score_with_steps(panel: Panel, month: pd.Period, variety: RiskModel, enterprise: RiskModel | None,
                     steps: Steps) -> pd.DataFrame:
    """models.monthly.score_month step by step under progress bars (tests check both give the same rows)."""
    from shortage_radar.features import as_known_at, build_features
    from shortage_radar.models.dataset import model_tables
    from shortage_radar.models.policy import warning_policy
    from shortage_radar.models.scoring import score_rows
    from shortage_radar.models.settings import model_config

    cfg, policy = model_config(), warning_policy()
    with steps.step(f"features as known at {month}"):
        known = as_known_at(panel, month)
        tables = model_tables(known, cfg, build_features(known, months=[month]))
    rows = tables.variety[tables.variety["month"] == month]
    pairs = tables.pair[tables.pair["month"] == month] if enterprise is not None else tables.pair.iloc[:0]
    with steps.step("scoring and drivers", total=1 + bool(len(pairs))) as advance:
        parts = [score_rows(variety, rows, policy, cfg)]
        advance()
        if len(pairs):
            parts.append(score_rows(enterprise, pairs, policy, cfg))
    return pd.concat(parts, ignore_index=True)


def top_table(watchlist: pd.DataFrame, n: int = 10):
    from rich.table import Table

    from shortage_radar.models.policy import NAMES

    table = Table(title=f"Top {n} varieties", title_justify="left")
    for col in ("rank", "variety", "risk", "level", "drivers"):
        table.add_column(col)
    top = watchlist[watchlist["entity"] == "variety"].nsmallest(n, "rank")
    for row in top.itertuples():
        en, zh = NAMES[int(row.warning_level)]
        table.add_row(str(row.rank), row.variety_id, f"{row.risk:.2f}", f"{en} / {zh}", row.drivers)
    return table


def run_monthly(panel: Panel, month: pd.Period, uri: str, store: Store | str | None,
                steps: Steps | None = None, scorer: Callable | None = None) -> tuple[pd.DataFrame, int]:
    """Score the month and record it in the store; the run becomes current only when all of it is written.

    ``scorer(month, variety, enterprise, steps)`` replaces the local scoring (the Dask engine's run,
    which is also the ``panel``: it has ``source`` and, once scored, ``quarantine``).
    """
    from shortage_radar.models.scorable import check_scorable
    from shortage_radar.store.fingerprint import config_hash, files_fingerprint

    if steps is None:
        with Steps() as own:
            return run_monthly(panel, month, uri, store, own, scorer)
    if scorer is None:  # before anything is written: a month the models cannot score is refused in one line
        check_scorable(panel, month)
    else:
        scorer.scorable().check(month)
    store = _opened(store)
    run_id = store.begin_run(month, data_path=str(Path(panel.source).resolve()),
                             fingerprint=files_fingerprint(Path(panel.source)), model_versions={},
                             config_hash=config_hash())
    try:
        with steps.step("loading the champion models"):
            variety, enterprise, versions = load_champions(uri)
        store.set_model_versions(run_id, versions)
        watchlist = (score_with_steps(panel, month, variety, enterprise, steps) if scorer is None
                     else scorer(month, variety, enterprise, steps))
        with steps.step(f"writing run {run_id} to the store", total=len(watchlist) + len(panel.quarantine)) as adv:
            store.finish_run(run_id, watchlist, panel.quarantine, progress=adv)
    except BaseException as exc:  # a failed run is recorded and leaves the previous one current
        _record_failure(store, run_id, exc)
        raise
    return watchlist, run_id


def _dask_run(session, data: Path):
    """The Dask engine's monthly run over the panel (tables checked now, validated on the cluster)."""
    from shortage_radar.distributed.monthly import DaskMonthlyRun
    from shortage_radar.distributed.reader import read_partitioned
    from shortage_radar.features.settings import feature_config
    from shortage_radar.models.policy import warning_policy
    from shortage_radar.models.settings import model_config

    return DaskMonthlyRun(session.client, read_partitioned(data, session.cfg), session.cfg, model_config(),
                          feature_config(), warning_policy())


def _opened(store: Store | str | None) -> Store:
    from shortage_radar.store import Store, open_store

    return store if isinstance(store, Store) else open_store(store)


def _record_failure(store: Store, run_id: int, exc: BaseException) -> None:
    """Mark the run failed; if even that cannot be written the run stays 'running', never current."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        store.fail_run(run_id, f"{type(exc).__name__}: {exc}")
    except SQLAlchemyError:
        pass


def level_counts(watchlist: pd.DataFrame) -> str:
    """Varieties per warning level, red first."""
    from shortage_radar.models.policy import NAMES

    counts = watchlist.loc[watchlist["entity"] == "variety", "warning_level"].value_counts()
    return "levels (varieties): " + ", ".join(f"{NAMES[k][0]} {int(counts.get(k, 0))}" for k in (1, 2, 3, 4, 0))


def summary_lines(store: Store | str | None, month: pd.Period, watchlist: pd.DataFrame, panel: Panel) -> list[str]:
    """Counts per level, varieties newly at orange/red since last month, and the quarantine."""
    varieties = watchlist[watchlist["entity"] == "variety"]
    lines = [level_counts(watchlist)]
    previous = _opened(store).watchlist(month - 1, entity="variety")
    severe = set(varieties.loc[varieties["warning_level"].isin((1, 2)), "variety_id"])
    if len(previous):
        before = set(previous.loc[previous["warning_level"].isin((1, 2)), "variety_id"])
        new = sorted(severe - before)
        listed = f" ({', '.join(new[:15])})" if new else ""
        lines.append(f"newly orange or red since {month - 1}: {len(new)}{listed}")
    else:
        lines.append(f"no run of {month - 1} in the store: changes since last month not available")
    by_table = panel.quarantine["table"].value_counts() if len(panel.quarantine) else pd.Series(dtype=int)
    lines.append(f"quarantined rows: {len(panel.quarantine):,}"
                 + (" (" + ", ".join(f"{t} {n}" for t, n in by_table.items()) + ")" if len(by_table) else ""))
    return lines


def score(
    data: Annotated[Path, typer.Option("--data", help="Panel folder.")],
    month: Annotated[str, typer.Option("--month", help="As-of month YYYY-MM.")],
    out_file: Annotated[Path, typer.Option("--out", help="Watchlist file (.csv or .parquet).")],
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow tracking URI.")] = None,
    store: Annotated[str | None, typer.Option("--store", help="Score store URL (default SHORTAGE_STORE_URL, "
                                                              "else configs/store.yaml).")] = None,
    engine: EngineOption = Engine.local,
    report_file: Annotated[Path | None, typer.Option("--report", help="Analyst report HTML (default "
                                                                      "report-YYYY-MM.html beside --out).")] = None,
    no_report: Annotated[bool, typer.Option("--no-report", help="Do not write the analyst report.")] = False,
) -> None:
    """The monthly run: write the as-of month's watchlist to the file and, as a new current run, to the store."""
    from sqlalchemy.exc import SQLAlchemyError

    from shortage_radar.atomic import OutputError
    from shortage_radar.config import ConfigError
    from shortage_radar.models.registry import TrackingError
    from shortage_radar.models.registry import tracking_uri as resolve
    from shortage_radar.models.scorable import MonthNotScorable
    from shortage_radar.store import StoreError, open_store
    from shortage_radar.store.settings import display_url, store_url

    as_of = parse_month(month, "--month")
    if out_file.suffix not in (".csv", ".parquet"):
        fail(f"{out_file}: unknown output format (expected .csv or .parquet)")
    try:
        opened = open_store(store)  # first, so a bad --store fails before minutes of scoring
        with ExitStack() as stack:
            session = stack.enter_context(dask_session()) if engine is Engine.dask else None
            steps = stack.enter_context(Steps())
            with steps.step(f"reading and {'checking' if session else 'validating'} {data.name}"):
                panel = read_panel(data) if session is None else _dask_run(session, data)
            scorer = panel if session is not None else None
            watchlist, run_id = run_monthly(panel, as_of, resolve(tracking_uri), opened, steps, scorer)
            with steps.step(f"writing {out_file.name}"):
                write_table(watchlist, out_file)
            report = None if no_report else report_file or out_file.with_name(f"report-{as_of}.html")
            if report is not None:
                with steps.step(f"writing {report.name}"):
                    drawn = panel if session is None else panel.report_panel(watchlist, as_of)
                    write_report(drawn, opened, as_of, watchlist, report)
    except OutputError as exc:  # the run is in the store already; only a file is missing
        fail(f"{exc}; the run is in the store")
    except (PanelError, LookupError, StoreError, TrackingError, MonthNotScorable, ConfigError) as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        fail(f"score store {display_url(store_url(store))}: {str(exc).strip().splitlines()[0]}")
    out.print(top_table(watchlist))
    for line in summary_lines(opened, as_of, watchlist, panel):
        out.print(line)
    out.print(f"watchlist:  [bold]{out_file}[/] ({len(watchlist):,} rows)")
    if report is not None:
        out.print(f"report:     [bold]{report}[/]")
    out.print(f"store:      [bold]{display_url(store_url(store))}[/] (run {run_id}, current for {as_of}; "
              f"shortage runs show {run_id})")
