"""How often the fitted warning policy opens a level 1-3 on pure noise (docs/warnings.md).

    python bench/warning_gate.py [--draws 1000] [--rows 2400] [--rate-beta 0.7 20]

Each draw: ``--rows`` inner-validation rows whose labels have nothing to do with the risk, fitted by
the configured policy (configs/warning_policy.yaml). Two shapes: every row independent, and varieties
that keep one risk and their own onset rate for 12 months (what an inner validation of 12 months
looks like). Prints the share of draws where any level 1-3 opened: the gate's false-open rate.
"""

from __future__ import annotations

import argparse

import numpy as np

from shortage_radar.models.policy import warning_policy
from shortage_radar.models.policy_fit import fit_policy


def false_open_rate(draws: int, rows: int, months: int, beta: tuple[float, float]) -> float:
    """Share of noise draws on which the fitted policy opens a level 1-3."""
    policy, opened = warning_policy(), 0
    for draw in range(draws):
        rng = np.random.default_rng(draw)
        varieties = rows // months
        risk = np.repeat(rng.random(varieties), months)
        label = (rng.random(varieties * months) < np.repeat(rng.beta(*beta, varieties), months)).astype(int)
        fitted = fit_policy(policy, risk, np.zeros(len(label), int), label, np.ones(len(label), bool), "noise")
        opened += any(rule.active and rule.level <= 3 for rule in fitted.levels)
    return opened / draws


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=2400)
    parser.add_argument("--rate-beta", type=float, nargs=2, default=(0.7, 20.0),
                        help="varieties' onset rates ~ Beta(a, b); the default's mean is 3.4%% a month")
    args = parser.parse_args()
    for months, shape in ((1, "every row independent"), (12, "varieties keep risk and rate for 12 months")):
        rate = false_open_rate(args.draws, args.rows, months, tuple(args.rate_beta))
        print(f"{shape}: a level 1-3 opened on {rate:.1%} of {args.draws} noise draws")


if __name__ == "__main__":
    main()
