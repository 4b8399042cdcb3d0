"""HTTP risk-score service and analyst report.

Arrives with the service issue; nothing here yet.
"""
