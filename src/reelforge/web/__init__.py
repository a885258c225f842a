"""The web door: the REST API under /api/v1 (``create_app`` in ``app.py``)."""
