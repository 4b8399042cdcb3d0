"""Suspension reason codes in words, English and Chinese: the one mapping the report (and drivers) show."""

from __future__ import annotations

SUSPENSION_REASONS: dict[str, tuple[str, str]] = {
    "api_shortage": ("active ingredient (API) shortage", "原料药短缺"),
    "quality_gmp": ("quality / GMP problem", "质量或GMP问题"),
    "equipment": ("equipment failure or maintenance", "设备故障或检修"),
    "economic": ("economic: unprofitable to make", "经济原因(亏损停产)"),
    "regulatory": ("regulatory action", "监管措施"),
    "discontinued": ("discontinued by the maker", "企业停止生产"),
    "other": ("other reason", "其他原因"),
}


def reason_words(code: str, lang: str = "en") -> str:
    """The reason in words (``lang`` 'en' or 'zh'); an unknown code is shown as it is."""
    words = SUSPENSION_REASONS.get(str(code))
    if words is None:
        return str(code)
    return words[1] if lang == "zh" else words[0]
