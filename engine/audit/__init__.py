"""Reporting-compliance and data-accuracy audit of a panel (docs/audit.md).

``audit(panel, month)`` gives one row per finding of month t, using only what was known by the
end of t; ``province_summary`` sums it up for each province's authority. Sits between the
contract and the features: it imports only ``shortage_radar.contract`` and ``shortage_radar.config``.
"""

from shortage_radar.audit.findings import COLUMNS, FINDINGS_SCHEMA
from shortage_radar.audit.run import audit
from shortage_radar.audit.settings import CHECKS, AuditConfig, audit_config
from shortage_radar.audit.summary import SUMMARY_COLUMNS, province_summary, summary_counts

__all__ = ["CHECKS", "COLUMNS", "FINDINGS_SCHEMA", "SUMMARY_COLUMNS", "AuditConfig", "audit", "audit_config",
           "province_summary", "summary_counts"]
