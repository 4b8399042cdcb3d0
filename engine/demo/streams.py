"""Independent, named random streams, all spawned from ``numpy.random.default_rng(seed)``.

Each mechanism draws from its own stream, so changing one mechanism's draws does not
reshuffle the others; the order of names below fixes the spawn order (and the output).
"""

from __future__ import annotations

import numpy as np

STREAMS: tuple[str, ...] = (
    "world",
    "demand",
    "api_shocks",
    "suspensions",
    "vbp",
    "market",
    "lists",
    "channel",
    "reporting",
    "institutions",
    "procurement",
    "filing",  # last: adding a stream keeps the earlier ones (and their tables) as they were
)


def spawn_streams(seed: int) -> dict[str, np.random.Generator]:
    """One generator per mechanism, deterministically derived from ``seed``."""
    root = np.random.default_rng(seed)
    return dict(zip(STREAMS, root.spawn(len(STREAMS)), strict=True))
