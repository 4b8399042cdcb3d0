"""The user's language for words in answers (drivers): ``?lang=zh|en``, else the Accept-Language header."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request

Lang = Literal["en", "zh"]


def _preferred(header: str) -> Lang:
    """The language the header ranks highest among the two we speak (English when neither is named)."""
    best: tuple[float, Lang] = (0.0, "en")
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        lang: Lang | None = "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        if lang is not None and q - position * 1e-6 > best[0]:  # equal q: the first named wins
            best = (q - position * 1e-6, lang)
    return best[1]


def language(request: Request, lang: Annotated[Lang | None, Query(
        description="Language of drivers: en or zh (default: from Accept-Language, else en)")] = None) -> Lang:
    """FastAPI dependency: the language to answer in."""
    return lang or _preferred(request.headers.get("accept-language", ""))


def localised(row: dict, lang: Lang) -> dict:
    """A watchlist row with ``drivers`` in ``lang`` (Chinese falls back to English where none was written)."""
    if lang == "zh" and row.get("drivers_zh"):
        return {**row, "drivers": row["drivers_zh"]}
    return row
