"""Business logic shared by the routes: plain sync helpers."""
