"""Library warnings and MLflow/Alembic INFO lines stay off the console unless --verbose."""

from __future__ import annotations

import logging
import warnings

import pytest

from shortage_radar.commands.console import quiet_libraries


@pytest.fixture(autouse=True)
def _restore(monkeypatch):
    for name in ("PYTHONWARNINGS", "MLFLOW_LOGGING_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    levels = {n: logging.getLogger(n).level for n in ("mlflow", "alembic", "shortage_radar")}
    with warnings.catch_warnings():
        yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_quiet_by_default(recwarn):
    quiet_libraries(verbose=False)
    warnings.warn("a library warning", UserWarning, stacklevel=1)
    assert not recwarn.list
    assert logging.getLogger("mlflow").getEffectiveLevel() >= logging.ERROR
    assert logging.getLogger("alembic").getEffectiveLevel() >= logging.ERROR


def test_verbose_shows_them(recwarn):
    quiet_libraries(verbose=True)
    warnings.warn("a library warning", UserWarning, stacklevel=1)
    assert len(recwarn.list) == 1
