"""Importers: public shortage records (Drug Shortages Canada, openFDA) turned into contract panels."""
