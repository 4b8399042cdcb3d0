"""The ``shortage`` sub-commands, one module each; ``shortage_radar.cli`` wires them up."""
