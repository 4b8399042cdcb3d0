"""The HTTP risk-score service: FastAPI app over the score store and the champion models."""
