"""Column names of the Drug Shortages Canada files -> one set of observation columns.

The exports renamed their headers twice (2017 old names, 2018 new names); the snapshot history
uses its own. These are the sources' schemas, not tunable choices.
"""

from __future__ import annotations

OBSERVATION = ("report_id", "kind", "din", "company", "ingredients", "form", "route", "status", "created",
               "anticipated_start", "actual_start", "estimated_end", "actual_end", "reason", "disc_date",
               "reversal", "updated")

NEW_NAMES = {
    "Report ID": "report_id", "Report Type": "kind", "Drug Identification Number": "din",
    "Company Name": "company", "Ingredients": "ingredients", "Dosage form(s)": "form",
    "Route of administration": "route", "Shortage status": "status", "Discontinuation status": "status",
    "Date Created": "created", "Anticipated start date": "anticipated_start", "Actual start date": "actual_start",
    "Estimated end date": "estimated_end", "Actual end date": "actual_end", "Reason": "reason",
    "Discontinuation date": "disc_date", "Discontinuation decision reversal": "reversal",
    "Date Updated": "updated",
}
OLD_NAMES = {
    "Report ID": "report_id", "Report Type": "kind", "DIN": "din", "Company Name": "company",
    "Ingredient Name": "ingredients", "Dosage Form": "form", "Drug Route": "route", "Shortage Status": "status",
    "Date Created": "created", "Anticipated Shortage Start Date": "anticipated_start",
    "Shortage Start Date": "actual_start", "Estimated Shortage End Date": "estimated_end",
    "Actual Shortage End Date": "actual_end", "Reason": "reason",
}
HISTORY_NAMES = {
    "report_id": "report_id", "report_type": "kind", "din": "din", "company": "company",
    "date_created": "created", "shortage_status": "status", "anticipated_start_date": "anticipated_start",
    "actual_start_date": "actual_start", "estimated_end_date": "estimated_end", "actual_end_date": "actual_end",
    "reason": "reason", "discontinuation_status": "disc_status", "discontinuation_date": "disc_date",
    "discontinuation_decision_reversal": "reversal",
}
VOLUNTARY_NAMES = {
    "drug_name": "ingredients", "company_name": "company", "din": "din", "outcome": "status",
    "start_date": "start", "last_updated": "updated", "pharmaceutical_form": "form",
    "route_of_administration": "route", "discontinued": "discontinued",
}
