"""Prices in the shopper's currency."""

from shop.services.rates import latest_rate as current_rate


class PriceService:
    def price_in(self, amount: float, currency: str) -> float:
        return round(amount * current_rate(currency), 2)
