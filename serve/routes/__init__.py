"""The API's routes, one small module per group of endpoints."""
