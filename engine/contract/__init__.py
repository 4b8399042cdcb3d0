"""Contract layer: read a panel folder, validate it with pandera, quarantine bad rows."""
