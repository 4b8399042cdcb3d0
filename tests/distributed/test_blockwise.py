"""The Dask engine refuses, in one line, the panels whose report-only features it cannot split."""

from __future__ import annotations

import pytest

from conftest import small_demo_config

pytest.importorskip("distributed")


def test_a_panel_without_monthly_reports_is_refused(tmp_path):
    from shortage_radar.contract.files import PanelError
    from shortage_radar.demo import simulate_panel
    from shortage_radar.demo.writer import write_partitions
    from shortage_radar.distributed.groups import check_blockwise
    from shortage_radar.distributed.reader import read_partitioned
    from shortage_radar.distributed.settings import dask_config
    from shortage_radar.features.settings import feature_config

    tables = simulate_panel(small_demo_config(n_varieties=12, n_enterprises=30, n_months=24))
    full = read_partitioned(write_partitions(tables, tmp_path / "full"), dask_config())
    check_blockwise(full, feature_config())  # monthly_reports present: the report-only families are off
    reports_only = {k: v for k, v in tables.items() if k != "monthly_reports"}
    sparse = read_partitioned(write_partitions(reports_only, tmp_path / "sparse"), dask_config())
    with pytest.raises(PanelError, match="--engine local"):
        check_blockwise(sparse, feature_config())
