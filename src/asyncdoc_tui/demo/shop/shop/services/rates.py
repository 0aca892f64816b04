"""Exchange rates from the payments provider (a sync HTTP call)."""

import requests

from shop.settings import PAYMENTS_URL


def latest_rate(currency: str) -> float:
    response = requests.get(f"{PAYMENTS_URL}/rates/{currency}", timeout=5)
    return response.json()["rate"]
