"""Settings read at import time."""

DATABASE_URL = "sqlite:///shop.db"
PAYMENTS_URL = "https://payments.example.com"
