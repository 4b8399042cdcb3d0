"""Quarantine reason codes, in the order that picks a row's primary reason."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a row was set aside. A row failing several rules is filed under the first."""

    UNPARSEABLE_MONTH = "unparseable_month"
    UNPARSEABLE_NUMBER = "unparseable_number"
    UNPARSEABLE_BOOL = "unparseable_bool"
    UNPARSEABLE_DATE = "unparseable_date"
    MISSING_VALUE = "missing_value"
    UNKNOWN_CATEGORY = "unknown_category"
    NEGATIVE_VALUE = "negative_value"
    NON_POSITIVE_PRICE = "non_positive_price"
    LATE_REPORT = "late_report"
    END_BEFORE_START = "end_before_start"
    UNKNOWN_VARIETY = "unknown_variety"
    UNKNOWN_ENTERPRISE = "unknown_enterprise"
    DUPLICATE_KEY = "duplicate_key"


PRIORITY: dict[str, int] = {reason.value: i for i, reason in enumerate(Reason)}

# pandera's built-in check names mapped to our codes.
PANDERA_CHECKS: dict[str, Reason] = {
    "not_nullable": Reason.MISSING_VALUE,
    "multiple_fields_uniqueness": Reason.DUPLICATE_KEY,
    "field_uniqueness": Reason.DUPLICATE_KEY,
}

DESCRIPTIONS: dict[Reason, str] = {
    Reason.UNPARSEABLE_MONTH: "month is not YYYY-MM (or a date on the 1st)",
    Reason.UNPARSEABLE_NUMBER: "value is not a finite number (or not an integer where one is expected)",
    Reason.UNPARSEABLE_BOOL: "value is not a boolean (true/false, yes/no, 1/0)",
    Reason.UNPARSEABLE_DATE: "date is not YYYY-MM-DD (a real calendar day)",
    Reason.MISSING_VALUE: "a key or required cell is empty",
    Reason.UNKNOWN_CATEGORY: "value is not one of the contract's categories",
    Reason.NEGATIVE_VALUE: "volume, stock or count is negative",
    Reason.NON_POSITIVE_PRICE: "price is zero or negative",
    Reason.LATE_REPORT: "reported_month is later than start_month + 1",
    Reason.END_BEFORE_START: "an end month is before the start month",
    Reason.UNKNOWN_VARIETY: "variety_id is not in varieties",
    Reason.UNKNOWN_ENTERPRISE: "enterprise_id is not in enterprises",
    Reason.DUPLICATE_KEY: "key already seen on an earlier row (the first is kept)",
}
