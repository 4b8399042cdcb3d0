"""``shortage simulate`` writes a demo panel; ``shortage demo`` runs the main job on one."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from shortage_radar.commands.console import fail, out
from shortage_radar.commands.views import notes, validation_table
from shortage_radar.contract.panel import read_panel, write_quarantine


class Size(StrEnum):
    demo = "demo"
    national = "national"


class Format(StrEnum):
    csv = "csv"
    parquet = "parquet"
    partitioned = "partitioned"


def write_demo_panel(out_dir: Path, seed: int | None, size: Size, dirty: bool, fmt: Format) -> Path:
    """Simulate the panel (optionally with injected bad rows) and write it to ``out_dir``."""
    from shortage_radar.demo import load_demo_config, national_config, simulate_panel, write_panel
    from shortage_radar.demo import audit_faults
    from shortage_radar.demo.dirty import MANIFEST_FILE, inject_bad_rows

    config = national_config() if size is Size.national else load_demo_config()
    if seed is not None:
        config = config.model_copy(update={"seed": seed})
    tables = simulate_panel(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    if dirty:
        tables, faults = audit_faults.inject_audit_faults(tables, config.dirty_audit_faults, seed=config.seed)
        faults.to_csv(out_dir / audit_faults.MANIFEST_FILE, index=False)
        tables, manifest = inject_bad_rows(tables, seed=config.seed)
        manifest.to_csv(out_dir / MANIFEST_FILE, index=False)
    return write_panel(tables, out_dir, fmt=fmt.value)


def write_pairs_panel(out_dir: Path, seed: int | None, pairs: int) -> Path:
    """About ``pairs`` enterprise-variety pairs as independent regions, month-partitioned Parquet."""
    from shortage_radar.demo import load_demo_config
    from shortage_radar.demo.scale import shard_configs, write_scaled_panel

    config = load_demo_config()
    if seed is not None:
        config = config.model_copy(update={"seed": seed})
    with out.status(f"simulating {len(shard_configs(config, pairs))} regions") as status:
        return write_scaled_panel(config, pairs, out_dir,
                                  progress=lambda done, total: status.update(f"simulated region {done} of {total}"))


def simulate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the panel tables into.")],
    seed: Annotated[int | None, typer.Option(help="Random seed (default: configs/demo.yaml).")] = None,
    size: Annotated[Size, typer.Option(help="demo (~200 varieties) or national (2,000 varieties).")] = Size.demo,
    pairs: Annotated[int | None, typer.Option("--pairs", min=10, help="About this many enterprise-variety pairs, "
                                              "as independent regions of national size (month-partitioned "
                                              "Parquet; overrides --size).")] = None,
    dirty: Annotated[bool, typer.Option("--dirty", help="Inject every kind of bad row (see the manifest).")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="csv, parquet (one file per table) or partitioned "
                                        "(Parquet folders, month-keyed tables by month).")] = Format.csv,
) -> None:
    """Write a seeded, mechanism-based demo panel in contract format."""
    started = time.perf_counter()
    if pairs is not None:
        if dirty or fmt is not Format.partitioned and fmt is not Format.csv:
            fail("--pairs writes a clean, partitioned panel: it cannot be combined with --dirty or --format "
                 f"{fmt.value}", code=2)
        path = write_pairs_panel(out_dir, seed, pairs)
    else:
        with out.status(f"simulating the {size.value} panel"):
            path = write_demo_panel(out_dir, seed, size, dirty, fmt)
    out.print(f"panel written to [bold]{path}[/] in {time.perf_counter() - started:.1f} s")


def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the demo run.")] = Path("shortage-demo"),
    seed: Annotated[int | None, typer.Option(help="Random seed (default: configs/demo.yaml).")] = None,
) -> None:
    """The main job on the bundled demo panel: simulate, validate, train, score the latest month.

    Panel, watchlist and report go to --out; the score store and MLflow go to the workspace, where
    every other command (runs, report, keys, serve, score) finds them.
    """
    import shortage_radar as sr
    from shortage_radar.models.registry import tracking_uri
    from shortage_radar.store.settings import display_url, store_url
    from shortage_radar.workspace import workspace
    from shortage_radar.commands.console import Steps
    from shortage_radar.commands.score import summary_lines, top_table
    from shortage_radar.commands.train import print_registered
    from shortage_radar.atomic import write_table
    from shortage_radar.report import month_report

    panel_dir = out_dir / "panel"
    with out.status("simulating the demo panel"):
        write_demo_panel(panel_dir, seed, Size.demo, dirty=False, fmt=Format.csv)
    with out.status("validating the panel"):
        panel = read_panel(panel_dir)
    out.print(validation_table(panel))
    for line in notes(panel):
        out.print(f"[dim]{line}[/]")
    quarantine = write_quarantine(panel.quarantine, out_dir / "quarantine.csv")
    uri = tracking_uri()  # the workspace's MLflow (or --tracking-uri / MLFLOW_TRACKING_URI)
    store = display_url(store_url())  # the workspace's score store (or SHORTAGE_STORE_URL)
    scores = sr.open_store()
    out.rule("[bold]shortage demo: training and scoring[/]", align="left")
    with Steps() as steps:
        models = sr.train(panel, progress=steps)
        with steps.step("logging to MLflow and registering"):
            registered = sr.log_models(models, panel, uri)
        champions = sr.champions(uri)
        latest = models.until
        sr.monthly_run(panel, latest - 1, champions, scores, progress=steps)  # last month too: what changed since
        watchlist, run_id = sr.monthly_run(panel, latest, champions, scores, progress=steps)
        path = write_table(watchlist, out_dir / f"watchlist-{latest}.csv")
        with steps.step("single points of failure: every enterprise suspending in turn"):
            critical = sr.supplier_criticality(panel, champions, latest)
        with steps.step("writing the analyst report"):
            report, _ = month_report(panel, scores, latest, watchlist, out_dir / f"report-{latest}.html",
                                     policy=champions.policy_in_force().summary(), criticality=critical)
    print_registered(registered)
    out.print(top_table(watchlist))
    for line in summary_lines(scores, latest, watchlist, panel):
        out.print(line)
    out.print(f"demo panel:  [bold]{panel_dir}[/]")
    out.print(f"quarantine:  [bold]{quarantine}[/] ({len(panel.quarantine):,} rows)")
    out.print(f"watchlist:   [bold]{path}[/] ({len(watchlist):,} rows)")
    out.print(f"report:      [bold]{report}[/] (open it in a browser; works offline)")
    out.print(f"store:       [bold]{store}[/] (run {run_id}; shortage runs list)")
    out.print(f"MLflow:      [bold]{uri}[/] (mlflow ui --backend-store-uri {uri})")
    out.print(f"workspace:   [bold]{workspace().root}[/] (every command uses it; --workspace or "
              f"SHORTAGE_WORKSPACE to choose another)")
