"""Reviews (AD304 with customer.py: this side imports only for type checkers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shop.catalog.customer import Customer


class Review:
    def __init__(self, author: Customer, stars: int) -> None:
        self.author = author
        self.stars = stars
