"""fixes package."""
