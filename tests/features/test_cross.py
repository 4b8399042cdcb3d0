"""Cross-variety features from blocks of whole varieties equal those of the whole panel (no Dask needed).

This is the invariant the Dask engine rests on: entity features per block on the whole panel's
month grid, the blocks' cross aggregates combined, then applied per block, give exactly
``build_features``. Blocks of 7 varieties cut every therapeutic class and most producers apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shortage_radar.contract.panel import Panel
from shortage_radar.features import as_known_at, build_features, cross
from shortage_radar.features.build import entity_features
from shortage_radar.features.grid import panel_months
from shortage_radar.features.settings import feature_config


def _block(panel: Panel, varieties: set[str]) -> Panel:
    tables = {n: (f[f["variety_id"].astype(str).isin(varieties)].reset_index(drop=True) if "variety_id" in f else f)
              for n, f in panel.tables.items()}
    return Panel(source=panel.source, tables=tables, quarantine=panel.quarantine, results={})


def _by_blocks(panel: Panel, size: int, months=None):
    cfg = feature_config()
    ids = np.sort(panel["varieties"]["variety_id"].astype(str).unique())
    grid = panel_months(panel)
    blocks = [_block(panel, set(ids[i:i + size])) for i in range(0, len(ids), size)]
    parts = [entity_features(b, months, cfg, grid=grid) for b in blocks]
    classes = cross.class_labels(panel["varieties"])
    context = cross.combine([cross.partial(p.variety, p.pair, classes, cfg) for p in parts])
    variety = pd.concat([cross.apply(p.variety, p.pair, classes, context, cfg) for p in parts], ignore_index=True)
    pair = pd.concat([p.pair for p in parts if len(p.pair)], ignore_index=True)
    return variety, pair


def test_blocks_of_varieties_give_the_whole_panels_features(demo_panel):
    whole = build_features(demo_panel)
    variety, pair = _by_blocks(demo_panel, 7)
    pd.testing.assert_frame_equal(variety, whole.variety, check_exact=True)
    pd.testing.assert_frame_equal(pair, whole.pair, check_exact=True)


def test_blocks_as_known_at_a_month(demo_panel):
    t = panel_months(demo_panel)[30]
    known = as_known_at(demo_panel, t)
    variety, _ = _by_blocks(known, 5, months=[t])
    pd.testing.assert_frame_equal(variety, build_features(known, months=[t]).variety, check_exact=True)


def test_cross_features_span_blocks(demo_panel):
    """The class and shared-producer counts are not the blocks' own: blocks alone would see fewer onsets."""
    cfg = feature_config()
    block = _block(demo_panel, set(np.sort(demo_panel["varieties"]["variety_id"].astype(str))[:7]))
    alone = build_features(block).variety
    together = build_features(demo_panel).variety
    together = together[together["variety_id"].isin(alone["variety_id"])].reset_index(drop=True)
    name = f"class_shortages_last_{cfg.history_windows[-1]}m"
    assert (together[name] > alone[name]).any()
    assert cross.PRICE_LEVEL not in together


def test_varieties_without_a_class_match_across_blocks(demo_panel):
    """A variety without a class has NaN class counts on both engines; its price compares with the classless."""
    varieties = demo_panel["varieties"].copy()
    varieties.loc[varieties.index[::9], "therapeutic_class"] = None
    panel = Panel(source=demo_panel.source, tables={**demo_panel.tables, "varieties": varieties},
                  quarantine=demo_panel.quarantine, results={})
    t = panel_months(panel)[40]
    whole = build_features(panel, months=[t]).variety
    variety, _ = _by_blocks(panel, 7, months=[t])
    pd.testing.assert_frame_equal(variety, whole, check_exact=True)
    classless = whole["variety_id"].isin(varieties.loc[varieties["therapeutic_class"].isna(), "variety_id"])
    name = f"class_shortages_last_{feature_config().history_windows[0]}m"
    assert whole.loc[classless, name].isna().all() and whole.loc[~classless, name].notna().all()
