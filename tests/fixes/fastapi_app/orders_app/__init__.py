"""A small FastAPI app with blocking calls in async code, used to check that the safe
fixes keep behaviour: its own suite (test_orders_app.py) passes before and after."""
