"""``shortage simulate --pairs N``: independent regions written as one month-partitioned panel."""

from __future__ import annotations

from shortage_radar.contract.panel import read_panel
from shortage_radar.demo import load_demo_config
from shortage_radar.demo.scale import pairs_per_variety, shard_configs, write_scaled_panel


def _config(shard_varieties: int):
    return load_demo_config({"seed": 11, "calendar": {"n_months": 24},
                             "scale": {"shard_varieties": shard_varieties}})


def test_shards_cover_the_pairs_asked_for():
    config = _config(2000)
    shards = shard_configs(config, 200_000)
    varieties = sum(s.size.n_varieties for s in shards)
    assert len(shards) == 38 and all(s.size.n_varieties <= 2000 for s in shards)
    assert abs(varieties * pairs_per_variety(config) - 200_000) < 2000
    assert len({s.seed for s in shards}) == len(shards)


def test_scaled_panel_is_a_clean_contract_panel(tmp_path):
    folder = write_scaled_panel(_config(12), 90, tmp_path / "scaled")
    panel = read_panel(folder)
    assert len(panel.quarantine) == 0
    ids = panel["varieties"]["variety_id"].astype(str)
    assert ids.str.match(r"^S\d{3}-V\d+$").all() and ids.is_unique
    assert ids.str[:4].nunique() == 3
    pairs = panel["monthly_reports"][["enterprise_id", "variety_id"]].drop_duplicates()
    assert 50 <= len(pairs) <= 130
    assert (folder / "monthly_reports" / "month=2019-01").is_dir()
