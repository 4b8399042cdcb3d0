"""``python -m shortage_radar`` is the ``shortage`` command."""

from shortage_radar.cli import main

if __name__ == "__main__":  # Dask's worker processes re-import this module; only the command runs main
    main()
