"""shortage-radar: drug shortage-risk forecasting and early-warning engine.

Data flows one way:
contract tables -> validated frames (``shortage_radar.contract``) -> features
(``shortage_radar.features``) -> forecasts and risk models (``shortage_radar.models``)
-> scores -> warnings -> store / report / service (``shortage_radar.serve``).
The bundled demo panel comes from ``shortage_radar.demo``.
"""

from shortage_radar.contract.files import PanelError
from shortage_radar.contract.panel import Panel, read_panel

__version__ = "0.1.0"

__all__ = ["Panel", "PanelError", "__version__", "read_panel"]
