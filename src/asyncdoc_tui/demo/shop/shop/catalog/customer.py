"""Customers and the reviews they write."""

from shop.catalog.review import Review


class Customer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.reviews: list[Review] = []
