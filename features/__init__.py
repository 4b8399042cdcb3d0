"""Point-in-time features per variety and per (enterprise, variety) pair (docs/features.md).

``build_features(panel, months)`` returns a :class:`FeatureSet`; every value in a row for
month t was known by the end of t. ``as_known_at(panel, t)`` gives the panel as it stood then.
"""

from shortage_radar.features.build import FeatureSet, build_features
from shortage_radar.features.pointintime import as_known_at

__all__ = ["FeatureSet", "as_known_at", "build_features"]
