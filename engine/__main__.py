"""``python -m shortage_radar`` is the ``shortage`` command."""

from shortage_radar.cli import main

main()
