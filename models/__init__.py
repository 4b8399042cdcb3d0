"""Forecasts of supply/demand and calibrated risk models.

Arrives with the forecast and model issues; nothing here yet.
"""
